"""The text lines of a PDF page, and when one line goes on with the paragraph above it.

pdfplumber's line grouping makes the lines; each keeps what the paragraph and heading rules need
(its box, font size, boldness, where its first word ends and where the text column ends). The same
lines make the page's paragraphs (pdf_document.py) and a table cell's (pdf_tables.py), so the rule
for "does this line go on with the paragraph" is here, once.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

from .pdf_objects import PageObjects

X_TOLERANCE = 1.5  # points between two characters of one word; pdfplumber's 3 glues "II.Scope"


@dataclass
class Line:
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


def text_lines(page: PageObjects, chars: list[dict], right: float | None) -> list[Line]:
    """The text lines `chars` make, as pdfplumber's page.extract_text_lines groups them."""
    from pdfplumber.utils import chars_to_textmap

    found: list[Line] = []
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
            Line(
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


@dataclass
class Group:
    kind: str
    parts: list[str]
    first: Line
    last: Line
    level: int = 0
    number: str | None = None
    text_x0: float | None = None  # items: where the text after the marker starts
    style: tuple[float, bool] | None = None  # headings: (size, bold)

    def add(self, line: Line) -> None:
        previous = self.parts[-1] if self.parts else ""
        if previous.endswith("-") and previous[-2:-1].isalpha() and line.text[:1].isalpha():
            self.parts[-1] = previous + line.text  # "re-" + "delivery": the hyphen was the author's
        else:
            self.parts.append(line.text)
        self.last = line

    @property
    def text(self) -> str:
        return " ".join(p for p in self.parts if p).strip()


def continues(group: Group, line: Line) -> bool:
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
