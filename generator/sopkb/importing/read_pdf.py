"""PDF → blocks, with pdfplumber: the text of each page as paragraphs, list items and headings,
and its ruled tables as tables. What is drawn on each page (characters, lines, images) is read
with pdfium (importing/pdf_objects.py) in the shapes pdfplumber gives it, about five times
faster than pdfminer; pdfplumber's table finder and line grouping then work on it unchanged.

A PDF keeps where each character is drawn and in which font, not what the author meant, so the
structure here is inferred, and only from evidence on the page:

- a **table** is what pdfplumber's table finder finds from the ruling lines; its text is taken
  out of the page's text, so it is not read twice. A table that runs on over a page break is one
  table (its repeated header row dropped), and a row the break cut in two is joined again when
  its first part plainly stops mid-sentence.
- a **list item** starts with a marker typed or drawn on the line ("1.", "3.1", "a)", "•", "∙",
  Word's Symbol bullet); its nesting level is the rank of the marker's indentation among all the
  markers of the document.
- a **heading** is a line in a font clearly bigger than the body text (15% or more), or a short
  line set wholly in bold that is not a list item; levels go by size, biggest first.
- a **paragraph** ends where the next line starts a list item or a heading, is indented
  differently, is far below, or would have fitted on the line before (so that line ended early).
- lines repeated at the top or bottom of most pages (running headers, "Page 3 of 9") are left out.
"""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..core.console import one_line
from . import limits
from .blocks import Block, UnreadableDocument, Where
from .markers import split_marker
from .pdf_objects import PageObjects, pdfium_objects, pdfplumber_objects
from .pdf_streams import check_unpacked

X_TOLERANCE = 1.5  # points between two characters of one word; pdfplumber's 3 glues "II.Scope"
HEADING_RATIO = 1.15
CHROME_BAND = 0.06  # the top and bottom 6% of a page, where Word puts headers and footers (0.5 inch)
_END_OF_SENTENCE = tuple(".:!?;”\"’')]")


def read_pdf(path: Path, display: str) -> list[Block]:
    """The blocks of a PDF, in reading order."""
    data = limits.read_bytes(path)
    if b"%PDF-" not in data[:1024]:
        raise UnreadableDocument("is not a PDF file (it does not start as one)")
    import pdfplumber  # imported here so the other formats never load it

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as error:  # pdfplumber wraps every pdfminer failure in PdfminerException
        raise UnreadableDocument(_open_failure(error)) from None
    # Not `with pdf:` — pdfplumber's close() builds every page object first (to close it), which
    # for a 10,000-page file is the very work the page limit is there to refuse. The file is in
    # memory (BytesIO), so there is nothing to close until the pages exist.
    try:
        check_unpacked(_walked_pages(pdf))
        read = _read_pages(data, pdf)
    except UnreadableDocument:
        raise
    except Exception as error:  # a broken content stream, font or object deep in the file
        raise UnreadableDocument(f"is damaged ({_describe(error)})") from None
    finally:
        if getattr(pdf, "_pages", None) is not None:
            pdf.close()
    return _Assembler(display, read).blocks()


def _read_pages(data: bytes, pdf) -> list[_Page]:
    """Each page read from the objects pdfium finds on it; a page pdfium's reader does not model,
    or every page when pdfium does not see the pages pdfminer walked (it trusts a /Count that
    lies), from pdfminer's (pdfplumber's page)."""
    import pypdfium2

    pages = pdf.pages  # pdfminer's view of each page's boxes, rotation and place in the document
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        return [_read_page(pdfplumber_objects(page)) for page in pages]
    with document:
        same = len(document) == len(pages)
        return [
            _read_page((same and pdfium_objects(document, index, page)) or pdfplumber_objects(page))
            for index, page in enumerate(pages)
        ]


def _open_failure(error: Exception) -> str:
    cause = error.args[0] if error.args and isinstance(error.args[0], BaseException) else error
    name = type(cause).__name__
    if name == "PDFPasswordIncorrect":
        return "is encrypted; remove the password and import again"
    if name in ("PDFEncryptionError", "PDFEncryptionWarning"):
        return "is encrypted in a way sopkb cannot open; remove the password and import again"
    return f"is not a readable PDF: it is damaged ({_describe(cause)})"


def _describe(error: BaseException) -> str:
    text = one_line(str(error))[:200]
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _walked_pages(pdf) -> list:
    """The pages (pdfminer's), at most MAX_PDF_PAGES, counted in the page tree (stopping past the
    limit): the /Count the file declares may lie, and is only used to say how many pages it claims."""
    from itertools import islice

    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import resolve1

    try:
        pages = list(islice(PDFPage.create_pages(pdf.doc), limits.MAX_PDF_PAGES + 1))
        walked = len(pages)
    except RecursionError:
        raise UnreadableDocument(
            "is not a readable PDF: its page tree nests deeper than any real document's"
        ) from None
    except Exception as error:
        raise UnreadableDocument(
            f"is not a readable PDF: its page tree is damaged ({_describe(error)})"
        ) from None
    if walked <= limits.MAX_PDF_PAGES:
        return pages
    try:
        declared = resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count"))
    except Exception:
        declared = None
    pages = (
        f"{declared:,}" if isinstance(declared, int) and declared > walked else f"more than {walked - 1:,}"
    )
    raise UnreadableDocument(
        f"has {pages} pages; sopkb imports PDFs of up to {limits.MAX_PDF_PAGES} pages"
        " (split it, or import the procedure's own pages)"
    )


# ---------------------------------------------------------------- one page


@dataclass
class _Line:
    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    first_word: float  # the width of its first word, for "would it have fitted on the line before"
    right: float  # where the text column ends (a line reaching it was wrapped, not ended)


@dataclass
class _Table:
    page: int
    top: float
    rows: list[list[str]]
    columns: int
    last_page: int = 0  # the page it ends on, once continued

    def __post_init__(self) -> None:
        self.last_page = self.last_page or self.page


@dataclass
class _Page:
    number: int
    height: float
    lines: list[_Line]
    tables: list[_Table]
    chars: int
    unmapped: int  # characters the PDF gives no Unicode for, "(cid:12)"
    images: float  # the share of the page covered by images


def _read_page(page: PageObjects) -> _Page:
    from pdfplumber.table import TableFinder, TableSettings

    tables = TableFinder(page, TableSettings()).tables
    chars = page.chars
    placed = [_Placed(c) for c in chars]
    boxes = [t.bbox for t in tables]
    text_chars = [p.char for p in placed if not any(p.inside(box) for box in boxes)] if boxes else chars
    lines = _lines(page, text_chars, right=None)
    area = max(page.width * page.height, 1)
    images = sum(
        max(0.0, min(i["x1"], page.width) - max(i["x0"], 0))
        * max(0.0, min(i["bottom"], page.height) - max(i["top"], 0))
        for i in page.images
    )
    return _Page(
        number=page.number,
        height=float(page.height),
        lines=lines,
        tables=[_table(page, t, box, placed) for t, box in zip(tables, boxes, strict=True)],
        chars=sum(1 for c in chars if not c["text"].isspace()),
        unmapped=sum(1 for c in chars if c["text"].startswith("(cid:")),
        images=min(images / area, 1.0),
    )


class _Placed:
    """A character and its centre, which decides the table cell it belongs to: a glyph's box
    pokes out of its cell's top."""

    __slots__ = ("char", "x", "y")

    def __init__(self, char: dict):
        self.char = char
        self.x = (char["x0"] + char["x1"]) / 2
        self.y = (char["top"] + char["bottom"]) / 2

    def inside(self, box) -> bool:
        return box[0] <= self.x <= box[2] and box[1] <= self.y <= box[3]


def _lines(page: PageObjects, chars: list[dict], right: float | None) -> list[_Line]:
    """The text lines `chars` make, as pdfplumber's page.extract_text_lines groups them."""
    from pdfplumber.utils import chars_to_textmap

    found: list[_Line] = []
    if not chars:
        return found
    textmap = chars_to_textmap(
        chars,
        layout_bbox=page.bbox,
        layout_width=page.width,
        layout_height=page.height,
        x_tolerance=X_TOLERANCE,
    )
    for line in textmap.extract_text_lines(strip=True, return_chars=True):
        text = " ".join(line["text"].split())
        chars = sorted((c for c in line["chars"] if not c["text"].isspace()), key=lambda c: c["x0"])
        if not text or not chars:
            continue
        first_end = chars[0]["x1"]
        for char, following in zip(chars, chars[1:], strict=False):
            first_end = char["x1"]
            if following["x0"] - char["x1"] > X_TOLERANCE or following["text"].isspace():
                break
        else:
            first_end = chars[-1]["x1"]
        found.append(
            _Line(
                page=page.number,
                text=text,
                x0=float(line["x0"]),
                x1=float(line["x1"]),
                top=float(line["top"]),
                bottom=float(line["bottom"]),
                size=round(statistics.median(c["size"] for c in chars) * 2) / 2,
                bold=all(_is_bold(c["fontname"]) for c in chars if c["text"].isalnum()),
                first_word=float(first_end - line["x0"]),
                right=0.0,
            )
        )
    edge = right if right is not None else max((ln.x1 for ln in found), default=0.0)
    for line in found:
        line.right = edge
    return found


def _is_bold(fontname: str) -> bool:
    return bool(re.search(r"bold|black|heavy|semibold|demi", fontname, re.IGNORECASE))


def _table(page: PageObjects, table, bbox, placed: list[_Placed]) -> _Table:
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
            lines = _lines(page, [p.char for p in near if p.inside(box)], right=None)
            if lines:
                padding = max(lines[0].x0 - box[0], 0.0) if lines else 0.0
                for line in lines:
                    line.right = box[2] - padding
            cells.append("\n".join(b.text for b in _paragraphs_of(lines)))
        rows.append(cells)
    return _Table(page.number, float(bbox[1]), rows, max((len(r) for r in rows), default=0))


def _paragraphs_of(lines: list[_Line]) -> list[_Group]:
    """Lines of one table cell grouped into paragraphs and items (no headings in a cell)."""
    groups: list[_Group] = []
    for line in lines:
        marker = split_marker(line.text)
        if marker is not None and marker.text:
            text = f"{marker.number} {marker.text}" if marker.number else marker.text
            groups.append(_Group("paragraph", [text], line, line))
        elif groups and _continues(groups[-1], line):
            groups[-1].add(line)
        else:
            groups.append(_Group("paragraph", [line.text], line, line))
    return groups


# ---------------------------------------------------------------- the document


@dataclass
class _Group:
    kind: str
    parts: list[str]
    first: _Line
    last: _Line
    level: int = 0
    number: str | None = None
    text_x0: float | None = None  # items: where the text after the marker starts
    style: tuple[float, bool] | None = None  # headings: (size, bold)

    def add(self, line: _Line) -> None:
        previous = self.parts[-1] if self.parts else ""
        if previous.endswith("-") and previous[-2:-1].isalpha() and line.text[:1].isalpha():
            self.parts[-1] = previous + line.text  # "re-" + "delivery": the hyphen was the author's
        else:
            self.parts.append(line.text)
        self.last = line

    @property
    def text(self) -> str:
        return " ".join(p for p in self.parts if p).strip()


def _continues(group: _Group, line: _Line) -> bool:
    """Whether `line` goes on with `group` rather than starting a paragraph of its own."""
    last = group.last
    if line.page == last.page:
        if line.top - last.bottom > 0.8 * max(line.size, last.size):
            return False
        if abs(line.size - last.size) > 0.5:
            return False
    # The last line ended early although the next line's first word would have fitted: the
    # author ended the paragraph there.
    if last.x1 + 0.3 * last.size + line.first_word < last.right - 1:
        return False
    if group.kind == "item":
        return line.x0 > group.first.x0 + 1
    return line.x0 <= group.first.x0 + 1 or abs(line.x0 - last.x0) <= 1


class _Assembler:
    def __init__(self, display: str, pages: list[_Page]):
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
    def _is_heading(line: _Line, body: float) -> bool:
        if line.size >= body * HEADING_RATIO:
            return True
        marker = split_marker(line.text)
        return line.bold and marker is None and len(line.text) <= 120 and not line.text.endswith(".")

    def _heading_levels(self, lines: list[_Line], body: float) -> dict[tuple[float, bool], int]:
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

    def _table_between(self, above: _Line, below: _Line) -> bool:
        start, end = (above.page, above.top), (below.page, below.top)
        between = self.pages[above.page - 1 : below.page]  # pages are numbered from 1, in order
        return any(start < (page.number, table.top) < end for page in between for table in page.tables)

    def _group(self, lines, body, headings, item_levels) -> list[_Group]:
        groups: list[_Group] = []
        pending_marker: tuple[_Line, str | None] | None = None
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
                        _Group("heading", [line.text], line, line, level=headings[style], style=style)
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
                and _continues(groups[-1], line)
            ):
                groups[-1].add(line)
            else:
                groups.append(_Group("paragraph", [line.text], line, line))
        if pending_marker is not None:  # a marker with nothing after it keeps its place
            first, number = pending_marker
            groups.append(_Group("paragraph", [first.text], first, first))
        return groups

    @staticmethod
    def _item(first: _Line, number: str | None, text: str, last: _Line, levels: list[float]) -> _Group:
        level = max((i for i, x in enumerate(levels) if first.x0 >= x - 4), default=0)
        return _Group("item", [text], first, last, level=level, number=number)

    def _with_tables(self, groups: list[_Group]) -> list[Block]:
        """Text and tables by page and position; a table that goes on at the top of the next
        page (same columns, nothing in between) is one table."""
        entries: list[tuple[int, float, int, _Group | _Table]] = []
        for order, group in enumerate(groups):
            entries.append((group.first.page, group.first.top, order, group))
        for page in self.pages:
            for order, table in enumerate(page.tables):
                entries.append((page.number, table.top, -1 - order, table))
        entries.sort(key=lambda e: (e[0], e[1], e[2]))
        kept: list[_Group | _Table] = []
        for _page, _top, _order, entry in entries:
            previous = kept[-1] if kept else None
            if (
                isinstance(entry, _Table)
                and isinstance(previous, _Table)
                and entry.page == previous.last_page + 1
                and entry.columns == previous.columns
            ):
                _continue_table(previous, entry)
            else:
                kept.append(entry)
        blocks = (self._block(entry) for entry in kept)
        return [block for block in blocks if block is not None]

    def _block(self, entry: _Group | _Table) -> Block | None:
        if isinstance(entry, _Table):
            rows = tuple(tuple(row) + ("",) * (entry.columns - len(row)) for row in entry.rows)
            if not any(cell for row in rows for cell in row):
                return None
            return Block("table", "", Where(self.display, page=entry.page), rows=rows)
        if not entry.text:
            return None
        where = Where(self.display, page=entry.first.page)
        return Block(entry.kind, entry.text, where, entry.level, entry.number)  # type: ignore[arg-type]


def _continue_table(table: _Table, more: _Table) -> None:
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
