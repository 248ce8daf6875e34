"""What a laid-out flowchart must never do, found from its geometry alone.

Boxes are their outlines (a decision's hexagon, every other box its rectangle), labels the
rectangles their measured lines take, arrows their polylines. `overlaps` lists every box over a
box, label over a label or a box, arrow through a box or across a label, two arrows along one
line, label or box outside the chart, box text wider than its box, and a step's badge or change
mark outside its box or over its text or each other. The layout keeps this
list empty; the tests check it over every bundled SOP and hundreds of generated ones, and
bench/flowchart_bench.py counts it.
"""

from __future__ import annotations

from dataclasses import dataclass

from .flowchart_shapes import PAD, Arrow, Box, Chart, Rect
from .flowchart_text import text_width

Point = tuple[float, float]
EPSILON = 0.75  # a line may touch an outline (it starts or ends there) but not go inside


@dataclass(frozen=True)
class Overlap:
    kind: str  # box/box, label/label, label/box, edge/box, edge/label, edge/edge, outside, text/box
    first: str
    second: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.first} × {self.second}"


def overlaps(chart: Chart) -> list[Overlap]:
    labels = [
        (f"label {n} '{' '.join(a.label_lines)}'", r)
        for n, a in enumerate(chart.arrows)
        if (r := a.label_rect())
    ]
    found: list[Overlap] = []
    boxes = chart.boxes
    for i, a in enumerate(boxes):
        found += [Overlap("box/box", a.id, b.id) for b in boxes[i + 1 :] if a.rect.overlaps(b.rect)]
        found += [Overlap("label/box", name, a.id) for name, r in labels if r.overlaps(a.rect)]
        text = a.lines + a.question + a.call
        found += [Overlap("text/box", a.id, line) for line in text if not _text_fits(a, line)]
        inner = Rect(a.x + a.inset, a.y, a.w - 2 * a.inset, a.h)
        if a.badge and not _inside(a.badge_rect(), inner):
            found.append(Overlap("text/box", a.id, f"badge {a.badge}"))
        if a.mark and not _inside(a.mark_rect(), inner):
            found.append(Overlap("text/box", a.id, f"mark {a.mark}"))
        if a.mark and a.badge and a.mark_rect().overlaps(a.badge_rect(), tolerance=-2):
            found.append(Overlap("text/box", a.id, f"mark {a.mark} × badge {a.badge}"))
        if a.mark and a.mark_rect().bottom > a.text_top() - 11:  # a line's ascent above its baseline
            found.append(Overlap("text/box", a.id, f"mark {a.mark} × text"))
    for i, (name, r) in enumerate(labels):
        found += [Overlap("label/label", name, other) for other, s in labels[i + 1 :] if r.overlaps(s)]
    for n, arrow in enumerate(chart.arrows):
        for a, b in zip(arrow.points, arrow.points[1:], strict=False):
            found += [
                Overlap("edge/box", f"arrow {n}", box.id) for box in boxes if crosses(a, b, box.outline())
            ]
            found += [
                Overlap("edge/label", f"arrow {n}", name) for name, r in labels if crosses(a, b, _corners(r))
            ]
    found += _shared_lines(chart.arrows)
    bounds = Rect(0, 0, chart.width, chart.height)
    for name, rect in [(b.id, b.rect) for b in boxes] + labels:
        if not _inside(rect, bounds):
            found.append(Overlap("outside", name, "chart"))
    return found


def _shared_lines(arrows: list[Arrow]) -> list[Overlap]:
    """Two arrows drawn along the same line for a stretch read as one: only arrows that leave the
    same point (a step's trunk to its exits) may share a line."""
    runs: list[tuple[int, bool, float, float, float]] = []  # arrow, vertical, at, from, to
    for n, arrow in enumerate(arrows):
        for (x1, y1), (x2, y2) in zip(arrow.points, arrow.points[1:], strict=False):
            if x1 == x2:
                runs.append((n, True, x1, min(y1, y2), max(y1, y2)))
            elif y1 == y2:
                runs.append((n, False, y1, min(x1, x2), max(x1, x2)))
    found = []
    for i, (n, vertical, at, lo, hi) in enumerate(runs):
        for m, v2, at2, lo2, hi2 in runs[i + 1 :]:
            same_line = m != n and v2 == vertical and abs(at - at2) < 1.0
            if same_line and min(hi, hi2) - max(lo, lo2) > 1.0 and arrows[n].points[0] != arrows[m].points[0]:
                found.append(Overlap("edge/edge", f"arrow {n}", f"arrow {m}"))
    return found


def _text_fits(box: Box, line: str) -> bool:
    room = box.w - 2 * box.inset - (PAD if box.kind == "section" else 8)
    return text_width(line) <= room + 0.5


def _inside(rect: Rect, bounds: Rect) -> bool:
    return (
        rect.x >= bounds.x - 0.5
        and rect.y >= bounds.y - 0.5
        and rect.right <= bounds.right + 0.5
        and (rect.bottom <= bounds.bottom + 0.5)
    )


def _corners(r: Rect) -> list[Point]:
    return [(r.x, r.y), (r.right, r.y), (r.right, r.bottom), (r.x, r.bottom)]


def crosses(a: Point, b: Point, polygon: list[Point]) -> bool:
    """Whether the segment a–b passes through the inside of a convex polygon (more than EPSILON in
    from its outline): Cyrus–Beck clipping against each side's inward half-plane."""
    area = sum(
        x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True)
    )
    sign = 1.0 if area > 0 else -1.0
    t_in, t_out = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5 or 1.0
        nx, ny = -(y2 - y1) * sign / length, (x2 - x1) * sign / length  # inward unit normal
        start = nx * (a[0] - x1) + ny * (a[1] - y1) - EPSILON  # ≥ 0 inside the shrunk side
        rate = nx * dx + ny * dy
        if rate == 0:
            if start < 0:
                return False
            continue
        t = -start / rate
        if rate > 0:
            t_in = max(t_in, t)
        else:
            t_out = min(t_out, t)
        if t_in >= t_out:
            return False
    return True


def label_rects(arrows: list[Arrow]) -> list[Rect]:
    return [r for a in arrows if (r := a.label_rect())]
