"""A quiz: scenarios (a customer situation, then questions), each question tied to SOP steps.

Question kinds are a discriminated union on `kind`, so a mistake in one kind's keys is reported
against that kind's own keys.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .base import Id, Markdown, Model, Text, no_items


class Choice(Model):
    text: Markdown
    correct: bool = False
    feedback: Markdown = Field(description="Why this choice is right or wrong; shown after answering.")


class _Question(Model):
    id: Id
    prompt: Markdown
    steps: list[Id] = Field(min_length=1, description="The SOP step(s) this question tests.")
    explanation: Markdown | None = Field(None, description="Shown after answering, whatever the answer.")


class SingleChoice(_Question):
    kind: Literal["single"]
    choices: list[Choice] = Field(min_length=2)


class MultipleSelect(_Question):
    """Every correct choice and no other must be selected."""

    kind: Literal["multiple"]
    choices: list[Choice] = Field(min_length=2)


class BestThingToSay(_Question):
    """Choose the best thing to say next: choices are script lines."""

    kind: Literal["say"]
    choices: list[Choice] = Field(min_length=2)


class TrueFalse(_Question):
    kind: Literal["true-false"]
    answer: bool
    if_true: Markdown = Field(description="Feedback for a learner who answers True.")
    if_false: Markdown = Field(description="Feedback for a learner who answers False.")


class StepOrder(_Question):
    """Put the steps in order: `items` lists step ids in the right order; learners see them shuffled."""

    kind: Literal["order"]
    items: list[Id] = Field(min_length=3)


Question = Annotated[
    SingleChoice | MultipleSelect | BestThingToSay | TrueFalse | StepOrder, Field(discriminator="kind")
]


class TranscriptLine(Model):
    speaker: Literal["agent", "customer"]
    text: Markdown


class Scenario(Model):
    id: Id
    title: Text
    situation: Markdown = Field(description="The customer situation, as a short narrative.")
    transcript: list[TranscriptLine] = no_items()
    questions: list[Question] = Field(min_length=1)


class Quiz(Model):
    id: Id
    title: Text
    sop: Id = Field(description="The id of the SOP this quiz trains.")
    pass_mark: int = Field(ge=1, le=100, description="Percentage of questions to answer right to pass.")
    summary: Text | None = None
    scenarios: list[Scenario] = Field(min_length=1)

    def questions(self) -> list:
        return [q for scenario in self.scenarios for q in scenario.questions]
