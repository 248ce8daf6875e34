"""The flowchart's shapes and text: boxes, arrows, the chart, and how text is measured and wrapped.

Measured, not rendered: widths are estimated from an average glyph advance (wide glyphs count
double), which keeps layout free of fonts and browsers and deterministic.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from ..text.markdown import plain

LINE_PX = 17
CHAR_PX = 7.0  # average advance of the UI font at 13 px; wide glyphs count double
NODE_W = 250
TERM_W = 170
PAD = 10
ROW_GAP = 42
LANE_GAP = 14
TERM_GAP = 16
SIDE_GAP = 130  # room for a branch label between a step and the exit beside it
LABEL_GUTTER = 120  # room left of the spine for labels of jumps that run in lanes
DOWN_LABEL_W = 220  # a label beside a downward arrow has the room up to the side column
MARGIN = 12
HEADER_H = 30


@dataclass
class Box:
    id: str
    kind: str  # start | step | decision | end | sop | section
    lines: list[str]
    x: float
    y: float
    w: float
    h: float
    href: str | None = None
    title: str = ""

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@dataclass
class Arrow:
    points: list[tuple[float, float]]
    label_lines: list[str] = field(default_factory=list)
    label_x: float = 0
    label_y: float = 0
    label_anchor: str = "start"
    title: str = ""


@dataclass
class Chart:
    width: float
    height: float
    boxes: list[Box]
    arrows: list[Arrow]
    title: str

    def hexagon(self, box: Box) -> str:
        inset = min(14.0, box.h / 2)
        pts = [
            (box.x + inset, box.y),
            (box.x + box.w - inset, box.y),
            (box.x + box.w, box.cy),
            (box.x + box.w - inset, box.y + box.h),
            (box.x + inset, box.y + box.h),
            (box.x, box.cy),
        ]
        return " ".join(f"{x:g},{y:g}" for x, y in pts)


def text_width(text: str) -> float:
    if text.isascii():
        return len(text) * CHAR_PX
    return sum(CHAR_PX * (2 if unicodedata.east_asian_width(c) in "WF" else 1) for c in text)


def wrap(text: str, width_px: float, max_lines: int = 4) -> list[str]:
    """Greedy word wrap by estimated width; over-long words are cut; the last line ends in '…'."""
    words = text.split()
    lines: list[str] = []
    current = ""
    for word in words:
        while text_width(word) > width_px:  # a word wider than the box: hard-break it
            cut = max(1, int(width_px // CHAR_PX) - 1)
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{current} {word}".strip()
        if text_width(candidate) <= width_px:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(1, int(width_px // CHAR_PX) - 1)].rstrip() + "…"
    return lines or [""]


def box_height(lines: list[str]) -> float:
    return len(lines) * LINE_PX + 2 * PAD


def rounded(chart: Chart) -> Chart:
    """Coordinates to one decimal once, here, so the template prints them as they are."""
    chart.width, chart.height = round(chart.width, 1), round(chart.height, 1)
    for b in chart.boxes:
        b.x, b.y, b.w, b.h = round(b.x, 1), round(b.y, 1), round(b.w, 1), round(b.h, 1)
    for a in chart.arrows:
        a.points = [(round(x, 1), round(y, 1)) for x, y in a.points]
        a.label_x, a.label_y = round(a.label_x, 1), round(a.label_y, 1)
    return chart


def place_label(
    arrow: Arrow,
    text: str,
    x: float,
    y: float,
    anchor: str,
    width: float = 110,
    *,
    grow: str = "up",
    max_lines: int = 2,
) -> None:
    """Lines start at (x, y) and grow up (above a horizontal arrow) or down (beside a vertical one)."""
    arrow.title = plain(text)
    arrow.label_lines = wrap(arrow.title, width, max_lines)
    arrow.label_x, arrow.label_anchor = x, anchor
    arrow.label_y = y - (len(arrow.label_lines) - 1) * (LINE_PX - 2) if grow == "up" else y


def side_arrow(a: Box, b: Box, text: str | None) -> Arrow:
    """From a step's right side to an exit box beside it, labelled in the gap between them."""
    mid_x = a.x + a.w + 10
    arrow = Arrow([(a.x + a.w, a.cy), (mid_x, a.cy), (mid_x, b.cy), (b.x, b.cy)])
    if text:
        place_label(arrow, text, mid_x + 4, b.cy - 5, "start", SIDE_GAP - 20)
    return arrow
