"""What every format needs from a quiz: each question with its scenario, answers and labels."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..domain.knowledge_base import KnowledgeBase, QuizEntry
from ..domain.labels import item_labels
from ..domain.question_kinds import Answers, kind_of
from ..models.quiz import Scenario
from ..text.markdown import plain


@dataclass(frozen=True)
class Exported:
    quiz: QuizEntry
    scenario: Scenario
    scenario_number: int
    question: object  # any question kind
    labels: dict[str, str]  # step id -> its title: what a learner puts in order

    @cached_property
    def answers(self) -> Answers:
        """What the question asks for, as its kind describes it; each format maps the shape."""
        return kind_of(self.question).answers(self.question, self.labels)

    @property
    def name(self) -> str:
        return f"{self.quiz.id}/{self.question.id}"

    def context_lines(self) -> list[str]:
        """The scenario as plain lines: what the learner needs before the question."""
        lines = [
            f"Scenario {self.scenario_number}: {plain(self.scenario.title)}",
            plain(self.scenario.situation),
        ]
        speaker = {"agent": "Agent", "customer": "Customer"}
        lines += [f"{speaker[t.speaker]}: {plain(t.text)}" for t in self.scenario.transcript]
        return lines


def questions(kb: KnowledgeBase, quiz: QuizEntry) -> list[Exported]:
    labels = item_labels(kb, quiz.quiz.sop)
    return [
        Exported(quiz, scenario, n, question, labels)
        for n, scenario in enumerate(quiz.quiz.scenarios, start=1)
        for question in scenario.questions
    ]


def ordinal(n: int) -> str:
    return f"Position {n}"


def fraction(correct: int) -> str:
    """Moodle accepts only certain grade fractions; 100/n for n = 1..10 are all among them."""
    value = 100 / correct
    return str(int(value)) if value == int(value) else f"{value:.5f}"


def escape_html(text: str) -> str:
    """Plain text (step labels) placed where the formats expect HTML."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
