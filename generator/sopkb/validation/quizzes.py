"""Quiz checks against the SOPs they train: real steps, one right answer, the SOP's real order."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.errors import Problem
from ..domain.question_kinds import kind_of
from ..domain.quiz_identity import DRILL_PREFIX
from ..loading.document import Document
from ..models.quiz import Quiz
from ..models.sop import Sop
from . import duplicate_ids, one_of


@dataclass
class LoadedQuiz:
    quiz: Quiz
    doc: Document


def check_quizzes(
    loaded: list[LoadedQuiz], sops: dict[str, Sop], unchecked_sops: set[str], *, authored: bool = True
) -> list[Problem]:
    """`authored=False` for generated drills, which legitimately use the reserved `drill-` ids."""
    problems = duplicate_ids([(item.quiz.id, item.doc) for item in loaded], "quiz")
    steps_of: dict[str, _Steps] = {}  # each SOP's steps indexed once, however many quizzes train it
    for item in loaded:
        quiz, doc = item.quiz, item.doc
        if authored and quiz.id.startswith(DRILL_PREFIX):
            problems.append(
                doc.problem(("id",), f"ids starting with {DRILL_PREFIX!r} are kept for generated drills")
            )
        sop = sops.get(quiz.sop)
        if sop is None:
            if quiz.sop not in unchecked_sops:
                known = f"; expected one of: {one_of(sorted(sops), quiz.sop)}" if sops else ""
                problems.append(doc.problem(("sop",), f"unknown SOP {quiz.sop!r}{known}"))
            continue
        problems += _check_ids(item)
        steps = steps_of.get(sop.id) or steps_of.setdefault(sop.id, _Steps.of(sop))
        for s_i, scenario in enumerate(quiz.scenarios):
            for q_i, question in enumerate(scenario.questions):
                problems += _check_question(doc, ("scenarios", s_i, "questions", q_i), question, steps)
    return problems


@dataclass
class _Steps:
    """One SOP's steps, indexed for the checks: a list searched per question and item would cost
    questions × steps on a long SOP."""

    sop: Sop
    ids: list[str]
    position: dict[str, int]
    titles: dict[str, str]
    numbers: dict[str, str]

    @classmethod
    def of(cls, sop: Sop) -> _Steps:
        steps = sop.all_steps()
        ids = [s.id for s in steps]
        return cls(
            sop, ids, {i: n for n, i in enumerate(ids)}, {s.id: s.title for s in steps}, sop.step_numbers()
        )

    def unknown(self, step: str) -> str:
        return f"SOP {self.sop.id!r} has no step {step!r}; expected one of: {one_of(self.ids, step)}"


def _check_ids(item: LoadedQuiz) -> list[Problem]:
    problems = []
    scenario_ids: set[str] = set()
    question_ids: set[str] = set()
    for s_i, scenario in enumerate(item.quiz.scenarios):
        if scenario.id in scenario_ids:
            problems.append(
                item.doc.problem(("scenarios", s_i, "id"), f"duplicate scenario id {scenario.id!r}")
            )
        scenario_ids.add(scenario.id)
        for q_i, question in enumerate(scenario.questions):
            if question.id in question_ids:
                problems.append(
                    item.doc.problem(
                        ("scenarios", s_i, "questions", q_i, "id"), f"duplicate question id {question.id!r}"
                    )
                )
            question_ids.add(question.id)
    return problems


def _check_question(doc: Document, path: tuple, question, steps: _Steps) -> list[Problem]:  # noqa: ANN001
    problems = []
    for i, step in enumerate(question.steps):
        if step not in steps.position:
            problems.append(doc.problem((*path, "steps", i), steps.unknown(step)))
    for finding in kind_of(question).check(question, steps):
        problems.append(doc.problem((*path, *finding.key_path), finding.message))
    return problems
