"""Pydantic errors mapped back to `path:line:col: key.path: message`.

Pydantic reports locations as tuples that may contain union tags (`text`, `nested`) the author
never wrote; `_author_path` walks the real data and drops those, so the key path and position
are the ones visible in the YAML file.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..core.errors import Problem
from ..core.key_path import KeyPath
from ..loading.document import Document
from ..models.base import ID_PATTERN

M = TypeVar("M", bound=BaseModel)

PATTERN_MEANINGS = {ID_PATTERN: "lower-case words joined by hyphens (like 'greet-customer')"}
"""What each pattern a model's field must match means, in the author's words: a field with a new
pattern adds its meaning here (a test fails for any pattern without one)."""


def validate_document(doc: Document, model: type[M]) -> tuple[M | None, list[Problem]]:
    if not isinstance(doc.data, dict):
        return None, [
            doc.problem((), f"expected a mapping of keys at the top level but received: {_kind(doc.data)}")
        ]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        problems = [_to_problem(doc, model, error) for error in exc.errors(include_url=False)]
        return None, _merge_alternatives(_dedupe(problems))


def salvage(doc: Document, model: type[M], placeholders: dict[str, Any]) -> M | None:
    """A model with only the broken top-level fields patched, so reference and flow checks can
    still run and the author sees every problem in one pass. Never used to build pages."""
    data = dict(doc.data) if isinstance(doc.data, dict) else {}
    for _ in range(3):
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            for error in exc.errors(include_url=False):
                key = _author_path(data, tuple(error["loc"]))[:1]
                if not key or key[0] not in model.model_fields and error["type"] != "extra_forbidden":
                    return None
                name = str(key[0])
                if name in placeholders:
                    data[name] = placeholders[name]
                elif error["type"] == "extra_forbidden" or not model.model_fields[name].is_required():
                    data.pop(name, None)
                else:
                    return None
    return None


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[int, int, str, str]] = set()
    out = []
    for p in problems:
        key = (p.line, p.column, p.key_path, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


_EXPECTED = re.compile(r"^expected (?P<what>.+) but received: (?P<value>.*)$")


def _merge_alternatives(problems: list[Problem]) -> list[Problem]:
    """A value that fits none of a field's alternatives (`effective: 2026-02-30`, where a date or
    `unknown` is allowed) gets one message naming them all, not one per alternative."""
    out: list[Problem] = []
    merged: dict[tuple[int, int, str, str], int] = {}  # (place, value) → its problem's index in out
    for p in problems:
        match = _EXPECTED.match(p.message)
        key = (p.line, p.column, p.key_path, match.group("value") if match else "")
        if match is None or key not in merged:
            if match is not None:
                merged[key] = len(out)
            out.append(p)
            continue
        first = out[merged[key]]
        what = _EXPECTED.match(first.message).group("what")  # type: ignore[union-attr]
        message = f"expected {_one(what)} or {_one(match.group('what'))} but received: {key[3]}"
        out[merged[key]] = Problem(
            first.file, first.line, first.column, message, first.key_path, first.severity
        )
    return out


def _one(what: str) -> str:
    """`one of: unknown` (a single allowed word) reads as `'unknown'` in a list of alternatives."""
    if what.startswith("one of: ") and "," not in what:
        return repr(what.removeprefix("one of: "))
    return what


def _author_path(data: Any, loc: tuple[Any, ...]) -> KeyPath:
    path: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, dict) and isinstance(part, str) and (part in node or last):
            path.append(part)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        # anything else is a union tag pydantic added: not part of the author's file
    return tuple(path)


def _to_problem(doc: Document, model: type[BaseModel], error: dict[str, Any]) -> Problem:
    path = _author_path(doc.data, tuple(error["loc"]))
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        allowed = _fields_at(model, path[:-1], doc.data)
        key = path[-1]
        hint = difflib.get_close_matches(str(key), allowed, n=1)
        message = f"unknown key {shown(key)}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
        if allowed:
            message += f"; expected one of: {', '.join(allowed)}"
        return doc.problem(path, message, key=True)
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        expected = str(error.get("ctx", {}).get("expected_tags", "")).replace("'", "")
        if kind == "union_tag_not_found":
            return doc.problem(path, f"missing required key 'kind' (expected one of: {expected})")
        return doc.problem(
            (*path, "kind"), f"expected one of: {expected} but received: {shown(value.get('kind'))}"
        )
    if kind == "missing":
        return doc.problem(path[:-1] if len(path) > 0 else path, f"missing required key {path[-1]!r}")
    return doc.problem(path, _message(kind, error, value))


def _message(kind: str, error: dict[str, Any], value: Any) -> str:
    ctx = error.get("ctx", {})
    if kind == "literal_error":
        expected = ctx.get("expected", "").replace("'", "")
        expected = expected.replace(" or ", ", ")
        return f"expected one of: {expected} but received: {shown(value)}"
    if kind in ("string_type", "str_type"):
        return f"expected text but received: {_kind(value)}"
    if kind == "list_type":
        return f"expected a list (lines starting with '- ') but received: {_kind(value)}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping of keys but received: {_kind(value)}"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        what = PATTERN_MEANINGS.get(pattern, f"text matching the pattern {pattern}")
        return f"expected {what} but received: {shown(value)}"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters long but has {len(value)}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s) but has {ctx.get('actual_length')}"
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"):
        return f"expected a date as YYYY-MM-DD but received: {shown(value)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false but received: {shown(value)}"
    if kind in ("less_than_equal", "greater_than_equal"):
        bound = ctx.get("le", ctx.get("ge"))
        limit = "at most" if kind == "less_than_equal" else "at least"
        return f"must be {limit} {bound} but received: {shown(value)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number but received: {_kind(value)}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return error["msg"][:1].lower() + error["msg"][1:]


SHOWN = 60  # characters of a value quoted back in a message


def shown(value: Any) -> str:
    """A value quoted back to the author, cut short: a message is one line, and a value is the
    author's (or a learner's) text, which may be a megabyte or the contents of another file."""
    text = repr(value)
    return text if len(text) <= SHOWN else f"{text[: SHOWN - 1]}…"


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (empty value)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    kind = "int" if isinstance(value, int) else "float" if isinstance(value, float) else type(value).__name__
    return f"{shown(getattr(value, 'raw', value))} ({kind.lower()})"  # never an internal class's name


def _fields_at(model: type[BaseModel], path: KeyPath, data: Any) -> list[str]:
    """The keys allowed at `path`, found by following the model's field annotations (and, inside
    a union of question kinds, the member whose `kind` the data names)."""
    current: Any = model
    node = data
    for part in path:
        node = node[part] if isinstance(node, (dict, list)) else None
        if isinstance(part, int):
            current = _element_type(current, node)
        else:
            fields = getattr(current, "model_fields", {})
            if part not in fields:
                return []
            current = _model_in(fields[part].annotation, node)
        if current is None:
            return []
    current = _model_in(current, node)
    return list(getattr(current, "model_fields", {}))


def _element_type(annotation: Any, node: Any) -> Any:
    for arg in _flatten(annotation):
        if typing.get_origin(arg) is list:
            return _model_in(typing.get_args(arg)[0], node)
    return None


def _model_in(annotation: Any, node: Any = None) -> Any:
    """The BaseModel class (or list of one) inside Optional/Annotated/Union wrappers."""
    members = [a for a in _flatten(annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
    kind = node.get("kind") if isinstance(node, dict) else None
    for member in members:
        field = member.model_fields.get("kind")
        if kind is not None and field is not None and kind in typing.get_args(field.annotation):
            return member
    if members:
        return members[0]
    for arg in _flatten(annotation):
        if typing.get_origin(arg) is list:
            return arg
    return None


def _flatten(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _flatten(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [a for arg in typing.get_args(annotation) for a in _flatten(arg)]
    return [annotation]
