"""A procedure step, its decision and the decision's branches."""

from __future__ import annotations

from pydantic import Field

from .base import Id, Item, Markdown, Model, ReviewNotes, Text

Goto = Text
"""Where the flow goes: a step id of this SOP, `end`, `sop:<id>` or `sop:<id>#<step-id>`."""


class Branch(Model):
    answer: Text = Field(
        description="The answer or situation, as the agent would recognise it: 'Yes', 'Refuses'."
    )
    do: list[Item] = []
    say: list[Markdown] = []
    goto: Goto = Field(description="A step id of this SOP, `end`, or `sop:<id>` (optionally `#<step-id>`).")
    review: ReviewNotes = []


class Decision(Model):
    question: Text
    branches: list[Branch] = Field(min_length=2)


class Step(Model):
    id: Id
    title: Text
    number: Text | None = Field(None, description="Shown numbering; defaults to the position (1, 2, …).")
    key: bool = Field(False, description="Shown on the quick card an agent sees first.")
    do: list[Item] = []
    say: list[Markdown] = Field(
        [], description="Suggested words for the agent; `{placeholders}` highlighted."
    )
    ask: list[Markdown] = []
    verify: list[Item] = []
    notes: list[Markdown] = []
    decision: Decision | None = None
    next: Goto | None = Field(None, description="Where to go after this step; defaults to the next step.")
    review: ReviewNotes = []


class Section(Model):
    """A titled group of steps, for SOPs written as sectioned policies rather than one call flow."""

    id: Id
    title: Text
    number: Text | None = None
    intro: Markdown | None = None
    steps: list[Step] = Field(min_length=1)
    review: ReviewNotes = []
