"""A PDF's pages → blocks: headings, list items and paragraphs from the lines of every page, and
the tables in their places.

The rules work on the whole document, not page by page: the body text's size is the commonest
size of all, a heading is measured against it, a list item's level is the rank of its marker's
indentation among all the markers, running headers and footers are lines that repeat on most
pages, and a table that goes on at the top of the next page is one table.
"""

from __future__ import annotations

import re
from collections import Counter

from .blocks import Block, UnreadableDocument, Where
from .markers import split_marker
from .pdf_lines import Group, Line, continues
from .pdf_page import Page
from .pdf_tables import Table, continue_table

HEADING_RATIO = 1.15
CHROME_BAND = 0.06  # the top and bottom 6% of a page, where Word puts headers and footers (0.5 inch)


class Assembler:
    """The blocks of a document's pages, once it is known to have a text layer."""

    def __init__(self, display: str, pages: list[Page]):
        self.display = display
        self.pages = pages

    def blocks(self) -> list[Block]:
        self._check_text_layer()
        chrome = self._chrome()
        lines = [ln for p in self.pages for ln in p.lines if (p.number, ln.text) not in chrome]
        sizes = Counter()
        for line in lines:
            sizes[line.size] += len(line.text)
        body = sizes.most_common(1)[0][0] if sizes else 0.0
        headings = self._heading_levels(lines, body)
        item_levels = self._item_levels(lines, body, headings)
        groups = self._group(lines, body, headings, item_levels)
        return self._with_tables(groups)

    def _check_text_layer(self) -> None:
        chars = sum(p.chars for p in self.pages)
        if chars == 0:
            raise UnreadableDocument("has no text layer (a scan?); run OCR first")
        scanned = [p.number for p in self.pages if p.chars == 0 and p.images > 0.3]
        if scanned:
            listed = ", ".join(map(str, scanned[:10])) + (" …" if len(scanned) > 10 else "")
            raise UnreadableDocument(
                f"has {'a page' if len(scanned) == 1 else 'pages'} without a text layer (scanned:"
                f" page {listed}); run OCR first"
            )
        unmapped = sum(p.unmapped for p in self.pages)
        if unmapped > 0.2 * chars:
            raise UnreadableDocument(
                "has text in fonts that give no characters (only glyph numbers); run OCR first"
            )

    def _chrome(self) -> set[tuple[int, str]]:
        """Running headers and footers: the same line (digits aside) near the top or bottom of
        most pages, on three pages or more."""
        if len(self.pages) < 3:
            return set()
        seen: dict[str, set[int]] = {}
        where: dict[str, list[tuple[int, str]]] = {}
        for page in self.pages:
            for line in page.lines:
                if line.top < CHROME_BAND * page.height or line.bottom > (1 - CHROME_BAND) * page.height:
                    key = re.sub(r"\d+", "#", line.text.lower())
                    seen.setdefault(key, set()).add(page.number)
                    where.setdefault(key, []).append((page.number, line.text))
        chrome: set[tuple[int, str]] = set()
        for key, pages in seen.items():
            if len(pages) >= 3 and len(pages) >= 0.5 * len(self.pages):
                chrome.update(where[key])
        return chrome

    @staticmethod
    def _is_heading(line: Line, body: float) -> bool:
        if line.size >= body * HEADING_RATIO:
            return True
        marker = split_marker(line.text)
        return line.bold and marker is None and len(line.text) <= 120 and not line.text.endswith(".")

    def _heading_levels(self, lines: list[Line], body: float) -> dict[tuple[float, bool], int]:
        styles = sorted(
            {(ln.size, ln.bold) for ln in lines if self._is_heading(ln, body)},
            key=lambda style: (-style[0], not style[1]),
        )
        return {style: level for level, style in enumerate(styles, start=1)}

    def _item_levels(self, lines, body, headings) -> list[float]:
        """The distinct indentations of list markers, left to right: level 0, 1, 2 …"""
        indents: list[float] = []
        for line in lines:
            if (line.size, line.bold) in headings and self._is_heading(line, body):
                continue
            if split_marker(line.text) is not None:
                indents.append(line.x0)
        clusters: list[float] = []
        for x in sorted(indents):
            if not clusters or x - clusters[-1] > 4:
                clusters.append(x)
        return clusters

    def _table_between(self, above: Line, below: Line) -> bool:
        start, end = (above.page, above.top), (below.page, below.top)
        between = self.pages[above.page - 1 : below.page]  # pages are numbered from 1, in order
        return any(start < (page.number, table.top) < end for page in between for table in page.tables)

    def _group(self, lines, body, headings, item_levels) -> list[Group]:
        groups: list[Group] = []
        pending_marker: tuple[Line, str | None] | None = None
        for line in lines:
            if self._is_heading(line, body):
                style = (line.size, line.bold)
                last = groups[-1] if groups else None
                if (
                    last is not None
                    and last.kind == "heading"
                    and last.style == style
                    and line.page == last.last.page
                    and line.top - last.last.bottom < 0.6 * line.size
                ):
                    last.add(line)
                else:
                    groups.append(
                        Group("heading", [line.text], line, line, level=headings[style], style=style)
                    )
                pending_marker = None
                continue
            marker = split_marker(line.text)
            if pending_marker is not None and marker is None:
                # "•" or "1." alone on its line, the text on the next: one item.
                first, number = pending_marker
                groups.append(self._item(first, number, line.text, line, item_levels))
                pending_marker = None
                continue
            pending_marker = None
            if marker is not None:
                if not marker.text:
                    pending_marker = (line, marker.number)
                    continue
                groups.append(self._item(line, marker.number, marker.text, line, item_levels))
            elif (
                groups
                and groups[-1].kind != "heading"
                and not self._table_between(groups[-1].last, line)
                and continues(groups[-1], line)
            ):
                groups[-1].add(line)
            else:
                groups.append(Group("paragraph", [line.text], line, line))
        if pending_marker is not None:  # a marker with nothing after it keeps its place
            first, number = pending_marker
            groups.append(Group("paragraph", [first.text], first, first))
        return groups

    @staticmethod
    def _item(first: Line, number: str | None, text: str, last: Line, levels: list[float]) -> Group:
        level = max((i for i, x in enumerate(levels) if first.x0 >= x - 4), default=0)
        return Group("item", [text], first, last, level=level, number=number)

    def _with_tables(self, groups: list[Group]) -> list[Block]:
        """Text and tables by page and position; a table that goes on at the top of the next
        page (same columns, nothing in between) is one table."""
        entries: list[tuple[int, float, int, Group | Table]] = []
        for order, group in enumerate(groups):
            entries.append((group.first.page, group.first.top, order, group))
        for page in self.pages:
            for order, table in enumerate(page.tables):
                entries.append((page.number, table.top, -1 - order, table))
        entries.sort(key=lambda e: (e[0], e[1], e[2]))
        kept: list[Group | Table] = []
        for _page, _top, _order, entry in entries:
            previous = kept[-1] if kept else None
            if (
                isinstance(entry, Table)
                and isinstance(previous, Table)
                and entry.page == previous.last_page + 1
                and entry.columns == previous.columns
            ):
                continue_table(previous, entry)
            else:
                kept.append(entry)
        blocks = (self._block(entry) for entry in kept)
        return [block for block in blocks if block is not None]

    def _block(self, entry: Group | Table) -> Block | None:
        if isinstance(entry, Table):
            rows = tuple(tuple(row) + ("",) * (entry.columns - len(row)) for row in entry.rows)
            if not any(cell for row in rows for cell in row):
                return None
            return Block("table", "", Where(self.display, page=entry.page), rows=rows)
        if not entry.text:
            return None
        where = Where(self.display, page=entry.first.page)
        return Block(entry.kind, entry.text, where, entry.level, entry.number)  # type: ignore[arg-type]
