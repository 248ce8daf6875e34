"""WordprocessingML's namespace, and the two ways the Word reader's modules read an element: its
`w:val`, and a whole number, either of which may be absent or malformed in a real file (None, or
a default, rather than an error).
"""

from __future__ import annotations

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def to_int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def val(element, path: str) -> str | None:
    found = element.find(path) if element is not None else None
    return found.get(f"{W}val") if found is not None else None
