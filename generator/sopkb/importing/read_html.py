"""HTML → blocks, with the standard library's streaming parser (html.parser).

The parser hands over tags and text one at a time and builds no tree, so nothing here recurses:
a page nested a hundred thousand `<div>`s deep reads like a flat one. Only lists and tables are
kept on a stack (their numbering and cells need it), and that stack is bounded
(`limits.MAX_NESTING`). Navigation, banners, footers, scripts and styles are left out.

The bytes are decoded as the page says: a byte-order mark, else `<meta charset>` (or the
http-equiv form, or an XML declaration) in the first 1024 bytes, else UTF-8. A byte that is not
valid in that encoding is an error naming the byte, never silently replaced: a replaced
character would change the procedure's text without anyone seeing it.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path

from ..core.console import one_line
from . import limits
from .blocks import Block, UnreadableDocument, Where
from .markers import BULLETS, split_marker

HEADINGS = {f"h{n}": n for n in range(1, 7)}
# Their text is no part of the document (or, for nav, header and footer, a site's, not the SOP's).
CHROME = {
    "script",
    "style",
    "template",
    "noscript",
    "head",
    "title",
    "svg",
    "math",
    "nav",
    "iframe",
    "object",
}
SITE_CHROME = {"header", "footer"}  # a page's banner and footer; inside <main>/<article>, content
CHROME_ROLES = {"navigation", "banner", "contentinfo", "search"}
# A wiki's or intranet's own furniture by its id or class (Confluence, SharePoint, MediaWiki exports):
# who edited the page when, breadcrumbs, sidebars, comments. "header"/"footer" only outside the
# article, like the elements.
CHROME_NAMES = {
    "breadcrumbs", "breadcrumb", "breadcrumb-section", "page-metadata", "page-metadata-banner",
    "sidebar", "navigation", "likes-and-labels-container", "comments-section", "page-comments",
    "printfooter", "catlinks", "mw-navigation", "footer-info",
}  # fmt: skip
SITE_CHROME_NAMES = {"header", "footer", "site-header", "site-footer", "page-header", "page-footer"}
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "form", "hr", "html", "legend", "main", "p",
    "pre", "section", "summary",
}  # fmt: skip
TITLE_CLASSES = {"title", "msotitle"}  # a word processor's Title paragraph: the page's first heading
_WORD_LIST_LEVEL = re.compile(r"mso-list:\s*l\d+\s+level(\d+)", re.IGNORECASE)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


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


# ---------------------------------------------------------------- decoding

_META = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:\-]+)", re.IGNORECASE)
_XML_DECLARATION = re.compile(rb"^<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._\-]+)", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# As browsers do (WHATWG Encoding): a page labelled Latin-1 or ASCII is read as windows-1252, and
# a <meta> cannot declare UTF-16 (the bytes that declare it would not be UTF-16).
_ALIASES = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
    "us-ascii": "cp1252", "ascii": "cp1252", "l1": "cp1252",
    "utf-16": "utf-8", "utf-16le": "utf-8", "utf-16be": "utf-8", "unicode": "utf-8",
}  # fmt: skip


def decode_html(data: bytes) -> str:
    """The page's text, decoded by its byte-order mark, its declared charset or as UTF-8."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom) :], encoding, f"its byte-order mark says {encoding}")
    head = data[:1024]
    found = _XML_DECLARATION.search(head) or _META.search(head)
    if found is None:
        return _decode(data, "utf-8", "no charset is declared, so it is read as UTF-8")
    declared = found.group(1).decode("ascii", "replace")
    name = _ALIASES.get(declared.lower(), declared.lower())
    try:
        info = codecs.lookup(name)
    except LookupError:
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True):
        raise UnreadableDocument(
            f"declares the charset {one_line(declared)!r}, which is no text encoding sopkb knows;"
            " save it as UTF-8 and import again"
        )
    return _decode(data, info.name, f"it declares the charset {one_line(declared)}")


def _decode(data: bytes, encoding: str, why: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise UnreadableDocument(
            f"is not valid {encoding} at byte {error.start + 1:,} (line {line}): {why};"
            " save it as UTF-8, or declare its real charset in <meta charset>, and import again"
        ) from None


# ---------------------------------------------------------------- the parser


@dataclass
class _List:
    ordered: bool
    next: int = 1
    step: int = 1
    style: str = "1"  # the <ol type>: 1, a, A, i, I
    item: str | None = None  # "open": an <li> whose first text is not yet a block
    number: str | None = None
    count_down: bool = False  # <ol reversed> without start: numbered from its item count, at its end
    items: list[int] = field(default_factory=list)  # where its items are in the blocks


@dataclass
class _Table:
    rows: list[list[str]] = field(default_factory=list)
    row: list[str] | None = None
    cell: list[str] | None = None  # the open cell's lines
    cell_span: int = 1
    spans: dict[int, int] = field(default_factory=dict)  # column → rows still covered by a rowspan
    line: int = 0


class _Reader(HTMLParser):
    def __init__(self, display: str):
        super().__init__(convert_charrefs=True)
        self.display = display
        self.blocks: list[Block] = []
        self.text: list[str] = []  # the block being read, outside any table cell
        self.text_line: int | None = None
        self.heading: int | None = None
        self.heading_tag: str | None = None
        self.lists: list[_List] = []
        self.tables: list[_Table] = []
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
        if self._is_chrome(tag, attributes):
            self._boundary()
            if tag not in VOID:
                self.skipping, self.skip_depth = tag, 1
            return
        if tag in ("main", "article"):
            self.landmark_depth += 1
        if tag == "span" and (self.label_depth or _is_list_label(attributes)):
            self.label_depth += 1
            return
        if tag in HEADINGS or (tag == "p" and _classes(attributes) & TITLE_CLASSES):
            self._boundary()
            self.heading, self.heading_tag = HEADINGS.get(tag, 1), tag
        elif tag in ("ul", "ol", "menu", "dir"):
            self._boundary()
            self._nest()
            self.lists.append(self._new_list(tag, attributes))
        elif tag == "li":
            self._boundary()
            self._open_item(attributes)
        elif tag == "table":
            self._boundary()
            self._nest()
            self.tables.append(_Table(line=self.getpos()[0]))
        elif tag == "tr":
            self._open_row()
        elif tag in ("td", "th"):
            self._open_cell(attributes)
        elif tag == "br":
            self._line_break()
        elif tag in BLOCK_TAGS:
            self._boundary()
            self.pre_depth += tag == "pre"
            level = _WORD_LIST_LEVEL.search(attributes.get("style", "")) if tag == "p" else None
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
                self._close_list(self.lists.pop())
        elif tag == "li":
            self._boundary()
            if self.lists:
                self.lists[-1].item = None
        elif tag == "table":
            self._close_table()
        elif tag == "tr":
            self._close_row()
        elif tag in ("td", "th"):
            self._close_cell()
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

    def _is_chrome(self, tag: str, attributes: dict[str, str]) -> bool:
        if tag in CHROME:
            return True
        if tag in SITE_CHROME and self.landmark_depth == 0:
            return True
        if attributes.get("role", "").lower() in CHROME_ROLES:
            return True
        names = _classes(attributes) | {attributes.get("id", "").lower()}
        if names & CHROME_NAMES or (names & SITE_CHROME_NAMES and self.landmark_depth == 0):
            return True
        return "hidden" in attributes or attributes.get("aria-hidden", "").lower() == "true"

    def _nest(self) -> None:
        if len(self.lists) + len(self.tables) >= limits.MAX_NESTING:
            raise UnreadableDocument(
                f"nests lists and tables more than {limits.MAX_NESTING} deep; no procedure needs that"
            )

    @staticmethod
    def _new_list(tag: str, attributes: dict[str, str]) -> _List:
        if tag != "ol":
            return _List(ordered=False)
        reverse = "reversed" in attributes
        start = _int(attributes.get("start"))
        style = attributes.get("type", "1")
        return _List(
            ordered=True,
            next=start if start is not None else 1,
            step=-1 if reverse else 1,
            style=style if style in ("1", "a", "A", "i", "I") else "1",
            count_down=reverse and start is None,
        )

    def _close_list(self, closed: _List) -> None:
        """<ol reversed> counts down from its number of items, known only now."""
        if closed.count_down:
            for value, index in zip(range(len(closed.items), 0, -1), closed.items, strict=False):
                block = self.blocks[index]
                self.blocks[index] = replace(block, number=_format(value, closed.style) + ".")

    def _open_item(self, attributes: dict[str, str]) -> None:
        if not self.lists:  # an <li> outside any list: a bullet all the same
            self._nest()
            self.lists.append(_List(ordered=False))
        current = self.lists[-1]
        number = None
        if current.ordered:
            value = _int(attributes.get("value"))
            if value is not None:
                current.next = value
            number = _format(current.next, current.style) + "."
            current.next += current.step
        current.item, current.number = "open", number
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
        label = _collapse("".join(self.label))
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
            self._add(Block("heading", _collapse(f"{label} {raw}" if label else raw), where, self.heading))
            return
        parts = [p for p in (_collapse(part) for part in raw.split("\n")) if p]
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

    # ------------------------------------------------------------ tables

    def _in_cell(self) -> bool:
        return bool(self.tables) and self.tables[-1].cell is not None

    def _open_row(self) -> None:
        if not self.tables:
            return
        self._close_row()
        self.tables[-1].row = []

    def _open_cell(self, attributes: dict[str, str]) -> None:
        if not self.tables:
            return
        table = self.tables[-1]
        self._close_cell()
        if table.row is None:
            table.row = []
        self._skip_spanned(table)
        table.cell = [""]
        table.cell_span = min(max(_int(attributes.get("colspan")) or 1, 1), 1000)
        rows = min(max(_int(attributes.get("rowspan")) or 1, 1), 1000)
        if rows > 1:
            for column in range(len(table.row), len(table.row) + table.cell_span):
                table.spans[column] = rows - 1

    @staticmethod
    def _skip_spanned(table: _Table) -> None:
        """Columns still covered by a cell above (rowspan) stay empty in this row."""
        while table.row is not None and table.spans.get(len(table.row), 0) > 0:
            column = len(table.row)
            table.spans[column] -= 1
            table.row.append("")

    def _close_cell(self) -> None:
        table = self.tables[-1] if self.tables else None
        if table is None or table.cell is None:
            return
        text = "\n".join(p for p in (_collapse(line) for line in table.cell) if p)
        table.cell = None
        if table.row is None:
            table.row = []
        table.row.append(text)
        table.row.extend([""] * (table.cell_span - 1))
        self._count(table.cell_span)

    def _close_row(self) -> None:
        table = self.tables[-1] if self.tables else None
        if table is None:
            return
        self._close_cell()
        if table.row is not None:
            self._skip_spanned(table)
            if table.row:
                table.rows.append(table.row)
            table.row = None

    def _close_table(self) -> None:
        if not self.tables:
            return
        self._close_row()
        table = self.tables.pop()
        width = max((len(row) for row in table.rows), default=0)
        rows = tuple(tuple(row + [""] * (width - len(row))) for row in table.rows)
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
            self._close_list(self.lists.pop())


def _classes(attributes: dict[str, str]) -> set[str]:
    return set(attributes.get("class", "").lower().split())


def _is_list_label(attributes: dict[str, str]) -> bool:
    """LibreOffice's `<span class="ListLabel_20_1">1.</span>`, Word's `<span style="mso-list:Ignore">`."""
    if any(c.startswith("listlabel") for c in _classes(attributes)):
        return True
    return "mso-list:ignore" in attributes.get("style", "").lower().replace(" ", "")


def _int(value: str | None) -> int | None:
    try:
        return int(value.strip()) if value is not None else None
    except ValueError:
        return None


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _format(value: int, style: str) -> str:
    """An <ol> number as browsers show it: 1, a … z then aa (as CSS lower-alpha), i, I."""
    if style in ("a", "A") and value > 0:
        letters = ""
        while value > 0:
            value, rest = divmod(value - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if style == "A" else letters
    if style in ("i", "I") and 0 < value < 4000:
        numerals = [
            (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
            (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
        ]  # fmt: skip
        out = ""
        for amount, numeral in numerals:
            count, value = divmod(value, amount)
            out += numeral * count
        return out.upper() if style == "I" else out
    return str(value)
