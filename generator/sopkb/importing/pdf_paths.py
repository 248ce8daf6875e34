"""A PDF page's paths and images, read with pdfium (pypdfium2) as pdfminer makes them.

Each path is cut into subpaths and each subpath is, by pdfminer's rule, a "line" (one segment),
a "rect" (four axis-aligned sides, closed) or a "curve" (its points): the ruling lines
pdfplumber's table finder looks for. Coordinates are pdfplumber's: from the page's top left, y
downwards.
"""

from __future__ import annotations

import ctypes
from typing import Any

Obj = dict[str, Any]  # one object as pdfplumber has it (page.lines, page.rects, …)

_PRECISION = 3  # pdfium computes in 32-bit floats: 84.35 comes back as 84.3499984741


def drawn_objects(page, number: int, height: float, doctop: float):
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
