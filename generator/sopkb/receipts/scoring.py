"""Scoring a learner's answers from the quiz source: the same rules quiz.js applies in the browser.

Answers are what the page records: `c<i>` for the i-th choice as authored (the page shuffles
only what learners see), `true`/`false`, or step ids in the order given.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models.quiz import Quiz


@dataclass(frozen=True)
class Score:
    right: int
    total: int
    missed: tuple[str, ...]  # ids of questions answered wrong or not at all

    @property
    def percent(self) -> int:
        """Rounded half up, as JavaScript's Math.round does for these positive values."""
        return int(100 * self.right / self.total + 0.5) if self.total else 0


def correct_answer(question) -> list[str]:  # noqa: ANN001 - any question kind
    if question.kind in ("single", "multiple", "say"):
        return [f"c{i}" for i, c in enumerate(question.choices) if c.correct]
    if question.kind == "true-false":
        return ["true" if question.answer else "false"]
    return list(question.items)


def is_right(question, answer: list[str]) -> bool:  # noqa: ANN001
    correct = correct_answer(question)
    if question.kind == "order":
        return answer == correct
    return len(answer) == len(correct) and set(answer) == set(correct)


def score(quiz: Quiz, answers: dict[str, list[str]]) -> Score:
    questions = quiz.questions()
    missed = tuple(q.id for q in questions if not is_right(q, answers.get(q.id, [])))
    return Score(len(questions) - len(missed), len(questions), missed)
