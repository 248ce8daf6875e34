"""Shared building blocks for every content model."""

from __future__ import annotations

import functools
import inspect
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, Tag

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _new_list() -> list:
    return []


_new_list.__signature__ = inspect.Signature()  # type: ignore[attr-defined]
# pydantic asks a factory's signature at every `model_construct`: 176 µs for `list` (its text
# signature parsed each time), 2.5 µs for this (11,000 constructs in a build of 1,000 SOPs).


def no_items(**field: Any) -> Any:
    """An empty list as a field's default, made new for each model: pydantic deep-copies a `[]`
    default for every model it validates (99 copies per SOP, most of reading a kept SOP again)."""
    return Field(default_factory=_new_list, json_schema_extra={"default": []}, **field)


M = TypeVar("M", bound=BaseModel)


def construct(model: type[M], **fields: Any) -> M:
    """`model.model_construct(**fields)` (a model built from trusted values, not validated), each
    `no_items` field not given an empty list of its own: pydantic would work out the factory's
    signature again for each (12,000 constructs in a build of 1,000 SOPs)."""
    for name in _listed(model):
        if name not in fields:
            fields[name] = []
    return model.model_construct(**fields)


@functools.cache
def _listed(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(n for n, f in model.model_fields.items() if f.default_factory is _new_list)


def _number_as_written(value: Any) -> Any:
    """`version: 1.10` is text to an author; keep what they typed, not the float 1.1."""
    raw = getattr(value, "raw", None)
    return raw if isinstance(raw, str) else value


Text = Annotated[
    str,
    Field(min_length=1, json_schema_extra={"description": "Plain text."}),
    BeforeValidator(_number_as_written),  # after the length: pydantic checks it in Python otherwise
]
"""Plain text: titles, labels. Shown exactly as written (escaped)."""

Markdown = Annotated[
    str,
    Field(min_length=1, description="Text with Markdown formatting; raw HTML is shown as text."),
    BeforeValidator(_number_as_written),
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
