"""Shared building blocks for every content model."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _number_as_written(value: Any) -> Any:
    """`version: 1.10` is text to an author; keep what they typed, not the float 1.1."""
    raw = getattr(value, "raw", None)
    return raw if isinstance(raw, str) else value


Text = Annotated[
    str,
    BeforeValidator(_number_as_written),
    Field(min_length=1, json_schema_extra={"description": "Plain text."}),
]
"""Plain text: titles, labels. Shown exactly as written (escaped)."""

Markdown = Annotated[
    str,
    BeforeValidator(_number_as_written),
    Field(min_length=1, description="Text with Markdown formatting; raw HTML is shown as text."),
]
"""Author prose: Markdown formatting allowed, raw HTML never rendered as HTML."""

ID_MAX = 80  # an id is a file name in the site (`sops/<id>/index.html`): well under 255 bytes

Id = Annotated[
    str,
    Field(
        pattern=ID_PATTERN,
        max_length=ID_MAX,
        description="Lower-case words joined by hyphens, e.g. `greet-customer`.",
    ),
]


class NestedItem(Model):
    """An instruction with sub-points, kept as the source document nested them."""

    text: Markdown
    items: list[Markdown] = Field(min_length=1)


def _item_kind(value: Any) -> str:
    return "nested" if isinstance(value, dict) else "text"


Item = Annotated[
    Annotated[Markdown, Tag("text")] | Annotated[NestedItem, Tag("nested")],
    Discriminator(_item_kind),
]
"""One bullet: a Markdown line, or `{text, items}` for a bullet with sub-bullets."""

ReviewNotes = Annotated[
    list[Markdown],
    Field(description="Points reconstructed or in doubt: each is shown on the page as needing owner review."),
]
