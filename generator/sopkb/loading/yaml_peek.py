"""A few top-level scalars of a source (its `id` and `version`) without reading the whole file.

Reading a version history asks every earlier state of every SOP for its id and version: thousands
of files, of which only a few are read in full later. A top-level key starts a line, so a line
scan finds it; anything a scan cannot be sure of (an escape, an anchor, a block or flow value, a
key written twice) falls back to the real reader, which gives the same answer slowly.
"""

from __future__ import annotations

import json
import re

from .yaml_reader import read_yaml_text

_FALLBACK = object()
_ODD_START = tuple("[{&*!|>%@`")


def peek(text: str, keys: tuple[str, ...]) -> dict[str, str] | None:
    """The keys' values as written (`version: 1.10` is "1.10"), those present; None when the
    text is no mapping of keys."""
    text = text.removeprefix("\ufeff")
    if text.lstrip().startswith("{"):
        return _json(text, keys)
    found: dict[str, str] = {}
    for key in keys:
        value = _scan(text, key)
        if value is _FALLBACK:
            return _read(text, keys)
        if value is not None:
            found[key] = value
    return found


def _scan(text: str, key: str) -> str | object | None:
    start = _line_starting(text, f"{key}:")
    if start is None:  # not there, or written `key :`: the slow way finds which
        return _FALLBACK if re.search(rf"^{re.escape(key)}[ \t]+:", text, re.MULTILINE) else None
    if _line_starting(text, f"{key}:", start + 1) is not None:
        return _FALLBACK  # twice: the reader reports it
    end = text.find("\n", start)
    line = text[start + len(key) + 1 : end if end >= 0 else len(text)]
    if line and line[0] not in " \t\r":
        return None  # `idx:`, not `id:`
    value = line.strip()
    if value.startswith('"'):
        quoted = re.match(r'"([^"\\]*)"[ \t]*(?:#.*)?$', value)
        return quoted.group(1) if quoted else _FALLBACK
    if value.startswith("'"):
        quoted = re.match(r"'((?:[^']|'')*)'[ \t]*(?:#.*)?$", value)
        return quoted.group(1).replace("''", "'") if quoted else _FALLBACK
    if not value or value.startswith(_ODD_START):
        return _FALLBACK
    return re.split(r"[ \t]#", value, maxsplit=1)[0].rstrip()


def _line_starting(text: str, prefix: str, after: int = 0) -> int | None:
    """Where a line starting with `prefix` starts (str.find: far quicker than a multi-line regex
    over thousands of files)."""
    if after == 0 and text.startswith(prefix):
        return 0
    at = text.find("\n" + prefix, max(after - 1, 0))
    return at + 1 if at >= 0 else None


def _json(text: str, keys: tuple[str, ...]) -> dict[str, str] | None:
    try:
        data = json.loads(text)
    except ValueError:
        return _read(text, keys)
    return _scalars(data, keys)


def _read(text: str, keys: tuple[str, ...]) -> dict[str, str] | None:
    doc, _ = read_yaml_text(text, "")
    return _scalars(doc.data, keys) if doc is not None else None


def _scalars(data: object, keys: tuple[str, ...]) -> dict[str, str] | None:
    if not isinstance(data, dict):
        return None
    out = {}
    for key in keys:
        value = data.get(key)
        raw = getattr(value, "raw", None)  # a number kept as written (see models/base.py)
        if isinstance(raw, str):
            out[key] = raw
        elif isinstance(value, str | int | float) and not isinstance(value, bool):
            out[key] = str(value)
    return out
