"""Flowchart layout computed at build time, drawn as inline SVG by a template.

Why a hand-made layout rather than Graphviz or Mermaid: an SOP reads top to bottom in step order,
so steps stay on one vertical spine in document order (the chart matches the numbered procedure);
jumps between steps run in side lanes, ends and hand-offs to other SOPs sit beside the step that
leads there. This needs no browser script, no system binary and well under a millisecond per SOP,
and the output is deterministic (golden-file tests).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from ..domain.flow import Edge, Flow
from ..models.sop import Sop
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


def _box_height(lines: list[str]) -> float:
    return len(lines) * LINE_PX + 2 * PAD


def layout(sop: Sop, flow: Flow, other_sops: dict[str, tuple[str, str]]) -> Chart:
    """Place every step, exit and arrow. `other_sops` maps SOP ids to (page URL, title)."""
    sections = sop.all_sections()
    titled = sop.sections is not None
    steps = [s for sec in sections for s in sec.steps]
    index = {s.id: i for i, s in enumerate(steps)}
    numbers = sop.step_numbers()
    last_in_section = {sec.steps[-1].id for sec in sections}

    # Which edges run in a lane (need the left side), which end beside the step (right side).
    lane_edges: list[Edge] = []
    side_exits: dict[str, list[Edge]] = {}
    down_edge: dict[str, Edge] = {}
    for step in steps:
        for edge in _merge_same_target(flow.edges.get(step.id, [])):
            t = edge.target
            follows = index.get(t.step or "", -1) == index[step.id] + 1 and step.id not in last_in_section
            if t.kind == "step" and follows and step.id not in down_edge:
                down_edge[step.id] = edge
            elif t.kind == "step":
                lane_edges.append(edge)
            elif t.kind == "end" and edge.implicit:
                down_edge[step.id] = edge
            else:
                side_exits.setdefault(step.id, []).append(edge)

    lanes = _assign_lanes(lane_edges, index)
    lane_count = max(lanes.values(), default=-1) + 1
    gutter = LABEL_GUTTER if any(e.label for e in lane_edges) else (LANE_GAP if lane_count else 0)
    spine_x = MARGIN + lane_count * LANE_GAP + gutter
    side_x = spine_x + NODE_W + SIDE_GAP

    boxes: list[Box] = []
    arrows: list[Arrow] = []
    step_box: dict[str, Box] = {}
    y = MARGIN
    for sec in sections:
        if titled:
            head = f"{sec.number + ' ' if sec.number else ''}{sec.title}"
            boxes.append(
                Box(
                    f"section-{sec.id}",
                    "section",
                    wrap(head, NODE_W + 150, 2),
                    MARGIN,
                    y,
                    side_x + TERM_W - MARGIN,
                    HEADER_H,
                    None,
                    head,
                )
            )
            y += HEADER_H + 14
        else:
            start = Box("start", "start", ["Start"], spine_x + (NODE_W - 90) / 2, y, 90, 28, None, "Start")
            boxes.append(start)
            y += 28 + ROW_GAP / 2 + 4
            arrows.append(Arrow([(start.cx, start.y + start.h), (start.cx, y)]))
        for step in sec.steps:
            label = f"{numbers[step.id]}. {plain(step.title)}"
            if step.decision is not None:
                label_lines = wrap(label, NODE_W - 2 * PAD - 24, 2) + wrap(
                    plain(step.decision.question), NODE_W - 2 * PAD - 24, 3
                )
            else:
                label_lines = wrap(label, NODE_W - 2 * PAD)
            h = _box_height(label_lines)
            exits = side_exits.get(step.id, [])
            exit_boxes = []
            ey = y
            for n, edge in enumerate(exits):
                exit_box = _exit_box(edge, step.id, n, side_x, ey, other_sops)
                exit_boxes.append((edge, exit_box))
                ey += exit_box.h + TERM_GAP
            row_h = max(h, ey - y - TERM_GAP if exits else 0)
            below = down_edge.get(step.id)
            down_label_lines = (
                len(wrap(plain(below.label), DOWN_LABEL_W, 3)) if below is not None and below.label else 0
            )
            gap = max(ROW_GAP, down_label_lines * 15 + 24)
            box = Box(
                f"step-{step.id}",
                "decision" if step.decision else "step",
                label_lines,
                spine_x,
                y + (row_h - h) / 2,
                NODE_W,
                h,
                f"#step-{step.id}",
                label,
            )
            boxes.append(box)
            step_box[step.id] = box
            for edge, exit_box in exit_boxes:
                boxes.append(exit_box)
                arrows.append(_side_arrow(box, exit_box, edge))
            y += row_h + gap
        last = step_box[sec.steps[-1].id]
        edge = down_edge.get(sec.steps[-1].id)
        if edge is not None and edge.target.kind == "end":
            end = Box(
                f"end-{sec.id}",
                "end",
                ["End"],
                spine_x + (NODE_W - 90) / 2,
                y - ROW_GAP / 2 + 6,
                90,
                28,
                None,
                "End",
            )
            boxes.append(end)
            arrows.append(Arrow([(last.cx, last.y + last.h), (end.cx, end.y)]))
            y = end.y + end.h + ROW_GAP
    for step_id, edge in down_edge.items():
        if edge.target.kind == "step":
            a, b = step_box[step_id], step_box[edge.target.step or ""]
            arrow = Arrow([(a.cx, a.y + a.h), (b.cx, b.y)])
            if edge.label:
                _label(
                    arrow,
                    edge.label,
                    a.cx + 6,
                    a.y + a.h + 14,
                    "start",
                    DOWN_LABEL_W,
                    grow="down",
                    max_lines=3,
                )
            arrows.append(arrow)
    outgoing: dict[str, int] = {}
    incoming: dict[str, int] = {}
    for edge in lane_edges:
        a, b = step_box[edge.source], step_box[edge.target.step or ""]
        lane_x = MARGIN + (lane_count - 1 - lanes[id(edge)]) * LANE_GAP + LANE_GAP / 2
        k_out = outgoing[edge.source] = outgoing.get(edge.source, -1) + 1
        k_in = incoming[b.id] = incoming.get(b.id, -1) + 1
        sy = min(a.y + a.h - 4, a.cy + 6 + k_out * 18)  # ports spread so arrows and labels don't overlap
        ty = max(b.y + 4, b.cy - 6 - k_in * 8)
        arrow = Arrow([(a.x, sy), (lane_x, sy), (lane_x, ty), (b.x, ty)])
        if edge.label:
            _label(arrow, edge.label, a.x - 4, sy - 4, "end", LABEL_GUTTER - LANE_GAP)
        arrows.append(arrow)
    width = max(b.x + b.w for b in boxes) + MARGIN
    return _rounded(Chart(width, y - ROW_GAP + MARGIN + 8, boxes, arrows, f"Flowchart: {plain(sop.title)}"))


def _rounded(chart: Chart) -> Chart:
    """Coordinates to one decimal once, here, so the template prints them as they are."""
    chart.width, chart.height = round(chart.width, 1), round(chart.height, 1)
    for b in chart.boxes:
        b.x, b.y, b.w, b.h = round(b.x, 1), round(b.y, 1), round(b.w, 1), round(b.h, 1)
    for a in chart.arrows:
        a.points = [(round(x, 1), round(y, 1)) for x, y in a.points]
        a.label_x, a.label_y = round(a.label_x, 1), round(a.label_y, 1)
    return chart


def _assign_lanes(edges: list[Edge], index: dict[str, int]) -> dict[int, int]:
    """Interval colouring: jumps whose row spans do not overlap share a lane."""
    spans = sorted(
        (
            (
                min(index[e.source], index[e.target.step or ""]),
                max(index[e.source], index[e.target.step or ""]),
                e,
            )
            for e in edges
        ),
        key=lambda s: (s[0], s[1]),
    )
    lane_ends: list[int] = []
    lanes: dict[int, int] = {}
    for start, end, edge in spans:
        for lane, last_end in enumerate(lane_ends):
            if last_end < start:
                lane_ends[lane] = end
                lanes[id(edge)] = lane
                break
        else:
            lanes[id(edge)] = len(lane_ends)
            lane_ends.append(end)
    return lanes


def _exit_box(
    edge: Edge, step_id: str, n: int, x: float, y: float, other_sops: dict[str, tuple[str, str]]
) -> Box:
    t = edge.target
    if t.kind == "sop":
        href, title = other_sops.get(t.sop or "", ("", t.sop or ""))
        text = f"Continue with SOP: {plain(title)}"
        if href and t.step:
            href += f"#step-{t.step}"
        kind = "sop"
    elif t.kind == "end":
        text, href, kind = "End", None, "end"
    else:  # a step drawn beside (never happens for step targets; kept total)
        text, href, kind = t.step or "", f"#step-{t.step}", "step"
    lines = wrap(text, TERM_W - 2 * PAD, 3)
    return Box(
        f"exit-{step_id}-{n}", kind, lines, x, y, TERM_W, max(28, len(lines) * LINE_PX + 10), href, text
    )


def _side_arrow(a: Box, b: Box, edge: Edge) -> Arrow:
    mid_x = a.x + a.w + 10
    points = [(a.x + a.w, a.cy), (mid_x, a.cy), (mid_x, b.cy), (b.x, b.cy)]
    arrow = Arrow(points)
    if edge.label:
        _label(arrow, edge.label, mid_x + 4, b.cy - 5, "start", SIDE_GAP - 20)
    return arrow


def _label(
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


def _merge_same_target(edges: list[Edge]) -> list[Edge]:
    """Answers that lead to the same place share one arrow labelled 'A / B'."""
    merged: dict[tuple, Edge] = {}
    for edge in edges:
        key = (edge.target.kind, edge.target.step, edge.target.sop)
        if key in merged and edge.target.kind != "end":
            first = merged[key]
            label = " / ".join(x for x in (first.label, edge.label) if x) or None
            merged[key] = Edge(first.source, first.target, label, first.key_path, first.implicit)
        else:
            merged[key if edge.target.kind != "end" else (*key, len(merged))] = edge
    return list(merged.values())
