"""The flowchart's shapes: boxes, arrows and the chart, with the sizes the layout places them by.

The layout only moves these; where each piece of a box sits (its badge, mark, text rows, the rule
under a decision's title) is decided here once, so the template and `flowchart_geometry` read the
same positions. Text is sized by `flowchart_text`; every label gets its rectangle from it, which the
layout keeps clear of everything else and `flowchart_geometry` checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .flowchart_text import (
    BADGE_SCALE,
    LABEL_ASCENT,
    LABEL_LINE,
    cut_words,
    label_height,
    label_width,
    mark_width,
    text_width,
)

LINE_PX = 17  # a line of box text (13 px)
NODE_W = 240
TERM_W = 170
PAD = 10
ROW_GAP = 30  # between two rows when the arrow down carries no label
LANE_GAP = 14
TERM_GAP = 12
SIDE_GAP = 140  # between a step and the exits beside it: the trunk and the exits' labels
LABEL_GUTTER = 134  # left of the spine, for the labels of jumps that run in lanes
PORT_GUTTER = 18  # left of the spine when no jump there is labelled
DOWN_LABEL_W = 200
MAX_LANES = 3  # more jumps than this side by side become "go to" exits, not a fan of lines
MARGIN = 12
HEADER_H = 30
BADGE_H = 18
QUESTION_GAP = 8  # between a decision's title and its question, where a rule divides them


@dataclass
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def overlaps(self, other: Rect, tolerance: float = 0.5) -> bool:
        return (
            self.x < other.right - tolerance
            and other.x < self.right - tolerance
            and self.y < other.bottom - tolerance
            and other.y < self.bottom - tolerance
        )


@dataclass
class Box:
    id: str
    kind: str  # start | step | decision | call | end | sop | external | goto | section
    lines: list[str]
    x: float
    y: float
    w: float
    h: float
    href: str | None = None
    title: str = ""
    badge: str = ""  # who does the step, when not the agent
    mark: str = ""  # "New" or "Changed": the step changed in the SOP's current version
    mark_title: str = ""  # the mark in words for screen readers: "Changed in version 1.12"
    question: list[str] = field(default_factory=list)  # a decision's question, under a rule, in italics
    call: list[str] = field(default_factory=list)  # the procedure a step calls, drawn under its title
    wait: str = ""  # "Wait 30 seconds"
    wait_title: str = ""  # the whole wait, for the tooltip and screen readers
    cut: list[bool] = field(
        default_factory=list
    )  # per text row: it goes on with a word cut at the row before

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def rect(self) -> Rect:
        return Rect(self.x, self.y, self.w, self.h)

    @property
    def inset(self) -> float:
        """How far a decision's hexagon points in from its bounding box."""
        return min(14.0, self.h / 2) if self.kind == "decision" else 0.0

    def side_x(self, y: float, right: bool = False) -> float:
        """Where a horizontal line at `y` meets the box's left (or right) outline."""
        reach = self.inset * min(1.0, abs(y - self.cy) / (self.h / 2)) if self.h else 0.0
        return self.x + self.w - reach if right else self.x + reach

    def outline(self) -> list[tuple[float, float]]:
        if self.kind != "decision":
            return [(self.x, self.y), (self.right, self.y), (self.right, self.bottom), (self.x, self.bottom)]
        i = self.inset
        return [
            (self.x + i, self.y),
            (self.right - i, self.y),
            (self.right, self.cy),
            (self.right - i, self.bottom),
            (self.x + i, self.bottom),
            (self.x, self.cy),
        ]

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def badge_rect(self) -> Rect:
        """The actor's badge, inside the box at its top left."""
        return Rect(
            self.x + self.inset + 6, self.y + 4, text_width(self.badge) * BADGE_SCALE + 12, BADGE_H - 2
        )

    def mark_rect(self) -> Rect:
        """The change mark, inside the box at its top right."""
        w = round(mark_width(self.mark), 1)
        return Rect(round(self.right - self.inset - 6 - w, 1), self.y + 4, w, BADGE_H - 2)

    @property
    def badge_row(self) -> bool:
        """Whether the box's top holds a badge or a mark, above its text."""
        return bool(self.badge or self.mark)

    def wait_icon_x(self) -> float:
        """The clock's centre, just left of the centred "Wait …" text."""
        return round(self.cx - text_width(self.wait) / 2 - 9, 1)

    def text_top(self) -> float:
        """The baseline of the first line of text: the text block sits in the middle of the box."""
        rows = len(self.lines) + len(self.question) + len(self.call) + (1 if self.wait else 0)
        block = rows * LINE_PX + (QUESTION_GAP if self.question else 0)
        top = self.y + (BADGE_H + 4 if self.badge_row else 0)
        room = self.bottom - top
        return round(top + (room - block) / 2 + 13, 1)

    def text_rows(self) -> list[tuple[str, int, str, bool]]:
        """The box's lines as the template sets them: (class, dy from the line before, text, whether
        a space comes before it: a screen reader reads the lines as one text, "30 seconds" and
        not "30seconds", except where a word too long for the box was cut)."""
        rows = [("", 0 if n == 0 else LINE_PX, line) for n, line in enumerate(self.lines)]
        rows += [
            ("sopkb-chart__question", LINE_PX + (QUESTION_GAP if n == 0 else 0), line)
            for n, line in enumerate(self.question)
        ]
        rows += [("sopkb-chart__call", LINE_PX, line) for line in self.call]
        cut = self.cut + [False] * (len(rows) - len(self.cut))
        return [(*row, n > 0 and not cut[n]) for n, row in enumerate(rows)]

    def rule_y(self) -> float:
        """The rule between a decision's title and its question: halfway between the title's last
        line (its descent, 4 px under the baseline) and the question's first (ascent, 10 px)."""
        last = self.text_top() + (len(self.lines) - 1) * LINE_PX
        return round(last + (4 + LINE_PX + QUESTION_GAP - 10) / 2, 1)

    def wait_y(self) -> float:
        """The baseline of the "Wait …" line, under all other text."""
        rows = len(self.lines) + len(self.question) + len(self.call)
        return round(self.text_top() + rows * LINE_PX + (QUESTION_GAP if self.question else 0), 1)


@dataclass
class Arrow:
    points: list[tuple[float, float]]
    label_lines: list[str] = field(default_factory=list)
    label_x: float = 0
    label_y: float = 0
    label_anchor: str = "start"
    title: str = ""
    kind: str = ""  # "timeout" for the way taken when a wait runs out

    def label_rows(self) -> list[tuple[int, str, bool]]:
        """The label's lines: (dy, text, whether a space comes before it; see `Box.text_rows`)."""
        cut = cut_words(self.title, self.label_lines)
        return [
            (0 if n == 0 else LABEL_LINE, line, n > 0 and not cut[n])
            for n, line in enumerate(self.label_lines)
        ]

    def label_rect(self) -> Rect | None:
        if not self.label_lines:
            return None
        w = max(label_width(line) for line in self.label_lines)
        x = self.label_x - w if self.label_anchor == "end" else self.label_x
        y = self.label_y - LABEL_ASCENT
        return Rect(x, y, w, label_height(len(self.label_lines)))


@dataclass
class Chart:
    width: float
    height: float
    boxes: list[Box]
    arrows: list[Arrow]
    title: str
    description: str = ""

    def hexagon(self, box: Box) -> str:
        return " ".join(f"{x:g},{y:g}" for x, y in box.outline())

    def pentagon(self, box: Box) -> str:
        """An outside procedure: the off-page connector's arrow shape, pointing away."""
        tip = min(12.0, box.h / 2)
        pts = [
            (box.x, box.y),
            (box.right - tip, box.y),
            (box.right, box.cy),
            (box.right - tip, box.bottom),
            (box.x, box.bottom),
        ]
        return " ".join(f"{x:g},{y:g}" for x, y in pts)


def rounded(chart: Chart) -> Chart:
    """Coordinates to one decimal once, here, so the template prints them as they are."""
    chart.width, chart.height = round(chart.width, 1), round(chart.height, 1)
    for b in chart.boxes:
        b.x, b.y, b.w, b.h = round(b.x, 1), round(b.y, 1), round(b.w, 1), round(b.h, 1)
    for a in chart.arrows:
        points = [(round(x, 1), round(y, 1)) for x, y in a.points]
        a.points = [p for n, p in enumerate(points) if n == 0 or p != points[n - 1]]
        a.label_x, a.label_y = round(a.label_x, 1), round(a.label_y, 1)
    return chart
