"""What is drawn on a PDF page — characters, ruling lines and rectangles, images — as the plain
dictionaries pdfplumber makes of them, so that pdfplumber's table finder and text-line grouping
work on them unchanged, whichever library read the page.

Two readers make them:

- `pdfium_objects`, with pdfium (pypdfium2): the page is interpreted in C, and only a few calls
  per character are made from Python, about five times faster than pdfminer (0.1 ms a
  character). Its characters come from pdf_chars.py, its ruling lines, rectangles, curves and
  images from pdf_paths.py; where pdfium's boxes differ from pdfminer's is said there.
- `pdfplumber_objects`, with pdfplumber and pdfminer: for the pages the first one does not model
  — a turned page (/Rotate), text that is not upright, drawings inside form XObjects — where it
  returns None.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

from .pdf_chars import Obj, page_chars
from .pdf_paths import drawn_objects


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
        drawn = drawn_objects(pdfium_page.raw, number, height, doctop)
        if drawn is None:
            return None
        textpage = pdfium_page.get_textpage()
        try:
            chars = page_chars(textpage.raw, number, height, doctop)
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
