"""One PDF page as the document assembler needs it: its text lines (without the text of its
tables), its tables, and the counts that tell a scan from a page with text.
"""

from __future__ import annotations

from dataclasses import dataclass

from .pdf_lines import Line, text_lines
from .pdf_objects import PageObjects
from .pdf_tables import Placed, Table, read_table


@dataclass
class Page:
    number: int
    height: float
    lines: list[Line]
    tables: list[Table]
    chars: int
    unmapped: int  # characters the PDF gives no Unicode for, "(cid:12)"
    images: float  # the share of the page covered by images


def read_page(page: PageObjects) -> Page:
    """The page's tables, and its lines made of the characters no table holds."""
    from pdfplumber.table import TableFinder, TableSettings

    tables = TableFinder(page, TableSettings()).tables
    chars = page.chars
    placed = [Placed(c) for c in chars]
    boxes = [t.bbox for t in tables]
    text_chars = [p.char for p in placed if not any(p.inside(box) for box in boxes)] if boxes else chars
    lines = text_lines(page, text_chars, right=None)
    area = max(page.width * page.height, 1)
    images = sum(
        max(0.0, min(i["x1"], page.width) - max(i["x0"], 0))
        * max(0.0, min(i["bottom"], page.height) - max(i["top"], 0))
        for i in page.images
    )
    return Page(
        number=page.number,
        height=float(page.height),
        lines=lines,
        tables=[read_table(page, t, box, placed) for t, box in zip(tables, boxes, strict=True)],
        chars=sum(1 for c in chars if not c["text"].isspace()),
        unmapped=sum(1 for c in chars if c["text"].startswith("(cid:")),
        images=min(images / area, 1.0),
    )
