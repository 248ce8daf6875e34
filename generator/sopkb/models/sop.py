"""An SOP source file: identity, care, content and the procedure itself."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from .base import Id, Item, Markdown, Model, ReviewNotes, Text
from .call_script import CallScript
from .step import Section, Step

Status = Literal["draft", "approved", "needs-review"]


class Responsibility(Model):
    role: Text
    duties: list[Item] = Field(min_length=1)


class Disposition(Model):
    label: Text
    code: Text | None = None
    when: Markdown | None = None


class Documentation(Model):
    dispositions: list[Disposition] = []
    record: list[Item] = []
    review: ReviewNotes = []


class RelatedSop(Model):
    sop: Id
    why: Markdown | None = None


class Sop(Model):
    id: Id
    title: Text
    summary: Text = Field(description="One line: when to use this SOP.")
    category: Text
    tags: list[Text] = []
    keywords: list[Text] = Field([], description="Words customers and agents actually use: 'porch pirate'.")
    status: Status
    owner: Text
    version: Text
    effective: dt.date
    review_by: dt.date
    source: Text = Field(description="The document this SOP was converted from.")
    background: Markdown | None = None
    objective: Markdown
    scope: Markdown | None = None
    responsibilities: list[Responsibility] = []
    steps: list[Step] | None = Field(None, description="A call flow. Use either steps or sections.")
    sections: list[Section] | None = Field(
        None, description="A sectioned policy. Use either steps or sections."
    )
    conclusion: Markdown | None = None
    documentation: Documentation | None = None
    call_scripts: list[CallScript] = []
    related: list[RelatedSop] = []
    review: ReviewNotes = []

    @model_validator(mode="after")
    def _steps_or_sections(self) -> Sop:
        if (self.steps is None) == (self.sections is None):
            raise ValueError(
                "an SOP has either `steps` (a call flow) or `sections` (a policy), not both or neither"
            )
        return self

    def all_sections(self) -> list[Section]:
        """A call flow is one untitled section, so everything downstream handles a single shape."""
        if self.sections is not None:
            return self.sections
        return [Section(id="procedure", title="Procedure", steps=self.steps or [])]

    def all_steps(self) -> list[Step]:
        return [step for section in self.all_sections() for step in section.steps]

    def located_sections(self) -> list[tuple[tuple, Section]]:
        """Each section with the key path of its steps in the source file, for error messages."""
        if self.sections is None:
            return [(("steps",), self.all_sections()[0])]
        return [(("sections", i, "steps"), section) for i, section in enumerate(self.sections)]

    def step_numbers(self) -> dict[str, str]:
        """The numbering shown everywhere: a step's own `number`, else its position (1, 2, …)."""
        return {s.id: s.number or str(i) for i, s in enumerate(self.all_steps(), start=1)}
