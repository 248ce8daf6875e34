"""An HTML table's bookkeeping while the page streams past: its rows, the open row and cell, and
the columns a cell above still covers (rowspan).

A table is read into a grid whose rows are as wide as its widest: a cell spanning columns
(colspan) or rows (rowspan) keeps its text once, in its first place, and the places it covers are
empty, so the columns stay aligned. Unclosed <td> and <tr> (common) are closed by what follows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .html_tags import attribute_int, collapse


@dataclass
class HtmlTable:
    count: Callable[[int], None]  # told of each closed cell's places, against the page's limit
    rows: list[list[str]] = field(default_factory=list)
    row: list[str] | None = None
    cell: list[str] | None = None  # the open cell's lines
    cell_span: int = 1
    spans: dict[int, int] = field(default_factory=dict)  # column → rows still covered by a rowspan
    line: int = 0

    def open_row(self) -> None:
        self.close_row()
        self.row = []

    def open_cell(self, attributes: dict[str, str]) -> None:
        self.close_cell()
        if self.row is None:
            self.row = []
        self._skip_spanned()
        self.cell = [""]
        self.cell_span = min(max(attribute_int(attributes.get("colspan")) or 1, 1), 1000)
        rows = min(max(attribute_int(attributes.get("rowspan")) or 1, 1), 1000)
        if rows > 1:
            for column in range(len(self.row), len(self.row) + self.cell_span):
                self.spans[column] = rows - 1

    def _skip_spanned(self) -> None:
        """Columns still covered by a cell above (rowspan) stay empty in this row."""
        while self.row is not None and self.spans.get(len(self.row), 0) > 0:
            column = len(self.row)
            self.spans[column] -= 1
            self.row.append("")

    def close_cell(self) -> None:
        if self.cell is None:
            return
        text = "\n".join(p for p in (collapse(line) for line in self.cell) if p)
        self.cell = None
        if self.row is None:
            self.row = []
        self.row.append(text)
        self.row.extend([""] * (self.cell_span - 1))
        self.count(self.cell_span)

    def close_row(self) -> None:
        self.close_cell()
        if self.row is not None:
            self._skip_spanned()
            if self.row:
                self.rows.append(self.row)
            self.row = None

    def grid(self) -> tuple[tuple[str, ...], ...]:
        """The rows read, each as wide as the widest."""
        width = max((len(row) for row in self.rows), default=0)
        return tuple(tuple(row + [""] * (width - len(row))) for row in self.rows)
