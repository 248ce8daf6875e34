"""What a procedure holds besides instructions and speech: callouts, written messages, tables.

Real SOPs mix these into their steps. Each is its own kind so that nothing written for the agent's
eyes (a warning, an "internal only" note) or for another channel (an email macro) can ever be shown
as a line to say to the customer.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Markdown, Model, Text

CalloutKind = Literal["warning", "caution", "note", "tip", "internal", "compliance"]


class Callout(Model):
    kind: CalloutKind = Field(
        description=(
            "warning / caution: risk to the customer or the company; note / tip: helpful context; "
            "internal: for the agent only, never read to the customer; compliance: a legal or policy rule."
        )
    )
    title: Text | None = Field(
        None, description="Defaults to the kind's name ('Internal only', 'Warning', …)."
    )
    text: Markdown


Channel = Literal["email", "chat", "sms", "ticket", "letter", "social", "voicemail"]


class Message(Model):
    """A written template (an email or chat macro, a ticket note): copied, not spoken."""

    channel: Channel
    title: Text | None = Field(None, description="What the template is called in the agent's tools.")
    subject: Text | None = Field(None, description="The subject line, for email.")
    body: Markdown = Field(description="The text to send; `{placeholders}` highlighted.")


class Table(Model):
    """A reference table (utility → phone number; condition → action; a fee schedule)."""

    caption: Text | None = None
    columns: list[Text] = Field(min_length=1, description="The header cells.")
    rows: list[list[Markdown]] = Field(
        min_length=1, description="Each row has one cell per column (Markdown allowed in a cell)."
    )
