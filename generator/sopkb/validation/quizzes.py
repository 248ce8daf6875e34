"""Quiz checks against the SOPs they train: real steps, one right answer, the SOP's real order."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Problem
from ..loading.yaml_reader import Document
from ..models.quiz import Quiz
from ..models.sop import Sop
from . import duplicate_ids

DRILL_PREFIX = "drill-"


@dataclass
class LoadedQuiz:
    quiz: Quiz
    doc: Document


def check_quizzes(
    loaded: list[LoadedQuiz], sops: dict[str, Sop], unchecked_sops: set[str], *, authored: bool = True
) -> list[Problem]:
    """`authored=False` for generated drills, which legitimately use the reserved `drill-` ids."""
    problems = duplicate_ids([(item.quiz.id, item.doc) for item in loaded], "quiz")
    for item in loaded:
        quiz, doc = item.quiz, item.doc
        if authored and quiz.id.startswith(DRILL_PREFIX):
            problems.append(
                doc.problem(("id",), f"ids starting with {DRILL_PREFIX!r} are kept for generated drills")
            )
        sop = sops.get(quiz.sop)
        if sop is None:
            if quiz.sop not in unchecked_sops:
                known = f"; expected one of: {', '.join(sorted(sops))}" if sops else ""
                problems.append(doc.problem(("sop",), f"unknown SOP {quiz.sop!r}{known}"))
            continue
        problems += _check_ids(item)
        for s_i, scenario in enumerate(quiz.scenarios):
            for q_i, question in enumerate(scenario.questions):
                problems += _check_question(doc, ("scenarios", s_i, "questions", q_i), question, sop)
    return problems


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


def _check_question(doc: Document, path: tuple, question, sop: Sop) -> list[Problem]:  # noqa: ANN001
    problems = []
    order = [s.id for s in sop.all_steps()]
    for i, step in enumerate(question.steps):
        if step not in order:
            problems.append(doc.problem((*path, "steps", i), _unknown_step(step, sop)))
    kind = question.kind
    if kind in ("single", "say", "multiple"):
        correct = sum(c.correct for c in question.choices)
        if kind != "multiple" and correct != 1:
            what = "a single-choice" if kind == "single" else "a best-thing-to-say"
            problems.append(
                doc.problem(
                    (*path, "choices"),
                    f"{what} question needs exactly one correct choice; {correct} marked `correct: true`",
                )
            )
        if kind == "multiple" and correct < 1:
            problems.append(
                doc.problem(
                    (*path, "choices"),
                    "a multiple-select question needs at least one correct choice; "
                    "none marked `correct: true`",
                )
            )
        texts: set[str] = set()
        for c_i, choice in enumerate(question.choices):
            if choice.text.casefold() in texts:
                problems.append(
                    doc.problem((*path, "choices", c_i, "text"), f"duplicate choice {choice.text!r}")
                )
            texts.add(choice.text.casefold())
    if kind == "order":
        problems += _check_order(doc, path, question.items, sop, order)
    return problems


def _check_order(doc: Document, path: tuple, items: list[str], sop: Sop, order: list[str]) -> list[Problem]:
    problems = []
    known = [(i, item) for i, item in enumerate(items) if item in order]
    for i, item in enumerate(items):
        if item not in order:
            problems.append(doc.problem((*path, "items", i), _unknown_step(item, sop)))
        elif items.index(item) != i:
            problems.append(doc.problem((*path, "items", i), f"step {item!r} is listed twice"))
    numbers = sop.step_numbers()
    for (_, before), (i, after) in zip(known, known[1:], strict=False):
        if order.index(after) < order.index(before):
            problems.append(
                doc.problem(
                    (*path, "items", i),
                    f"the SOP has {after!r} (step {numbers[after]}) before {before!r} "
                    f"(step {numbers[before]}); list the items in the SOP's order",
                )
            )
    return problems


def _unknown_step(step: str, sop: Sop) -> str:
    return f"SOP {sop.id!r} has no step {step!r}; expected one of: {', '.join(s.id for s in sop.all_steps())}"
