"""Sample calls: dialogues whose every line is tied to the step it illustrates."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Id, Markdown, Model, Text


class ScriptLine(Model):
    speaker: Literal["agent", "customer"]
    text: Markdown
    step: Id = Field(description="The id of the step this line belongs to.")


class CallScript(Model):
    id: Id
    title: Text
    situation: Markdown | None = None
    lines: list[ScriptLine] = Field(min_length=1)
