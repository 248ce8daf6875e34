"""Question kinds own their behaviour: the right answer, the choices shown, scoring, the checks an
author gets, how the quiz page shows them and what an LMS export carries.

Everything else asks the registry (`kind_of(question)`, `KINDS[name]`) instead of switching on
`question.kind`. A new kind is a model in `models/quiz.py`, a class here, its page partial
(`_question_<template>.html.j2`) if no existing one fits, and an entry in each exporter's table
if its `shape` is new.

Answers are what the quiz page records and receipts carry: `c<i>` for the i-th choice as authored
(pages shuffle only what learners see), `true`/`false`, or step ids in the order given. The right
answer's ids (`correct_ids`) are computed here only: the page's answer key, the browser's scoring
of that key, receipt scoring and the exports all use them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, Protocol

from ..core.key_path import KeyPath
from ..models.base import construct
from ..models.quiz import BestThingToSay, Choice, MultipleSelect, SingleChoice, StepOrder, TrueFalse

Shape = Literal["choice", "truefalse", "order"]
"""What an answer looks like to an exporter, which maps each shape to its format (one table per
exporter): `choice`, pick one or (`multiple`) several of authored choices, each with feedback;
`truefalse`, the options `true` and `false`, each with feedback; `order`, steps with plain-text
titles and no feedback, to put in the order given."""


@dataclass(frozen=True)
class Option:
    """One thing a learner picks or places, in authored order."""

    id: str  # what the answer records
    text: str  # Markdown when `markdown`, else plain text (a step title, "True")
    markdown: bool
    correct: bool  # part of the right answer
    feedback: str | None = None  # Markdown, shown after answering; None when the kind has none


@dataclass(frozen=True)
class Answers:
    """A question's answer, described for exporters, which map `shape` to their own format."""

    shape: Shape
    multiple: bool  # more than one option may be chosen
    ordered: bool  # the answer is every option, in the right order
    options: tuple[Option, ...]  # authored order; for an ordered answer, the right order
    correct: tuple[str, ...]  # ids of the right answer, as `correct_ids`


@dataclass(frozen=True)
class Finding:
    """A problem in one question: `key_path` is relative to the question, `message` the text shown."""

    key_path: KeyPath
    message: str


class StepIndex(Protocol):
    """The SOP's steps, as the quiz checks index them (validation/quizzes.py)."""

    position: dict[str, int]  # step id -> its place in the SOP
    titles: dict[str, str]
    numbers: dict[str, str]  # step id -> "4.2"

    def unknown(self, step: str) -> str: ...


class QuestionKind:
    """A kind's behaviour. Stateless: every method takes the question it is about."""

    name: ClassVar[str]  # the `kind` authors write
    model: ClassVar[type]  # its pydantic model in models/quiz.py
    shape: ClassVar[Shape]
    multiple: ClassVar[bool] = False
    ordered: ClassVar[bool] = False
    # How the quiz page shows it: the partial `_question_<template>.html.j2`, the inputs' type,
    # the hint after "Question n" ("select all that apply"), choices in quotation marks (script
    # lines), and whether the page shuffles the choices (by render.quiz.shuffled).
    template: ClassVar[str]
    input_type: ClassVar[str | None] = None
    hint: ClassVar[str | None] = None
    quoted: ClassVar[bool] = False
    shuffled: ClassVar[bool] = True

    def correct_ids(self, question: Any) -> list[str]:
        raise NotImplementedError

    def options(self, question: Any, labels: Mapping[str, str]) -> tuple[Option, ...]:
        """`labels` maps step ids to their titles, for kinds whose options are steps."""
        raise NotImplementedError

    def answers(self, question: Any, labels: Mapping[str, str]) -> Answers:
        return Answers(
            self.shape, self.multiple, self.ordered, self.options(question, labels),
            tuple(self.correct_ids(question)),
        )  # fmt: skip

    def is_right(self, question: Any, answer: object) -> bool:
        """All or nothing, as pure/scoring.js scores the page's key: the right ids, in order if `ordered`,
        else as a set. Anything but a list of ids (a damaged receipt) is wrong, and so is an id
        given twice, which a page never records."""
        if not isinstance(answer, list) or not all(isinstance(a, str) for a in answer):
            return False
        correct = self.correct_ids(question)
        if self.ordered:
            return answer == correct
        return len(answer) == len(correct) and set(answer) == set(correct)

    def check(self, question: Any, steps: StepIndex) -> list[Finding]:
        """This kind's own rules; the checks every question gets stay in validation/quizzes.py."""
        return []

    def construct(self, fields: dict) -> Any:
        """The question built from trusted fields without validation (generated drills)."""
        return construct(self.model, **fields)


def choice_id(index: int) -> str:
    return f"c{index}"


class _ChoiceKind(QuestionKind):
    """Pick from authored choices; each choice carries its own feedback."""

    shape = "choice"
    template = "choices"
    input_type = "radio"

    def correct_ids(self, question: SingleChoice | MultipleSelect | BestThingToSay) -> list[str]:
        return [choice_id(i) for i, c in enumerate(question.choices) if c.correct]

    def options(self, question: Any, labels: Mapping[str, str]) -> tuple[Option, ...]:
        correct = set(self.correct_ids(question))
        return tuple(
            Option(choice_id(i), c.text, True, choice_id(i) in correct, c.feedback)
            for i, c in enumerate(question.choices)
        )

    def check(self, question: Any, steps: StepIndex) -> list[Finding]:
        findings = self._check_correct(sum(c.correct for c in question.choices))
        texts: set[str] = set()
        for i, choice in enumerate(question.choices):
            if choice.text.casefold() in texts:
                findings.append(Finding(("choices", i, "text"), f"duplicate choice {choice.text!r}"))
            texts.add(choice.text.casefold())
        return findings

    def _check_correct(self, correct: int) -> list[Finding]:
        raise NotImplementedError

    def construct(self, fields: dict) -> Any:
        fields = {**fields, "choices": [construct(Choice, **c) for c in fields["choices"]]}
        return super().construct(fields)


class _OneRightChoice(_ChoiceKind):
    called: ClassVar[str]  # "a single-choice question", in the check's message

    def _check_correct(self, correct: int) -> list[Finding]:
        if correct == 1:
            return []
        return [
            Finding(
                ("choices",),
                f"{self.called} needs exactly one correct choice; {correct} marked `correct: true`",
            )
        ]


class SingleChoiceKind(_OneRightChoice):
    name = "single"
    model = SingleChoice
    called = "a single-choice question"


class BestThingToSayKind(_OneRightChoice):
    """Choices are script lines, shown in quotation marks."""

    name = "say"
    model = BestThingToSay
    called = "a best-thing-to-say question"
    hint = "best thing to say next"
    quoted = True


class MultipleSelectKind(_ChoiceKind):
    """Every correct choice and no other must be selected."""

    name = "multiple"
    model = MultipleSelect
    multiple = True
    input_type = "checkbox"
    hint = "select all that apply"

    def _check_correct(self, correct: int) -> list[Finding]:
        if correct >= 1:
            return []
        return [
            Finding(
                ("choices",),
                "a multiple-select question needs at least one correct choice; none marked `correct: true`",
            )
        ]


class TrueFalseKind(QuestionKind):
    """True or False, always in that order; each answer has its own feedback."""

    name = "true-false"
    model = TrueFalse
    shape = "truefalse"
    template = "choices"
    input_type = "radio"
    hint = "true or false"
    shuffled = False

    def correct_ids(self, question: TrueFalse) -> list[str]:
        return ["true" if question.answer else "false"]

    def options(self, question: TrueFalse, labels: Mapping[str, str]) -> tuple[Option, ...]:
        return (
            Option("true", "True", False, question.answer, question.if_true),
            Option("false", "False", False, not question.answer, question.if_false),
        )


class StepOrderKind(QuestionKind):
    """Put SOP steps in order: `items` is the right order; learners see the steps' titles."""

    name = "order"
    model = StepOrder
    shape = "order"
    ordered = True
    template = "order"

    def correct_ids(self, question: StepOrder) -> list[str]:
        return list(question.items)

    def options(self, question: StepOrder, labels: Mapping[str, str]) -> tuple[Option, ...]:
        return tuple(Option(item, labels[item], False, True) for item in question.items)

    def check(self, question: StepOrder, steps: StepIndex) -> list[Finding]:
        """Items are the SOP's steps, each once, with titles a learner can tell apart, listed in
        the SOP's order."""
        findings = []
        position = steps.position
        items = question.items
        known = [(i, item) for i, item in enumerate(items) if item in position]
        first: dict[str, int] = {}
        for i, item in enumerate(items):
            if item not in position:
                findings.append(Finding(("items", i), steps.unknown(item)))
            elif first.setdefault(item, i) != i:
                findings.append(Finding(("items", i), f"step {item!r} is listed twice"))
        titles: dict[str, str] = {}
        for i, item in known:
            title = steps.titles[item].casefold()
            if title in titles and titles[title] != item:
                findings.append(
                    Finding(
                        ("items", i),
                        f"steps {titles[title]!r} and {item!r} have the same title; learners see only "
                        "titles when putting steps in order, so they cannot tell them apart",
                    )
                )
            titles.setdefault(title, item)
        numbers = steps.numbers
        for (_, before), (i, after) in zip(known, known[1:], strict=False):
            if position[after] < position[before]:
                findings.append(
                    Finding(
                        ("items", i),
                        f"the SOP has {after!r} (step {numbers[after]}) before {before!r} "
                        f"(step {numbers[before]}); list the items in the SOP's order",
                    )
                )
        return findings


KINDS: dict[str, QuestionKind] = {
    kind.name: kind
    for kind in (
        SingleChoiceKind(),
        MultipleSelectKind(),
        BestThingToSayKind(),
        TrueFalseKind(),
        StepOrderKind(),
    )
}
"""`kind` as authors write it -> its behaviour; tests check it matches the models' union."""


def kind_of(question: Any) -> QuestionKind:
    return KINDS[question.kind]
