"""A procedure step, its decision and the decision's branches."""

from __future__ import annotations

from typing import Literal, get_args

from pydantic import Field

from .base import Id, Item, Markdown, Model, ReviewNotes, Text, no_items
from .content import Callout, Message, Table
from .timing import Limit, Wait

Goto = Text
"""Where the flow goes: a step id of this SOP, `end`, `sop:<id>`, `sop:<id>#<step-id>`, or `ext:<id>`
(a procedure outside the KB, listed in the SOP's `external`)."""

PartName = Literal["callouts", "do", "say", "ask", "verify", "tables", "messages", "notes"]
DEFAULT_ORDER: tuple[PartName, ...] = get_args(PartName)  # callouts, do, say, ask, verify, tables, …


class Branch(Model):
    answer: Text = Field(
        description="The answer or situation, as the agent would recognise it: 'Yes', 'Refuses'."
    )
    do: list[Item] = no_items()
    say: list[Markdown] = no_items()
    goto: Goto = Field(
        description="A step id of this SOP, `end`, `sop:<id>` (optionally `#<step-id>`) or `ext:<id>`."
    )
    review: ReviewNotes = no_items()


class Decision(Model):
    question: Text
    branches: list[Branch] = Field(min_length=2)


class Step(Model):
    id: Id
    title: Text
    number: Text | None = Field(None, description="Shown numbering; defaults to the position (1, 2, …).")
    key: bool = Field(False, description="Shown on the quick card an agent sees first.")
    actor: Text | None = Field(
        None,
        description="Who does this step when it is not the agent: 'Team lead', 'Peer reviewer', 'Customer'.",
    )
    callouts: list[Callout] = no_items(description="Warnings, internal-only notes, compliance rules.")
    do: list[Item] = no_items()
    say: list[Markdown] = no_items(description="Suggested words for the agent; `{placeholders}` highlighted.")
    ask: list[Markdown] = no_items()
    verify: list[Item] = no_items()
    tables: list[Table] = no_items(description="Reference tables the agent needs at this step.")
    messages: list[Message] = no_items(description="Written templates (email, chat, ticket) to send.")
    notes: list[Markdown] = no_items()
    order: list[PartName] = no_items(
        description=(
            "The order the step's parts are shown in, when not the default "
            "(callouts, do, say, ask, verify, tables, messages, notes): listed parts first, the rest after."
        ),
    )
    wait: Wait | None = None
    limit: Limit | None = None
    call: Goto | None = Field(
        None,
        description=(
            "Do another procedure, then come back to this SOP's next step: `sop:<id>` (optionally "
            "`#<step-id>`) or `ext:<id>`."
        ),
    )
    decision: Decision | None = None
    next: Goto | None = Field(None, description="Where to go after this step; defaults to the next step.")
    review: ReviewNotes = no_items()

    def part_order(self) -> list[PartName]:
        """The step's parts in the order they are shown: the author's `order`, then the default."""
        listed = list(dict.fromkeys(self.order))
        return listed + [name for name in DEFAULT_ORDER if name not in listed]


class Section(Model):
    """A titled group of steps, for SOPs written as sectioned policies rather than one call flow."""

    id: Id
    title: Text
    number: Text | None = None
    intro: Markdown | None = None
    steps: list[Step] = Field(min_length=1)
    review: ReviewNotes = no_items()
