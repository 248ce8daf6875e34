"""A learning path: an ordered curriculum of modules, each a list of SOPs to read and quizzes to pass."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Discriminator, Field, Tag

from .base import Id, Markdown, Model, Text


class ReadSopItem(Model):
    """Read the SOP and sign that you have read its current version."""

    sop: Id = Field(description="The id of an SOP to read and sign.")


class PassQuizItem(Model):
    """Pass the quiz (a written quiz, or an SOP's generated drill: `drill-<sop-id>`)."""

    quiz: Id = Field(description="The id of a quiz to pass, or `drill-<sop-id>` for an SOP's drill.")


def _item_kind(value: Any) -> str:
    if isinstance(value, dict) and "quiz" in value and "sop" not in value:
        return "quiz"
    return "sop"


PathItem = Annotated[
    Annotated[ReadSopItem, Tag("sop")] | Annotated[PassQuizItem, Tag("quiz")],
    Discriminator(_item_kind),
]


class Module(Model):
    id: Id
    title: Text
    intro: Markdown | None = None
    items: list[PathItem] = Field(min_length=1, description="`{sop: <id>}` or `{quiz: <id>}`, in order.")


class LearningPath(Model):
    id: Id
    title: Text
    summary: Text = Field(description="One line: who this path is for and what it covers.")
    audience: Text | None = None
    modules: list[Module] = Field(min_length=1)

    def items(self) -> list[ReadSopItem | PassQuizItem]:
        return [item for module in self.modules for item in module.items]
