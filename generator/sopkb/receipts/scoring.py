"""Scoring a learner's answers from the quiz source: the same rules pure/scoring.js applies in the browser.

Answers are what the page records (see domain/question_kinds.py); each question's kind says what
the right answer is and how an answer is scored, for the page's key and for this.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.question_kinds import kind_of
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
    """The right answer's ids: the `correct` the quiz page's answer key carries."""
    return kind_of(question).correct_ids(question)


def is_right(question, answer: list[str]) -> bool:  # noqa: ANN001
    return kind_of(question).is_right(question, answer)


def score(quiz: Quiz, answers: dict[str, list[str]]) -> Score:
    questions = quiz.questions()
    missed = tuple(q.id for q in questions if not is_right(q, answers.get(q.id, [])))
    return Score(len(questions) - len(missed), len(questions), missed)
