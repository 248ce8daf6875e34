"""HTML → blocks, with the standard library's streaming parser (html.parser).

The parser hands over tags and text one at a time and builds no tree, so nothing here recurses:
a page nested a hundred thousand `<div>`s deep reads like a flat one. Only lists and tables are
kept on a stack (their numbering and cells need it), and that stack is bounded
(`limits.MAX_NESTING`). Navigation, banners, footers, scripts and styles are left out.

The bytes are decoded as the page says (html_charset.py); what tags and attributes mean is in
html_tags.py, a list's numbers in html_lists.py, a table's rows and cells in html_tables.py. This
module turns the stream of tags and text into blocks.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from ..core.console import one_line
from . import limits
from .blocks import Block, UnreadableDocument, Where
from .html_charset import decode_html
from .html_lists import HtmlList, new_list, number_reversed
from .html_tables import HtmlTable
from .html_tags import (
    BLOCK_TAGS,
    HEADINGS,
    TITLE_CLASSES,
    VOID,
    WORD_LIST_LEVEL,
    classes,
    collapse,
    is_chrome,
    is_list_label,
)
from .markers import BULLETS, split_marker


def read_html(path: Path, display: str) -> list[Block]:
    """The blocks of an HTML page, in reading order."""
    text = decode_html(limits.read_bytes(path))
    reader = _Reader(display)
    try:
        reader.feed(text)
        reader.close()
    except UnreadableDocument:
        raise
    except (AssertionError, ValueError) as error:  # html.parser's own complaints on broken markup
        raise UnreadableDocument(f"is HTML that cannot be parsed ({one_line(str(error))[:200]})") from None
    reader.finish()
    return reader.blocks


class _Reader(HTMLParser):
    """The page's blocks, built as tags and text stream past; `finish` reads what is left open."""

    def __init__(self, display: str):
        super().__init__(convert_charrefs=True)
        self.display = display
        self.blocks: list[Block] = []
        self.text: list[str] = []  # the block being read, outside any table cell
        self.text_line: int | None = None
        self.heading: int | None = None
        self.heading_tag: str | None = None
        self.lists: list[HtmlList] = []
        self.tables: list[HtmlTable] = []
        self.skipping: str | None = None  # the chrome element being skipped, and how deep
        self.skip_depth = 0
        self.landmark_depth = 0  # inside <main> or <article>
        self.cells = 0
        # A list label a word processor writes as text: LibreOffice's <span class="ListLabel…">
        # inside an <li> that already counts, Word's <span style="mso-list:Ignore"> in a list
        # paragraph that is no <li>. Its text is kept apart until the block ends.
        self.label: list[str] = []
        self.label_depth = 0
        self.word_list_level: int | None = None  # a Word list paragraph's "mso-list: l0 level2"
        self.pre_depth = 0  # inside <pre>, a line break in the source is one on the page

    # ------------------------------------------------------------ events

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping is not None:
            if tag == self.skipping:
                self.skip_depth += 1
            return
        attributes = {name: value or "" for name, value in attrs}
        if is_chrome(tag, attributes, in_landmark=self.landmark_depth > 0):
            self._boundary()
            if tag not in VOID:
                self.skipping, self.skip_depth = tag, 1
            return
        if tag in ("main", "article"):
            self.landmark_depth += 1
        if tag == "span" and (self.label_depth or is_list_label(attributes)):
            self.label_depth += 1
            return
        if tag in HEADINGS or (tag == "p" and classes(attributes) & TITLE_CLASSES):
            self._boundary()
            self.heading, self.heading_tag = HEADINGS.get(tag, 1), tag
        elif tag in ("ul", "ol", "menu", "dir"):
            self._boundary()
            self._nest()
            self.lists.append(new_list(tag, attributes))
        elif tag == "li":
            self._boundary()
            self._open_item(attributes)
        elif tag == "table":
            self._boundary()
            self._nest()
            self.tables.append(HtmlTable(self._count, line=self.getpos()[0]))
        elif tag == "tr":
            if self.tables:
                self.tables[-1].open_row()
        elif tag in ("td", "th"):
            if self.tables:
                self.tables[-1].open_cell(attributes)
        elif tag == "br":
            self._line_break()
        elif tag in BLOCK_TAGS:
            self._boundary()
            self.pre_depth += tag == "pre"
            level = WORD_LIST_LEVEL.search(attributes.get("style", "")) if tag == "p" else None
            self.word_list_level = int(level.group(1)) - 1 if level else None

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skipping is not None:
            if tag == self.skipping:
                self.skip_depth -= 1
                if self.skip_depth == 0:
                    self.skipping = None
            elif tag == "head" or (self.skipping == "head" and tag == "html"):
                self.skipping = None
            return
        if tag in ("main", "article"):
            self.landmark_depth = max(0, self.landmark_depth - 1)
        if tag == "span" and self.label_depth:
            self.label_depth -= 1
            return
        if tag in HEADINGS or (tag == "p" and self.heading is not None and self.heading_tag == "p"):
            self._boundary()
            self.heading = self.heading_tag = None
        elif tag in ("ul", "ol", "menu", "dir"):
            self._boundary()
            if self.lists:
                number_reversed(self.lists.pop(), self.blocks)
        elif tag == "li":
            self._boundary()
            if self.lists:
                self.lists[-1].item = None
        elif tag == "table":
            self._close_table()
        elif tag == "tr":
            if self.tables:
                self.tables[-1].close_row()
        elif tag in ("td", "th"):
            if self.tables:
                self.tables[-1].close_cell()
        elif tag == "br":  # </br>: a line break to browsers
            self._line_break()
        elif tag in BLOCK_TAGS:
            self._boundary()
            if tag == "pre":
                self.pre_depth = max(0, self.pre_depth - 1)

    def handle_data(self, data: str) -> None:
        if self.skipping is not None or not data:
            return
        if not self.pre_depth:  # the source's own line wrapping is a space; only <br> breaks a line
            data = data.replace("\r", " ").replace("\n", " ")
        if self.label_depth and not self._in_cell():  # in a cell, the label is the cell's text
            if self.text_line is None and data.strip():
                self.text_line = self.getpos()[0]
            self.label.append(data)
            return
        if self._in_cell():
            self.tables[-1].cell[-1] += data  # type: ignore[index]
            return
        if self.text_line is None and data.strip():
            self.text_line = self.getpos()[0]
        self.text.append(data)

    # ------------------------------------------------------------ structure

    def _nest(self) -> None:
        if len(self.lists) + len(self.tables) >= limits.MAX_NESTING:
            raise UnreadableDocument(
                f"nests lists and tables more than {limits.MAX_NESTING} deep; no procedure needs that"
            )

    def _open_item(self, attributes: dict[str, str]) -> None:
        if not self.lists:  # an <li> outside any list: a bullet all the same
            self._nest()
            self.lists.append(HtmlList(ordered=False))
        number = self.lists[-1].open_item(attributes)
        if self._in_cell():
            self.tables[-1].cell.append(f"{number} " if number else "")  # type: ignore[union-attr]

    def _boundary(self) -> None:
        """Where a block ends: what has been read so far becomes a block (in a cell, a line)."""
        if self._in_cell():
            cell = self.tables[-1].cell
            if cell and cell[-1].strip():  # type: ignore[index]
                cell.append("")  # type: ignore[union-attr]
            return
        self._flush()

    def _line_break(self) -> None:
        if self._in_cell():
            self.tables[-1].cell.append("")  # type: ignore[union-attr]
        else:
            self.text.append("\n")

    def _flush(self) -> None:
        raw = "".join(self.text)
        label = collapse("".join(self.label))
        line = self.text_line or self.getpos()[0]
        self.text, self.text_line, self.label = [], None, []
        marker = split_marker(f"{label} x") if label else None
        bullet = not label.strip(BULLETS) or (self.word_list_level is not None and len(label) <= 2)
        if label and not bullet and (marker is None or marker.text != "x"):  # no label after all: text
            raw, label, marker = f"{label} {raw}", "", None
        if not raw.strip():
            return
        where = Where(self.display, line=line)
        if self.heading is not None:  # a numbered heading's label is its number: "3.1 Reception"
            self._add(Block("heading", collapse(f"{label} {raw}" if label else raw), where, self.heading))
            return
        parts = [p for p in (collapse(part) for part in raw.split("\n")) if p]
        if self.lists and self.lists[-1].item == "open":  # the <li> counts: its label repeats it
            current = self.lists[-1]
            current.item = "read"
            level = len(self.lists) - 1
            current.items.append(len(self.blocks))
            self._add(Block("item", " ".join(parts), where, level, current.number))
            return
        if label or self.word_list_level is not None:  # Word's list paragraph: its label is its marker
            number = marker.number if marker is not None else None
            self._add(Block("item", " ".join(parts), where, self.word_list_level or 0, number))
            return
        # A paragraph; lines broken with <br> that start with a typed marker ("1. …", "• …")
        # are items of their own.
        paragraph: list[str] = []
        for part in parts:
            marker = split_marker(part)
            if marker is not None and marker.text:
                if paragraph:
                    self._add(Block("paragraph", " ".join(paragraph), where))
                    paragraph = []
                self._add(Block("item", marker.text, where, 0, marker.number))
            else:
                paragraph.append(part)
        if paragraph:
            self._add(Block("paragraph", " ".join(paragraph), where))

    def _add(self, block: Block) -> None:
        self.blocks.append(block)

    def _in_cell(self) -> bool:
        return bool(self.tables) and self.tables[-1].cell is not None

    def _close_table(self) -> None:
        if not self.tables:
            return
        self.tables[-1].close_row()
        table = self.tables.pop()
        rows = table.grid()
        if not any(cell for row in rows for cell in row):
            return
        if self._in_cell():  # a table in a cell: its rows as lines of that cell
            cell = self.tables[-1].cell
            for row in rows:
                cell.append(" | ".join(c.replace("\n", " ") for c in row if c))  # type: ignore[union-attr]
            cell.append("")  # type: ignore[union-attr]
            return
        self._flush()
        self._add(Block("table", "", Where(self.display, line=table.line), rows=rows))

    def _count(self, cells: int) -> None:
        self.cells += cells
        if self.cells > limits.MAX_TABLE_CELLS:
            raise UnreadableDocument(f"has more than {limits.MAX_TABLE_CELLS:,} table cells")

    def finish(self) -> None:
        """End of the page: whatever is still open (unclosed tags are common) is read."""
        while self.tables:
            self._close_table()
        self._flush()
        while self.lists:
            number_reversed(self.lists.pop(), self.blocks)
