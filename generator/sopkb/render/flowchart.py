"""Flowchart layout computed at build time, drawn as inline SVG by a template.

Why a hand-made layout rather than Graphviz or Mermaid: an SOP reads top to bottom in step order,
so steps stay on one vertical spine in document order (the chart matches the numbered procedure);
jumps between steps run in side lanes, ends and hand-offs to other SOPs sit beside the step that
leads there. This needs no browser script, no system binary and well under a millisecond per SOP,
and the output is deterministic (golden-file tests).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..domain.flow import Edge, Flow
from ..models.sop import Sop
from ..models.step import Section, Step
from ..text.markdown import plain
from .flowchart_shapes import (
    DOWN_LABEL_W,
    HEADER_H,
    LABEL_GUTTER,
    LANE_GAP,
    LINE_PX,
    MARGIN,
    NODE_W,
    PAD,
    ROW_GAP,
    SIDE_GAP,
    TERM_GAP,
    TERM_W,
    Arrow,
    Box,
    Chart,
    box_height,
    place_label,
    rounded,
    side_arrow,
    wrap,
)


@dataclass
class Routing:
    """How each edge is drawn: straight down to the box below it, in a lane left of the spine
    (jumps back or ahead), or to an exit box on the right (the end, another SOP)."""

    steps: list[Step]
    index: dict[str, int]  # step id → position on the spine
    down: dict[str, Edge] = field(default_factory=dict)
    lanes: list[Edge] = field(default_factory=list)
    side_exits: dict[str, list[Edge]] = field(default_factory=dict)


@dataclass
class Columns:
    """Where things go across: one lane per overlapping jump, then the spine, then the exits."""

    lane_of: dict[int, int]  # id(edge) → lane number
    lane_count: int
    spine_x: float
    side_x: float


@dataclass
class Placed:
    """Boxes and arrows placed top to bottom so far, and how far down they reach."""

    boxes: list[Box] = field(default_factory=list)
    arrows: list[Arrow] = field(default_factory=list)
    step_box: dict[str, Box] = field(default_factory=dict)
    y: float = MARGIN


def layout(sop: Sop, flow: Flow, other_sops: dict[str, tuple[str, str]]) -> Chart:
    """Place every step, exit and arrow. `other_sops` maps SOP ids to (page URL, title)."""
    routing = _route(sop, flow)
    columns = _columns(routing)
    placed = Placed()
    numbers = sop.step_numbers()
    for section in sop.all_sections():
        _place_section(placed, section, sop.sections is not None, numbers, routing, columns, other_sops)
    placed.arrows += _down_arrows(routing, placed.step_box)
    placed.arrows += _lane_arrows(routing, columns, placed.step_box)
    width = max(b.x + b.w for b in placed.boxes) + MARGIN
    height = placed.y - ROW_GAP + MARGIN + 8
    return rounded(Chart(width, height, placed.boxes, placed.arrows, f"Flowchart: {plain(sop.title)}"))


def _route(sop: Sop, flow: Flow) -> Routing:
    sections = sop.all_sections()
    steps = [s for sec in sections for s in sec.steps]
    routing = Routing(steps, {s.id: i for i, s in enumerate(steps)})
    last_in_section = {sec.steps[-1].id for sec in sections}
    for step in steps:
        for edge in _merge_same_target(flow.edges.get(step.id, [])):
            t = edge.target
            follows = routing.index.get(t.step or "", -1) == routing.index[step.id] + 1
            follows = follows and step.id not in last_in_section
            if t.kind == "step" and follows and step.id not in routing.down:
                routing.down[step.id] = edge
            elif t.kind == "step":
                routing.lanes.append(edge)
            elif t.kind == "end" and edge.implicit:
                routing.down[step.id] = edge
            else:
                routing.side_exits.setdefault(step.id, []).append(edge)
    return routing


def _columns(routing: Routing) -> Columns:
    lane_of = _assign_lanes(routing.lanes, routing.index)
    lane_count = max(lane_of.values(), default=-1) + 1
    gutter = LABEL_GUTTER if any(e.label for e in routing.lanes) else (LANE_GAP if lane_count else 0)
    spine_x = MARGIN + lane_count * LANE_GAP + gutter
    return Columns(lane_of, lane_count, spine_x, spine_x + NODE_W + SIDE_GAP)


def _place_section(
    placed: Placed,
    section: Section,
    titled: bool,
    numbers: dict[str, str],
    routing: Routing,
    columns: Columns,
    other_sops: dict[str, tuple[str, str]],
) -> None:
    if titled:
        head = f"{section.number + ' ' if section.number else ''}{section.title}"
        width = columns.side_x + TERM_W - MARGIN
        lines = wrap(head, NODE_W + 150, 2)
        placed.boxes.append(
            Box(f"section-{section.id}", "section", lines, MARGIN, placed.y, width, HEADER_H, None, head)
        )
        placed.y += HEADER_H + 14
    else:
        start_x = columns.spine_x + (NODE_W - 90) / 2
        start = Box("start", "start", ["Start"], start_x, placed.y, 90, 28, None, "Start")
        placed.boxes.append(start)
        placed.y += 28 + ROW_GAP / 2 + 4
        placed.arrows.append(Arrow([(start.cx, start.y + start.h), (start.cx, placed.y)]))
    for step in section.steps:
        _place_step(placed, step, numbers, routing, columns, other_sops)
    last = placed.step_box[section.steps[-1].id]
    edge = routing.down.get(section.steps[-1].id)
    if edge is not None and edge.target.kind == "end":
        end_x = columns.spine_x + (NODE_W - 90) / 2
        end = Box(f"end-{section.id}", "end", ["End"], end_x, placed.y - ROW_GAP / 2 + 6, 90, 28, None, "End")
        placed.boxes.append(end)
        placed.arrows.append(Arrow([(last.cx, last.y + last.h), (end.cx, end.y)]))
        placed.y = end.y + end.h + ROW_GAP


def _place_step(
    placed: Placed,
    step: Step,
    numbers: dict[str, str],
    routing: Routing,
    columns: Columns,
    other_sops: dict[str, tuple[str, str]],
) -> None:
    """One row: the step's box on the spine, its exits beside it, room below for a label."""
    y = placed.y
    label = f"{numbers[step.id]}. {plain(step.title)}"
    if step.decision is not None:
        width = NODE_W - 2 * PAD - 24
        label_lines = wrap(label, width, 2) + wrap(plain(step.decision.question), width, 3)
    else:
        label_lines = wrap(label, NODE_W - 2 * PAD)
    h = box_height(label_lines)
    exits = routing.side_exits.get(step.id, [])
    exit_boxes = []
    ey = y
    for n, edge in enumerate(exits):
        exit_box = _exit_box(edge, step.id, n, columns.side_x, ey, other_sops)
        exit_boxes.append((edge, exit_box))
        ey += exit_box.h + TERM_GAP
    row_h = max(h, ey - y - TERM_GAP if exits else 0)
    below = routing.down.get(step.id)
    down_label_lines = (
        len(wrap(plain(below.label), DOWN_LABEL_W, 3)) if below is not None and below.label else 0
    )
    gap = max(ROW_GAP, down_label_lines * 15 + 24)
    kind = "decision" if step.decision else "step"
    box = Box(
        f"step-{step.id}",
        kind,
        label_lines,
        columns.spine_x,
        y + (row_h - h) / 2,
        NODE_W,
        h,
        f"#step-{step.id}",
        label,
    )
    placed.boxes.append(box)
    placed.step_box[step.id] = box
    for edge, exit_box in exit_boxes:
        placed.boxes.append(exit_box)
        placed.arrows.append(side_arrow(box, exit_box, edge.label))
    placed.y = y + row_h + gap


def _down_arrows(routing: Routing, step_box: dict[str, Box]) -> list[Arrow]:
    arrows = []
    for step_id, edge in routing.down.items():
        if edge.target.kind == "step":
            a, b = step_box[step_id], step_box[edge.target.step or ""]
            arrow = Arrow([(a.cx, a.y + a.h), (b.cx, b.y)])
            if edge.label:
                place_label(
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
    return arrows


def _lane_arrows(routing: Routing, columns: Columns, step_box: dict[str, Box]) -> list[Arrow]:
    arrows = []
    outgoing: dict[str, int] = {}
    incoming: dict[str, int] = {}
    for edge in routing.lanes:
        a, b = step_box[edge.source], step_box[edge.target.step or ""]
        lane_x = MARGIN + (columns.lane_count - 1 - columns.lane_of[id(edge)]) * LANE_GAP + LANE_GAP / 2
        k_out = outgoing[edge.source] = outgoing.get(edge.source, -1) + 1
        k_in = incoming[b.id] = incoming.get(b.id, -1) + 1
        sy = min(a.y + a.h - 4, a.cy + 6 + k_out * 18)  # ports spread so arrows and labels don't overlap
        ty = max(b.y + 4, b.cy - 6 - k_in * 8)
        arrow = Arrow([(a.x, sy), (lane_x, sy), (lane_x, ty), (b.x, ty)])
        if edge.label:
            place_label(arrow, edge.label, a.x - 4, sy - 4, "end", LABEL_GUTTER - LANE_GAP)
        arrows.append(arrow)
    return arrows


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
