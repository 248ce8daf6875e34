"""An HTML page's bytes → its text, decoded as the page says.

A byte-order mark, else `<meta charset>` (or the http-equiv form, or an XML declaration) in the
first 1024 bytes, else UTF-8. A byte that is not valid in that encoding is an error naming the
byte, never silently replaced: a replaced character would change the procedure's text without
anyone seeing it.
"""

from __future__ import annotations

import codecs
import re

from ..core.console import one_line
from .blocks import UnreadableDocument

_META = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:\-]+)", re.IGNORECASE)
_XML_DECLARATION = re.compile(rb"^<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._\-]+)", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# As browsers do (WHATWG Encoding): a page labelled Latin-1 or ASCII is read as windows-1252, and
# a <meta> cannot declare UTF-16 (the bytes that declare it would not be UTF-16).
_ALIASES = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
    "us-ascii": "cp1252", "ascii": "cp1252", "l1": "cp1252",
    "utf-16": "utf-8", "utf-16le": "utf-8", "utf-16be": "utf-8", "unicode": "utf-8",
}  # fmt: skip


def decode_html(data: bytes) -> str:
    """The page's text, decoded by its byte-order mark, its declared charset or as UTF-8."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom) :], encoding, f"its byte-order mark says {encoding}")
    head = data[:1024]
    found = _XML_DECLARATION.search(head) or _META.search(head)
    if found is None:
        return _decode(data, "utf-8", "no charset is declared, so it is read as UTF-8")
    declared = found.group(1).decode("ascii", "replace")
    name = _ALIASES.get(declared.lower(), declared.lower())
    try:
        info = codecs.lookup(name)
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise UnreadableDocument(
            f"declares the charset {one_line(declared)!r}, which is no text encoding sopkb knows;"
            " save it as UTF-8 and import again"
        )
    return _decode(data, info.name, f"it declares the charset {one_line(declared)}")


def _decode(data: bytes, encoding: str, why: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise UnreadableDocument(
            f"is not valid {encoding} at byte {error.start + 1:,} (line {line}): {why};"
            " save it as UTF-8, or declare its real charset in <meta charset>, and import again"
        ) from None
