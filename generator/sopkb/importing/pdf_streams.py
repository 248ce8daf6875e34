"""How much a PDF's pages unpack to, bounded before anything inflates them.

To read a page's text, pdfium inflates its content streams, the forms they draw and the fonts they
use, in C and without a limit of its own. A decompression bomb is a few kilobytes that inflate to
megabytes of text operators: 31 KB became 5 million characters, 6 GB of memory and minutes of work.
So each of those streams is inflated here first, in bounded steps and only up to what is left of
the page's allowance, counting bytes and keeping none. A shared font or form is counted once.

Filters other than Flate (LZW, run-length; rare in PDFs made this century) are counted by their
packed size.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

from .blocks import UnreadableDocument

MAX_PAGE_UNPACKED_BYTES = 5 * 1024 * 1024
"""A dense page of a procedure is 50–200 KB of content and a few fonts; 5 MB is a drawing-heavy one."""

MAX_DOCUMENT_UNPACKED_BYTES = 200 * 1024 * 1024

MAX_PAGE_CHARACTERS = 100_000
"""A page of small print holds about 6,000 characters."""

_CHUNK = 256 * 1024
_MAX_FORM_DEPTH = 10


def check_unpacked(pages: list) -> None:
    """`pages`: pdfminer's PDFPage objects, from the page-tree walk that counted them."""
    seen: set[int] = set()
    total = 0
    for number, page in enumerate(pages, start=1):
        size = 0
        for stream in _streams(page, seen):
            size += _unpacked(stream, MAX_PAGE_UNPACKED_BYTES - size + 1)
            if size > MAX_PAGE_UNPACKED_BYTES:
                raise UnreadableDocument(
                    f"page {number} would unpack to more than {MAX_PAGE_UNPACKED_BYTES // 2**20} MB of"
                    " drawing instructions; a page of a procedure needs far less (a decompression bomb?)"
                )
        total += size
        if total > MAX_DOCUMENT_UNPACKED_BYTES:
            raise UnreadableDocument(
                f"would unpack to more than {MAX_DOCUMENT_UNPACKED_BYTES // 2**20} MB of pages, forms"
                " and fonts (a decompression bomb?)"
            )


def too_many_characters(number: int, count: int) -> UnreadableDocument:
    return UnreadableDocument(
        f"page {number} holds {count:,} characters; a page of small print holds about 6,000"
        f" (sopkb reads up to {MAX_PAGE_CHARACTERS:,} a page)"
    )


def _streams(page, seen: set[int]) -> Iterator:  # noqa: ANN001 - pdfminer's PDFPage
    from pdfminer.pdftypes import resolve1

    for content in page.contents or []:
        yield from _once(resolve1(content), seen)
    yield from _resource_streams(resolve1(page.resources), seen, 0)


def _resource_streams(resources, seen: set[int], depth: int) -> Iterator:  # noqa: ANN001
    from pdfminer.pdftypes import resolve1

    if not isinstance(resources, dict) or depth > _MAX_FORM_DEPTH:
        return
    for value in _values(resolve1(resources.get("XObject"))):
        form = resolve1(value)
        if _name(getattr(form, "attrs", {}).get("Subtype")) != "Form" or id(form) in seen:
            continue  # images are never inflated to read text
        yield from _once(form, seen)
        yield from _resource_streams(resolve1(form.attrs.get("Resources")), seen, depth + 1)
    for value in _values(resolve1(resources.get("Font"))):
        yield from _font_streams(resolve1(value), seen, depth)


def _font_streams(font, seen: set[int], depth: int) -> Iterator:  # noqa: ANN001
    from pdfminer.pdftypes import resolve1

    if not isinstance(font, dict) or id(font) in seen:
        return
    seen.add(id(font))
    descriptor = resolve1(font.get("FontDescriptor"))
    if isinstance(descriptor, dict):
        for key in ("FontFile", "FontFile2", "FontFile3"):
            yield from _once(resolve1(descriptor.get(key)), seen)
    for value in _values(resolve1(font.get("CharProcs"))):  # a Type 3 font draws each glyph
        yield from _once(resolve1(value), seen)
    for descendant in resolve1(font.get("DescendantFonts")) or []:
        yield from _font_streams(resolve1(descendant), seen, depth)
    yield from _resource_streams(resolve1(font.get("Resources")), seen, depth + 1)


def _values(mapping) -> list:  # noqa: ANN001
    return list(mapping.values()) if isinstance(mapping, dict) else []


def _once(stream, seen: set[int]) -> Iterator:  # noqa: ANN001
    from pdfminer.pdftypes import PDFStream

    if isinstance(stream, PDFStream) and id(stream) not in seen:
        seen.add(id(stream))
        yield stream


def _name(value) -> str:  # noqa: ANN001
    return str(getattr(value, "name", value) or "")


def _unpacked(stream, budget: int) -> int:  # noqa: ANN001 - pdfminer's PDFStream
    """Its size once inflated, counted up to `budget` (past it, the count stops there)."""
    if stream.data is not None:  # pdfminer already decoded it
        return len(stream.data)
    raw = stream.rawdata or b""
    filters = stream.get_filters()
    if not filters or _name(filters[0][0]) not in ("FlateDecode", "Fl"):
        return len(raw)
    inflater = zlib.decompressobj()
    size, pending = 0, raw
    try:
        while pending and size <= budget:
            size += len(inflater.decompress(pending, _CHUNK))
            pending = inflater.unconsumed_tail
    except zlib.error:
        pass  # a damaged stream: pdfium reads what it can of it, as it would anyway
    return size
