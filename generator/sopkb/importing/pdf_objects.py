"""What is drawn on a PDF page — characters, ruling lines and rectangles, images — as the plain
dictionaries pdfplumber makes of them, so that pdfplumber's table finder and text-line grouping
work on them unchanged, whichever library read the page.

Two readers make them:

- `pdfium_objects`, with pdfium (pypdfium2): the page is interpreted in C, and only a few calls
  per character are made from Python, about five times faster than pdfminer (0.1 ms a
  character). Each character keeps the box pdfminer gives it (from its origin, its advance wide
  and its font size tall, from the font's descent below the baseline); each path is cut into
  subpaths and each subpath is, by pdfminer's rule, a "line" (one segment), a "rect" (four
  axis-aligned sides, closed) or a "curve" (its points). Coordinates are pdfplumber's: from the
  page's top left, y downwards.
- `pdfplumber_objects`, with pdfplumber and pdfminer: for the pages the first one does not model
  — a turned page (/Rotate), text that is not upright, drawings inside form XObjects — where it
  returns None.

Where the two differ: pdfium takes a font's descent from the font program when the descriptor
says 0 (LibreOffice's do), so boxes sit a little lower, all alike; it keeps glyph widths as
whole thousandths of an em, so on fonts with fractional /Widths (TeX's) positions drift by up to
half a point across a line; and text drawn twice on the same spot (a fake bold) is read once.
"""

from __future__ import annotations

import ctypes
import functools
from dataclasses import dataclass
from itertools import chain
from typing import Any

from .pdf_streams import MAX_PAGE_CHARACTERS, too_many_characters

Obj = dict[str, Any]

_PRECISION = 3  # pdfium computes in 32-bit floats: 84.35 comes back as 84.3499984741


@dataclass
class PageObjects:
    number: int
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom, as pdfplumber's page.bbox
    chars: list[Obj]
    edges: list[Obj]  # ruling-line candidates, for pdfplumber's TableFinder (page.edges)
    images: list[Obj]

    @property
    def width(self) -> float:
        return self.bbox[2] - self.bbox[0]

    @property
    def height(self) -> float:
        return self.bbox[3] - self.bbox[1]


def pdfplumber_objects(page) -> PageObjects:
    """A pdfplumber page's objects (pdfminer parses the page here)."""
    return PageObjects(page.page_number, tuple(page.bbox), page.chars, page.edges, page.images)


def pdfium_objects(document, index: int, page) -> PageObjects | None:
    """The objects of page `index` of a pypdfium2 document, placed on pdfplumber's `page` (the
    same page: its boxes and place in the document as pdfminer reads them); None when the page
    holds what this reader does not model."""
    if page.rotation != 0:
        return None
    bbox = tuple(page.bbox)
    height, number, doctop = page.height, page.page_number, page.initial_doctop
    pdfium_page = document[index]
    try:
        drawn = _drawn(pdfium_page.raw, number, height, doctop)
        if drawn is None:
            return None
        textpage = pdfium_page.get_textpage()
        try:
            chars = _chars(textpage.raw, number, height, doctop)
        finally:
            textpage.close()
    finally:
        pdfium_page.close()
    if chars is None:
        return None
    lines, rects, curves, images = drawn
    from pdfplumber import utils

    edges = [
        *map(utils.line_to_edge, lines),
        *chain.from_iterable(map(utils.rect_to_edges, rects)),
        *chain.from_iterable(map(utils.curve_to_edges, curves)),
    ]
    return PageObjects(number, bbox, chars, edges, images)


# ---------------------------------------------------------------- characters


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


def _chars(textpage, number: int, height: float, doctop: float) -> list[Obj] | None:
    """The page's characters; None if one is not upright (turned or mirrored text)."""
    import pypdfium2.raw as pdfium

    calls = _calls()
    page = ctypes.cast(textpage, ctypes.c_void_p).value
    x_out, y_out = ctypes.c_double(), ctypes.c_double()
    x_at, y_at = ctypes.pointer(x_out), ctypes.pointer(y_out)
    loose, width = pdfium.FS_RECTF(), ctypes.c_float()
    loose_at, width_at = ctypes.addressof(loose), ctypes.addressof(width)
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
        # How far the glyph moves the pen, in text space: pdfminer's `adv`, from the font's
        # /Widths. pdfium's loose box is exactly that (from the origin to the advance, font-size
        # tall) when the font descriptor gives an ascent and a descent; when it does not
        # (LibreOffice writes zeros) it is the glyph's outline, and the width is looked up by the
        # character instead (which needs a way back from character to glyph).
        a = run.matrix[0]
        advance = None
        if run.loose_is_advance is not False:
            calls.loose_box(page, index, loose_at)
            if run.loose_is_advance is None:
                tall = abs(loose.top - loose.bottom - a * run.size) < 1e-3 * max(run.size, 1)
                run.loose_is_advance = tall and abs(loose.left - x) < 1e-3
            if run.loose_is_advance:
                advance = (loose.right - loose.left) / a
        if advance is None:
            glyph = 0x2D if text == "-" else ord(text) if len(text) == 1 else 0
            if glyph and calls.glyph_width(run.font_address, glyph, run.size, width_at) and width.value > 0:
                advance = width.value
            else:
                calls.loose_box(page, index, loose_at)
                advance = (loose.right - loose.left) / a
        chars.append(_char(run, text, x, y, advance, number, height, doctop))
    return chars


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


# ---------------------------------------------------------------- paths and images


def _drawn(page, number: int, height: float, doctop: float):
    """(lines, rects, curves, images) as pdfminer makes them; None if the page has form XObjects
    (what they draw is in the form's own space)."""
    import pypdfium2.raw as pdfium

    lines: list[Obj] = []
    rects: list[Obj] = []
    curves: list[Obj] = []
    images: list[Obj] = []
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    for index in range(pdfium.FPDFPage_CountObjects(page)):
        item = pdfium.FPDFPage_GetObject(page, index)
        kind = pdfium.FPDFPageObj_GetType(item)
        if kind == pdfium.FPDF_PAGEOBJ_FORM:
            return None
        if kind == pdfium.FPDF_PAGEOBJ_IMAGE:
            if pdfium.FPDFPageObj_GetBounds(item, left, bottom, right, top):
                box = (left.value, bottom.value, right.value, top.value)
                images.append(_boxed("image", number, height, doctop, *box))
        elif kind == pdfium.FPDF_PAGEOBJ_PATH:
            for shape, points in _subpaths(item):
                _classify(shape, points, (number, height, doctop), lines, rects, curves)
    return lines, rects, curves, images


def _subpaths(path):
    """Each subpath as pdfminer sees it: its operators ("m", "l", "c", "h") and their end
    points, in page space."""
    import pypdfium2.raw as pdfium

    matrix = pdfium.FS_MATRIX()
    pdfium.FPDFPageObj_GetMatrix(path, matrix)
    a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
    x, y = ctypes.c_float(), ctypes.c_float()
    shape: list[str] = []
    points: list[tuple[float, float]] = []
    bezier = 0
    for index in range(pdfium.FPDFPath_CountSegments(path)):
        segment = pdfium.FPDFPath_GetPathSegment(path, index)
        pdfium.FPDFPathSegment_GetPoint(segment, x, y)
        point = (
            round(a * x.value + c * y.value + e, _PRECISION),
            round(b * x.value + d * y.value + f, _PRECISION),
        )
        kind = pdfium.FPDFPathSegment_GetType(segment)
        if kind == pdfium.FPDF_SEGMENT_MOVETO:
            if shape:
                yield "".join(shape), points
            shape, points = ["m"], [point]
        elif kind == pdfium.FPDF_SEGMENT_BEZIERTO:
            bezier += 1  # pdfium gives a curve as three points (two controls, then the end): one "c"
            if bezier < 3:
                continue
            bezier = 0
            shape.append("c")
            points.append(point)
        else:
            shape.append("l")
            points.append(point)
        if pdfium.FPDFPathSegment_GetClose(segment) and points:
            shape.append("h")  # pdfium marks the segment that closes; pdfminer has an "h" back to the start
            points.append(points[0])
    if shape:
        yield "".join(shape), points


def _classify(shape: str, points, where, lines: list[Obj], rects: list[Obj], curves: list[Obj]) -> None:
    """pdfminer's PDFLayoutAnalyzer.paint_path, for one subpath."""
    if not shape.startswith("m"):
        return
    if len(shape) > 3 and shape.endswith("lh") and points[-2] == points[0]:
        shape = shape[:-2] + "h"  # a redundant "l" back to the start before the close
        points = points[:-1]
    if shape in ("mlh", "ml"):
        (xa, ya), (xb, yb) = points[0], points[1]
        line = _boxed("line", *where, min(xa, xb), min(ya, yb), max(xa, xb), max(ya, yb))
        line["pts"] = _flipped(points[:2], where[1])
        lines.append(line)
        return
    if shape in ("mlllh", "mllll"):
        (xa, ya), (xb, yb), (xc, yc), (xd, yd), _ = points
        square = (xa == xb and yb == yc and xc == xd and yd == ya) or (
            ya == yb and xb == xc and yc == yd and xd == xa
        )
        if points[0] == points[4] and square:
            rects.append(_boxed("rect", *where, min(xa, xc), min(ya, yc), max(xa, xc), max(ya, yc)))
            return
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    curve = _boxed("curve", *where, min(xs), min(ys), max(xs), max(ys))
    curve["pts"] = _flipped(points, where[1])
    curves.append(curve)


def _flipped(points, height: float) -> list[tuple[float, float]]:
    return [(x, height - y) for x, y in points]


def _boxed(kind: str, number: int, height: float, doctop: float, x0, y0, x1, y1) -> Obj:
    x0, y0, x1, y1 = (round(v, _PRECISION) for v in (x0, y0, x1, y1))
    top, bottom = height - y1, height - y0
    return {
        "object_type": kind,
        "page_number": number,
        "x0": x0,
        "x1": x1,
        "y0": y0,
        "y1": y1,
        "top": top,
        "bottom": bottom,
        "doctop": doctop + top,
        "width": x1 - x0,
        "height": bottom - top,
    }
