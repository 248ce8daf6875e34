"""A PDF page's characters, read with pdfium (pypdfium2) as pdfminer's LTChar dictionaries.

The page is interpreted in C and only a few calls per character are made from Python, about
five times faster than pdfminer (0.1 ms a character). Each character keeps the box pdfminer
gives it: from its origin, its advance wide and its font size tall, from the font's descent
below the baseline. Coordinates are pdfplumber's: from the page's top left, y downwards.

Where pdfium differs: it takes a font's descent from the font program when the descriptor says 0
(LibreOffice's do), so boxes sit a little lower, all alike; it keeps glyph widths as whole
thousandths of an em, so on fonts with fractional /Widths (TeX's) positions drift by up to half a
point across a line; and text drawn twice on the same spot (a fake bold) is read once.
"""

from __future__ import annotations

import ctypes
import functools
from dataclasses import dataclass
from typing import Any

from .pdf_streams import MAX_PAGE_CHARACTERS, too_many_characters

Obj = dict[str, Any]  # one object as pdfplumber has it (page.chars)


@dataclass
class _Run:
    """What the characters of one pdfium text object share."""

    fontname: str
    font_address: int | None  # the FPDF_FONT, for glyph widths
    size: float  # as set by Tf, before any matrix
    descent: float  # the font's, below the baseline, per point of font size (negative)
    matrix: tuple[float, float, float, float]  # text space to page space (Tz, Tm, CTM; no size)
    loose_is_advance: bool | None = None  # see _advance

    @property
    def upright(self) -> bool:  # as pdfminer's LTChar.upright
        a, b, c, d = self.matrix
        return a * d > 0 and b * c <= 0


class _Calls:
    """The pdfium functions read for every character, bound again with plain pointer arguments
    (pypdfium2's typed handles cost about a microsecond a call to convert; a page has thousands
    of characters)."""

    def __init__(self) -> None:
        import pypdfium2.raw as pdfium

        pointer, number, double = ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_double)

        def bind(function, result, *arguments):
            return ctypes.CFUNCTYPE(result, *arguments)(ctypes.cast(function, pointer).value)

        self.is_generated = bind(pdfium.FPDFText_IsGenerated, number, pointer, number)
        self.text_object = bind(pdfium.FPDFText_GetTextObject, pointer, pointer, number)
        self.unmapped = bind(pdfium.FPDFText_HasUnicodeMapError, number, pointer, number)
        self.origin = bind(pdfium.FPDFText_GetCharOrigin, number, pointer, number, double, double)
        self.loose_box = bind(pdfium.FPDFText_GetLooseCharBox, number, pointer, number, ctypes.c_void_p)
        self.glyph_width = bind(
            pdfium.FPDFFont_GetGlyphWidth, number, pointer, ctypes.c_uint32, ctypes.c_float, ctypes.c_void_p
        )


@functools.cache
def _calls() -> _Calls:
    return _Calls()


def page_chars(textpage, number: int, height: float, doctop: float) -> list[Obj] | None:
    """The page's characters; None if one is not upright (turned or mirrored text)."""
    import pypdfium2.raw as pdfium

    calls = _calls()
    page = ctypes.cast(textpage, ctypes.c_void_p).value
    x_out, y_out = ctypes.c_double(), ctypes.c_double()
    x_at, y_at = ctypes.pointer(x_out), ctypes.pointer(y_out)
    loose, width = pdfium.FS_RECTF(), ctypes.c_float()
    loose_at, width_at = ctypes.addressof(loose), ctypes.addressof(width)
    buffers = (loose, loose_at, width, width_at)
    count = pdfium.FPDFText_CountChars(textpage)
    if count > MAX_PAGE_CHARACTERS:
        raise too_many_characters(number, count)
    unicode = _text(textpage, count)
    runs: dict[int, _Run] = {}
    chars: list[Obj] = []
    last: tuple[int, float, float] | None = None
    for index in range(count):
        text = unicode[index] if unicode is not None else chr(pdfium.FPDFText_GetUnicode(textpage, index))
        if text in " \r\n" and calls.is_generated(page, index):  # spaces and line breaks pdfium infers
            continue
        key = calls.text_object(page, index)
        if not key:
            continue
        run = runs.get(key)
        if run is None:
            run = runs[key] = _run(ctypes.cast(key, pdfium.FPDF_PAGEOBJECT))
            if not run.upright:
                return None
        if calls.unmapped(page, index):
            text = f"(cid:{ord(text)})"  # no Unicode for the glyph: as pdfminer says it (unreadable)
        elif text in "\x02\ufffe" and pdfium.FPDFText_IsHyphen(textpage, index):
            text = "-"  # pdfium's mark for a hyphen that ends a line
        calls.origin(page, index, x_at, y_at)
        x, y = x_out.value, y_out.value
        if (key, x, y) == last:
            # One glyph, several characters (a ligature, "fi"): one char, as pdfminer has it, as
            # wide as the ligature's glyph.
            calls.loose_box(page, index, loose_at)
            char = chars[-1]
            char["text"] += text
            char["x1"] = max(char["x1"], char["x0"] + loose.right - loose.left)
            char["width"] = char["x1"] - char["x0"]
            continue
        last = (key, x, y)
        advance = _advance(calls, run, page, index, x, text, buffers)
        chars.append(_char(run, text, x, y, advance, number, height, doctop))
    return chars


def _advance(calls: _Calls, run: _Run, page: int, index: int, x: float, text: str, buffers) -> float:
    """How far the glyph moves the pen, in text space: pdfminer's `adv`, from the font's
    /Widths. pdfium's loose box is exactly that (from the origin to the advance, font-size
    tall) when the font descriptor gives an ascent and a descent; when it does not
    (LibreOffice writes zeros) it is the glyph's outline, and the width is looked up by the
    character instead (which needs a way back from character to glyph). `buffers`: where
    pdfium writes a loose box and a width, and their addresses."""
    loose, loose_at, width, width_at = buffers
    a = run.matrix[0]
    if run.loose_is_advance is not False:
        calls.loose_box(page, index, loose_at)
        if run.loose_is_advance is None:
            tall = abs(loose.top - loose.bottom - a * run.size) < 1e-3 * max(run.size, 1)
            run.loose_is_advance = tall and abs(loose.left - x) < 1e-3
        if run.loose_is_advance:
            return (loose.right - loose.left) / a
    glyph = 0x2D if text == "-" else ord(text) if len(text) == 1 else 0
    if glyph and calls.glyph_width(run.font_address, glyph, run.size, width_at) and width.value > 0:
        return width.value
    calls.loose_box(page, index, loose_at)
    return (loose.right - loose.left) / a


def _text(textpage, count: int) -> str | None:
    """The page's characters in one call, index by index; None if they do not line up."""
    import pypdfium2.raw as pdfium

    buffer = ctypes.create_string_buffer((count + 1) * 2)
    units = pdfium.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    text = buffer.raw[: max(units - 1, 0) * 2].decode("utf-16-le", "replace")
    return text if len(text) == count else None


def _run(text_object) -> _Run:
    import pypdfium2.raw as pdfium

    font = pdfium.FPDFTextObj_GetFont(text_object)
    name = ""
    descent = ctypes.c_float(0.0)
    size = ctypes.c_float(0.0)
    pdfium.FPDFTextObj_GetFontSize(text_object, size)
    if font:
        buffer = ctypes.create_string_buffer(256)
        length = pdfium.FPDFFont_GetBaseFontName(font, buffer, len(buffer))
        name = buffer.value.decode("utf-8", "replace") if 0 < length <= len(buffer) else ""
        if not pdfium.FPDFFont_GetDescent(font, 1.0, descent):
            descent.value = 0.0
    matrix = pdfium.FS_MATRIX()
    pdfium.FPDFPageObj_GetMatrix(text_object, matrix)
    address = ctypes.cast(font, ctypes.c_void_p).value if font else None
    return _Run(name, address, size.value, min(descent.value, 0.0), (matrix.a, matrix.b, matrix.c, matrix.d))


def _char(run: _Run, text: str, x: float, y: float, advance: float, number, height, doctop) -> Obj:
    """pdfminer's LTChar box: from the font's descent below the baseline, `advance` wide and
    the font size tall in text space, put on the page by the run's matrix at the glyph's origin."""
    a, b, c, d = run.matrix
    low, high = run.descent * run.size, (run.descent + 1) * run.size
    if b == 0 and c == 0:
        x0, x1 = x, x + a * advance
        y0, y1 = y + d * low, y + d * high
    else:
        xs = [x + a * u + c * v for u in (0, advance) for v in (low, high)]
        ys = [y + b * u + d * v for u in (0, advance) for v in (low, high)]
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    top = height - y1
    return {
        "object_type": "char",
        "page_number": number,
        "text": text,
        "fontname": run.fontname,
        "size": y1 - y0,  # pdfminer's: the box's height
        "upright": True,
        "x0": x0,
        "x1": x1,
        "y0": y0,
        "y1": y1,
        "top": top,
        "bottom": height - y0,
        "doctop": doctop + top,
        "width": x1 - x0,
        "height": y1 - y0,
    }
