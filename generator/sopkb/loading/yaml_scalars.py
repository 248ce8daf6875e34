"""What a plain YAML scalar means in a source: YAML 1.2's few implicit types, nothing more.

Booleans are only true/false (an answer written `Yes` stays the text "Yes", not True: "the
Norway problem"), and a number remembers how it was written, so `version: 1.10` can still be
read as "1.10".
"""

from __future__ import annotations

import re

STR_TAG = "tag:yaml.org,2002:str"
PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")
}

# YAML 1.2-style implicit types: true/false only, ints, floats, null, ISO dates. Keyed by the
# first character, tried in order, as PyYAML's Resolver does (an empty value is keyed by "").
IMPLICIT: dict[str, list[tuple[str, re.Pattern[str]]]] = {}


def _implicit(name: str, pattern: str, first: list[str]) -> None:
    for char in first:
        IMPLICIT.setdefault(char, []).append((f"tag:yaml.org,2002:{name}", re.compile(pattern)))


_implicit("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF"))
_implicit("int", r"^[-+]?[0-9]+$", list("-+0123456789"))
_implicit("float", r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$", list("-+0123456789."))
_implicit("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""])
_implicit("timestamp", r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", list("0123456789"))


def _remembering(base: type) -> type:
    """A number type that remembers how it was written, so `version: 1.10` can still be read as "1.10"."""

    class Remembered(base):
        raw: str

        def __new__(cls, value: object, raw: str):  # noqa: ANN204
            obj = super().__new__(cls, value)
            obj.raw = raw
            return obj

    Remembered.__name__ = Remembered.__qualname__ = base.__name__.capitalize() + "AsWritten"
    return Remembered


Number = _remembering(float)
Integer = _remembering(int)


def resolve(value: str) -> str:
    """The implicit tag of plain (unquoted) text: a boolean, number, null, date, or else text."""
    for tag, pattern in IMPLICIT.get(value[:1], ()):
        if pattern.match(value):
            return tag
    return STR_TAG


def unsupported_tag(tag: str) -> str:
    return f"unsupported YAML tag {tag!r} (sources use plain text, lists and mappings)"
