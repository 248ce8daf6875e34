"""An SOP source file: identity, care, content and the procedure itself."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from .base import Id, Item, Markdown, Model, ReviewNotes, Text, construct, no_items
from .call_script import CallScript
from .content import Callout, Message
from .step import Section, Step

Status = Literal["draft", "approved", "needs-review"]
UNKNOWN = "unknown"
Unknown = Literal["unknown"]
"""Written where an imported or legacy document does not say (owner, version, dates): reported by
`sopkb report --stale` and shown on the page, instead of an invented value."""


class Responsibility(Model):
    role: Text
    duties: list[Item] = Field(min_length=1)


class Disposition(Model):
    label: Text
    code: Text | None = None
    when: Markdown | None = None


class Documentation(Model):
    dispositions: list[Disposition] = no_items()
    record: list[Item] = no_items()
    review: ReviewNotes = no_items()


class RelatedSop(Model):
    sop: Id
    why: Markdown | None = None


class ExternalProcedure(Model):
    """A procedure or system outside the KB ("the billing SOP", "Account Changes workflow")."""

    id: Id = Field(description="Referred to as `ext:<id>` in a `goto`, `call` or a Markdown link.")
    title: Text
    url: Text | None = Field(None, description="An http(s) address, if the procedure is online.")
    identifier: Text | None = Field(None, description="Where to find it otherwise: 'KB-1234 in Salesforce'.")


class Start(Model):
    """One of several situations a procedure starts from (inbound call, outbound call, visit)."""

    when: Text = Field(description="The situation, as the agent recognises it: 'Inbound call'.")
    step: Id = Field(description="The step this situation starts at.")


class Change(Model):
    """One version in the SOP's own record of its history: shown on its page and in `sopkb changes`
    (with git, beside what sopkb reads from the history itself)."""

    version: Text
    date: dt.date = Field(description="When this version took effect.")
    summary: Markdown = Field(description="What changed in this version, in a sentence or two.")


class Sop(Model):
    id: Id
    title: Text
    summary: Text = Field(description="One line: when to use this SOP.")
    category: Text
    tags: list[Text] = no_items()
    keywords: list[Text] = no_items(description="Words customers and agents actually use: 'porch pirate'.")
    status: Status
    owner: Text = Field(description="Who keeps this SOP current, or `unknown`.")
    version: Text = Field(description="The SOP's version, or `unknown`.")
    effective: dt.date | Unknown = Field(description="When this version took effect, or `unknown`.")
    review_by: dt.date | Unknown = Field(description="When it must next be reviewed, or `unknown`.")
    source: Text = Field(description="The document this SOP was converted from.")
    background: Markdown | None = None
    objective: Markdown
    scope: Markdown | None = None
    responsibilities: list[Responsibility] = no_items()
    callouts: list[Callout] = no_items(description="Warnings and rules that apply to the whole procedure.")
    starts: list[Start] = no_items(
        description="Several situations this procedure starts from; defaults to its first step."
    )
    steps: list[Step] | None = Field(
        None, min_length=1, description="A call flow. Use either steps or sections."
    )  # at least one: an empty flow has no first step to start from (a flowchart, a drill)
    sections: list[Section] | None = Field(
        None, min_length=1, description="A sectioned policy. Use either steps or sections."
    )
    conclusion: Markdown | None = None
    documentation: Documentation | None = None
    call_scripts: list[CallScript] = no_items()
    messages: list[Message] = no_items(description="Written templates (email, chat, ticket) for this SOP.")
    related: list[RelatedSop] = no_items()
    external: list[ExternalProcedure] = no_items(
        description="Procedures and systems outside the KB, referred to as `ext:<id>`."
    )
    review: ReviewNotes = no_items()
    changes: list[Change] = no_items(
        description=(
            "What changed in each version (version, date, summary), newest first: the history a KB "
            "outside git keeps, and the words shown with each version."
        ),
    )

    @model_validator(mode="after")
    def _steps_or_sections(self) -> Sop:
        if (self.steps is None) == (self.sections is None):
            raise ValueError(
                "an SOP has either `steps` (a call flow) or `sections` (a policy), not both or neither"
            )
        return self

    def all_sections(self) -> list[Section]:
        """A call flow is one untitled section, so everything downstream handles a single shape.
        That section is built, not validated: its steps are this SOP's, validated already, and
        validating would copy every one of them (pages and checks ask for it thousands of times).
        Not kept on the model: `model_copy(update=…)` would carry it over to a copy with other steps."""
        if self.sections is not None:
            return self.sections
        return [construct(Section, id="procedure", title="Procedure", steps=self.steps or [])]

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
