"""A Word document's body → blocks: its paragraphs (headings, list items, paragraphs) and tables,
in body order, looking through content controls and custom XML wrappers.

A cell holds paragraphs and tables like the body, so a cell's text is read the same way, one
paragraph to a line, list numbers kept; a table inside a cell becomes lines of that cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import limits
from .blocks import Block, UnreadableDocument, Where
from .docx_numbering import WordNumbering
from .docx_styles import Styles
from .docx_xml import W, to_int, val
from .markers import split_marker

MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"

_SPACES = re.compile(r"\s+")


def _collapse(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True)
class _Paragraph:
    kind: str  # heading | item | paragraph | skip
    text: str
    level: int = 0
    number: str | None = None


class BodyReader:
    """The blocks of a document's body; table cells are counted against the limit as they are read."""

    def __init__(self, display: str, styles: Styles, numbering: WordNumbering):
        self.display = display
        self.styles = styles
        self.numbering = numbering
        self.cells = 0

    def read(self, body) -> list[Block]:
        blocks: list[Block] = []
        for index, element in enumerate(self._children(body), start=1):
            where = Where(self.display, paragraph=index)
            if element.tag == f"{W}p":
                paragraph = self._paragraph(element)
                if paragraph.kind != "skip" and paragraph.text:
                    blocks.append(
                        Block(paragraph.kind, paragraph.text, where, paragraph.level, paragraph.number)
                    )  # type: ignore[arg-type]
            elif element.tag == f"{W}tbl":
                rows = self._table(element, depth=1)
                if any(cell for row in rows for cell in row):
                    blocks.append(Block("table", "", where, rows=rows))
            elif element.tag == f"{W}altChunk":
                raise UnreadableDocument(
                    "embeds another document (altChunk) that only Word can unpack; open it in Word,"
                    " save it again and import that"
                )
        return blocks

    def _children(self, container):
        """Paragraphs and tables in order, through content controls and custom XML wrappers."""
        stack = [iter(container)]
        while stack:
            element = next(stack[-1], None)
            if element is None:
                stack.pop()
            elif element.tag in (f"{W}sdt",):
                content = element.find(f"{W}sdtContent")
                if content is not None and len(stack) < limits.MAX_NESTING:
                    stack.append(iter(content))
            elif element.tag in (f"{W}customXml", f"{W}sdtContent") and len(stack) < limits.MAX_NESTING:
                stack.append(iter(element))
            elif element.tag in (f"{W}p", f"{W}tbl", f"{W}altChunk"):
                yield element

    def _paragraph(self, p) -> _Paragraph:
        ppr = p.find(f"{W}pPr")
        style_id = val(ppr, f"{W}pStyle")
        if self.styles.is_table_of_contents(style_id):
            return _Paragraph("skip", "")  # the headings again, with page numbers
        text = _collapse(_text_of(p))
        num_id = val(ppr, f"{W}numPr/{W}numId")
        ilvl = to_int(val(ppr, f"{W}numPr/{W}ilvl"))
        style_num, style_ilvl = self.styles.numbering(style_id)
        if num_id is None:
            num_id = style_num
            if ilvl is None and style_num is not None:
                ilvl = (
                    style_ilvl
                    if style_ilvl is not None
                    else self.numbering.level_for_style(style_num, style_id)
                )
        is_list, number = False, None
        if num_id not in (None, "0"):
            # Counted even when empty: Word shows (and counts) a number on an empty list paragraph.
            is_list, number = self.numbering.next(num_id, ilvl or 0)
        heading = self.styles.heading_level(style_id, to_int(val(ppr, f"{W}outlineLvl")))
        if heading is not None:
            return _Paragraph("heading", f"{number} {text}" if number and text else text, heading)
        if is_list:
            return _Paragraph("item", text, ilvl or 0, number)
        typed = split_marker(text)
        if typed is not None and typed.text:
            return _Paragraph("item", typed.text, 0, typed.number)
        return _Paragraph("paragraph", text)

    def _table(self, tbl, depth: int) -> tuple[tuple[str, ...], ...]:
        if depth > limits.MAX_NESTING:
            raise UnreadableDocument(f"has tables nested more than {limits.MAX_NESTING} deep")
        rows: list[list[str]] = []
        for tr in _descend(tbl, f"{W}tr"):
            trpr = tr.find(f"{W}trPr")
            row = [""] * max(0, to_int(val(trpr, f"{W}gridBefore"), 0) or 0)
            for tc in _descend(tr, f"{W}tc"):
                tcpr = tc.find(f"{W}tcPr")
                merge = tcpr.find(f"{W}vMerge") if tcpr is not None else None
                continued = merge is not None and merge.get(f"{W}val", "continue") == "continue"
                # A cell merged with the one above shows that cell's text once, so it stays there;
                # the rows below keep an empty cell and the table keeps its columns.
                row.append("" if continued else self._cell(tc, depth))
                span = min(max(to_int(val(tcpr, f"{W}gridSpan"), 1) or 1, 1), 1000)
                row.extend([""] * (span - 1))
            row.extend([""] * max(0, to_int(val(trpr, f"{W}gridAfter"), 0) or 0))
            self.cells += len(row)
            if self.cells > limits.MAX_TABLE_CELLS:
                raise UnreadableDocument(f"has more than {limits.MAX_TABLE_CELLS:,} table cells")
            rows.append(row)
        width = max((len(row) for row in rows), default=0)
        return tuple(tuple(row + [""] * (width - len(row))) for row in rows)

    def _cell(self, tc, depth: int) -> str:
        """The cell's paragraphs one to a line, list numbers kept; a table inside, row by row."""
        lines: list[str] = []
        for element in self._children(tc):
            if element.tag == f"{W}p":
                paragraph = self._paragraph(element)
                if paragraph.text and paragraph.kind != "skip":
                    lines.append(
                        f"{paragraph.number} {paragraph.text}" if paragraph.number else paragraph.text
                    )
            elif element.tag == f"{W}tbl":
                for row in self._table(element, depth + 1):
                    line = " | ".join(cell.replace("\n", " ") for cell in row if cell)
                    if line:
                        lines.append(line)
        return "\n".join(lines)


def _descend(parent, tag: str):
    """Children with `tag`, looking through content controls and custom XML wrappers."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in (f"{W}sdt", f"{W}customXml"):
            content = child.find(f"{W}sdtContent") if child.tag == f"{W}sdt" else child
            if content is not None:
                yield from (c for c in content if c.tag == tag)


_TEXT_TAGS = {f"{W}t": None, f"{W}tab": " ", f"{W}br": " ", f"{W}cr": " ", f"{W}noBreakHyphen": "-"}


def _text_of(p) -> str:
    """The visible text of a paragraph: its runs, hyperlinks, insertions, fields' results and
    text boxes, without deleted text, field codes or the fallback copy of a drawing."""
    has_fallback = p.find(f".//{MC_FALLBACK}") is not None
    parts: list[str] = []
    for element in p.iter(*_TEXT_TAGS):
        if has_fallback and any(a.tag == MC_FALLBACK for a in element.iterancestors()):
            continue
        fixed = _TEXT_TAGS[element.tag]
        parts.append(element.text or "" if fixed is None else fixed)
    return "".join(parts)
