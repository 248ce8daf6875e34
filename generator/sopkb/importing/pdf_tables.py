"""A PDF's ruled tables: each cell's text read as paragraphs, and a table that runs on over a
page break joined again.

pdfplumber's table finder gives the cells' boxes; a character belongs to the cell its centre is
in (a glyph's box pokes out of its cell's top). The table's text is taken out of the page's
text (pdf_page.py), so it is not read twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from .markers import split_marker
from .pdf_lines import Group, Line, continues, text_lines
from .pdf_objects import PageObjects

_END_OF_SENTENCE = tuple(".:!?;”\"’')]")


@dataclass
class Table:
    page: int
    top: float
    rows: list[list[str]]
    columns: int
    last_page: int = 0  # the page it ends on, once continued

    def __post_init__(self) -> None:
        self.last_page = self.last_page or self.page


class Placed:
    """A character and its centre, which decides the table cell it belongs to: a glyph's box
    pokes out of its cell's top."""

    __slots__ = ("char", "x", "y")

    def __init__(self, char: dict):
        self.char = char
        self.x = (char["x0"] + char["x1"]) / 2
        self.y = (char["top"] + char["bottom"]) / 2

    def inside(self, box) -> bool:
        return box[0] <= self.x <= box[2] and box[1] <= self.y <= box[3]


def read_table(page: PageObjects, table, bbox, placed: list[Placed]) -> Table:
    """The table's cells, each read as paragraphs like the page (so a cell's line breaks are
    the author's, not the column width's); a merged cell's other places are empty strings."""
    rows: list[list[str]] = []
    inside = [p for p in placed if p.inside(bbox)]
    for row in table.rows:
        cells: list[str] = []
        present = [box for box in row.cells if box is not None]
        top, bottom = min(b[1] for b in present), max(b[3] for b in present)
        near = [p for p in inside if top <= p.y <= bottom]  # the row's band first: fewer to test
        for box in row.cells:
            if box is None:
                cells.append("")
                continue
            lines = text_lines(page, [p.char for p in near if p.inside(box)], right=None)
            if lines:
                padding = max(lines[0].x0 - box[0], 0.0) if lines else 0.0
                for line in lines:
                    line.right = box[2] - padding
            cells.append("\n".join(b.text for b in _paragraphs_of(lines)))
        rows.append(cells)
    return Table(page.number, float(bbox[1]), rows, max((len(r) for r in rows), default=0))


def _paragraphs_of(lines: list[Line]) -> list[Group]:
    """Lines of one table cell grouped into paragraphs and items (no headings in a cell)."""
    groups: list[Group] = []
    for line in lines:
        marker = split_marker(line.text)
        if marker is not None and marker.text:
            text = f"{marker.number} {marker.text}" if marker.number else marker.text
            groups.append(Group("paragraph", [text], line, line))
        elif groups and continues(groups[-1], line):
            groups[-1].add(line)
        else:
            groups.append(Group("paragraph", [line.text], line, line))
    return groups


def continue_table(table: Table, more: Table) -> None:
    """A table's part on the next page: the header row Word repeats goes, and a row the page
    break cut mid-sentence is joined back."""
    rows = list(more.rows)
    if rows and table.rows and rows[0] == table.rows[0]:
        rows.pop(0)
    if rows and table.rows:
        last, first = table.rows[-1], rows[0]
        new_row = bool(first[0]) and not first[0][:1].islower()  # a step number, a capital: a row
        cut = not new_row and any(
            a and b and not a.rstrip().endswith(_END_OF_SENTENCE) for a, b in zip(last, first, strict=False)
        )
        if cut:
            table.rows[-1] = [_join(a, b) for a, b in zip(last, first, strict=False)]
            rows.pop(0)
    table.rows.extend(rows)
    table.last_page = more.page


def _join(a: str, b: str) -> str:
    if not a or not b:
        return a or b
    if a.endswith("-") and a[-2:-1].isalpha():
        return a + b
    return f"{a} {b}"
