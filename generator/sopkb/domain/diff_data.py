"""A diff (`sop_diff.SopDiff`, or the reason there is none) as JSON data and back, so a build can
keep the diffs it computed for the next one (`validation/history_cache.py`).

Each object is a list of its fields in order. Reading checks every field's type and every kind
against the ones the diff uses, and raises ValueError for anything else: data read back is data
from a file, and a damaged file must be ignored, never shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, get_args

from .sop_diff import BranchChange, FieldChange, MetadataChange, SopDiff, StepChange
from .text_diff import LineChange, LineKind, Op, WordRun

T = TypeVar("T")
_OPS = set(get_args(Op))
_LINE_KINDS = set(get_args(LineKind))
_STEP_KINDS = {"added", "removed", "changed"}
_BRANCH_KINDS = {"added", "removed", "retargeted", "reworded"}


def to_data(found: SopDiff | str) -> Any:
    """A reason stays a string; a diff becomes nested lists of strings, None and booleans."""
    if isinstance(found, str):
        return found
    return [
        found.before_version,
        found.after_version,
        [_step(s) for s in found.steps],
        [_field(f) for f in found.parts],
        [[m.name, m.before, m.after] for m in found.metadata],
    ]


def from_data(data: Any) -> SopDiff | str:
    """What `to_data` gave; ValueError for anything it could not have given."""
    if isinstance(data, str):
        return data
    before, after, steps, parts, metadata = _fields(data, 5)
    return SopDiff(
        _text(before),
        _text(after),
        _each(steps, _read_step),
        _each(parts, _read_field),
        _each(metadata, lambda m: MetadataChange(*(_text(v) for v in _fields(m, 3)))),
    )


def _step(s: StepChange) -> list:
    return [
        s.kind,
        s.step_id,
        s.title,
        s.number_before,
        s.number_after,
        s.moved,
        [_field(f) for f in s.fields],
        _field(s.retargeted) if s.retargeted else None,
        [_branch(b) for b in s.branches],
    ]


def _branch(b: BranchChange) -> list:
    return [
        b.kind,
        b.answer,
        b.goto_before,
        b.goto_after,
        [_field(f) for f in b.fields],
        b.where_before,
        b.where_after,
    ]


def _field(f: FieldChange) -> list:
    return [
        f.name,
        [[line.kind, line.before, line.after, [[w.op, w.text] for w in line.words]] for line in f.lines],
    ]


def _read_step(data: Any) -> StepChange:
    kind, step_id, title, before, after, moved, fields, retargeted, branches = _fields(data, 9)
    if not isinstance(moved, bool):
        raise ValueError("moved: not a boolean")
    return StepChange(
        _kind(kind, _STEP_KINDS),
        _text(step_id),
        _text(title),
        _optional(before),
        _optional(after),
        moved,
        _each(fields, _read_field),
        None if retargeted is None else _read_field(retargeted),
        _each(branches, _read_branch),
    )


def _read_branch(data: Any) -> BranchChange:
    kind, answer, goto_before, goto_after, fields, where_before, where_after = _fields(data, 7)
    return BranchChange(
        _kind(kind, _BRANCH_KINDS),
        _text(answer),
        _optional(goto_before),
        _optional(goto_after),
        _each(fields, _read_field),
        _optional(where_before),
        _optional(where_after),
    )


def _read_field(data: Any) -> FieldChange:
    name, lines = _fields(data, 2)
    return FieldChange(_text(name), _each(lines, _read_line))


def _read_line(data: Any) -> LineChange:
    kind, before, after, words = _fields(data, 4)
    return LineChange(
        _kind(kind, _LINE_KINDS),
        _optional(before),
        _optional(after),
        _each(words, lambda w: WordRun(*_run(w))),
    )


def _run(data: Any) -> tuple[str, str]:
    op, text = _fields(data, 2)
    return _kind(op, _OPS), _text(text)


def _fields(data: Any, count: int) -> list:
    if not isinstance(data, list) or len(data) != count:
        raise ValueError(f"not a list of {count}")
    return data


def _each(data: Any, read: Callable[[Any], T]) -> tuple[T, ...]:
    if not isinstance(data, list):
        raise ValueError("not a list")
    return tuple(read(item) for item in data)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not a string")
    return value


def _optional(value: Any) -> str | None:
    return None if value is None else _text(value)


def _kind(value: Any, kinds: set[str]) -> Any:
    if not isinstance(value, str) or value not in kinds:
        raise ValueError(f"not a known kind: {value!r}")
    return value
