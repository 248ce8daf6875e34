"""Rows, top to bottom: the start pills, then per section its header and its steps.

Across, the chart has fixed columns: lanes | gutter (jump labels) | spine (steps) | side gap (the
trunk to the exits and their labels) | exits. Down, every row owns a band: a step's box, the
labels beside it and its exits all stay inside its band, and the band below holds only the arrow
down to the next step and that arrow's label. So nothing of one row can meet anything of another,
and inside a row each kind of thing has its own column.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..domain.flow import Edge
from ..models.sop import Sop
from ..models.step import Section, Step
from ..text.markdown import plain
from .flowchart_lanes import Jump, Port, lane_arrows, ports_by_node, ports_height, set_ports
from .flowchart_nodes import Changed, Names, pill, step_box, terminal
from .flowchart_shapes import (
    DOWN_LABEL_W,
    HEADER_H,
    LABEL_GUTTER,
    LANE_GAP,
    MARGIN,
    NODE_W,
    PORT_GUTTER,
    ROW_GAP,
    SIDE_GAP,
    TERM_GAP,
    TERM_W,
    Arrow,
    Box,
    Chart,
)
from .flowchart_text import LABEL_ASCENT, LABEL_DESCENT, LABEL_LINE, label_height, wrap, wrap_label

SIDE_LABEL_W = SIDE_GAP - 24


@dataclass
class StartPill:
    id: str
    text: str
    title: str
    jump: Jump | None  # reaches its step through a lane; None: right above step 1, or says where
    direct: bool = False
    target: str = ""


@dataclass
class Layout:
    """Everything routing decided, handed to the row placement."""

    sop: Sop
    names: Names
    down: dict[str, Edge]
    exits: dict[str, list[Edge]]
    jumps: list[Jump]
    lane_count: int
    starts: list[StartPill]
    changed: Changed | None = None


@dataclass
class Columns:
    gutter_x: float  # right of the lanes
    spine_x: float
    right: float  # the chart's content reaches this far

    @property
    def trunk_x(self) -> float:
        return self.spine_x + NODE_W + 10

    @property
    def exit_x(self) -> float:
        return self.spine_x + NODE_W + SIDE_GAP


@dataclass
class Placed:
    boxes: list[Box] = field(default_factory=list)
    arrows: list[Arrow] = field(default_factory=list)
    by_id: dict[str, Box] = field(default_factory=dict)
    row_bottom: dict[str, float] = field(default_factory=dict)
    y: float = MARGIN

    def add(self, box: Box) -> Box:
        self.boxes.append(box)
        self.by_id[box.id] = box
        return box


def place_chart(plan: Layout) -> Chart:
    cols = _columns(plan)
    ports = ports_by_node(plan.jumps)
    placed = Placed()
    _place_starts(placed, plan, cols, ports)
    for section in plan.sop.all_sections():
        if plan.sop.sections is not None:
            _place_header(placed, section, cols)
        for n, step in enumerate(section.steps):
            _place_row(placed, step, plan, cols, ports.get(f"step-{step.id}", []))
            _place_below(placed, step, n == len(section.steps) - 1, plan, cols)
    placed.arrows += _down_arrows(placed, plan)
    placed.arrows += lane_arrows(plan.jumps, placed.by_id, plan.lane_count)
    height = placed.y - ROW_GAP + MARGIN
    return Chart(cols.right + MARGIN, max(height, 2 * MARGIN), placed.boxes, placed.arrows, "")


def _columns(plan: Layout) -> Columns:
    lanes_w = plan.lane_count * LANE_GAP
    gutter = 0 if not plan.jumps else LABEL_GUTTER if any(j.label for j in plan.jumps) else PORT_GUTTER
    spine_x = MARGIN + lanes_w + gutter
    right = spine_x + NODE_W
    if any(plan.exits.values()):
        right = spine_x + NODE_W + SIDE_GAP + TERM_W
    if any(e.label and e.target.kind == "step" for e in plan.down.values()):
        right = max(right, spine_x + NODE_W / 2 + 6 + DOWN_LABEL_W)
    return Columns(MARGIN + lanes_w, spine_x, right)


def _place_starts(placed: Placed, plan: Layout, cols: Columns, ports: dict[str, list[Port]]) -> None:
    """Start pills above the chart, in the SOP's order; the last right above step 1."""
    cx = cols.spine_x + NODE_W / 2
    for start in plan.starts:
        if start.direct or start.jump is not None:
            box = pill(start.id, start.text, start.title, cx, placed.y)
        else:  # the lanes are full: the pill says where it starts and links there
            text = f"{start.text} → {plan.names.step_name(start.target)}"
            box = pill(start.id, text, start.title, cx, placed.y)
            box.href = f"#step-{start.target}"
        set_ports(box, ports.get(start.id, []))
        placed.add(box)
        placed.y = box.bottom + (ROW_GAP if start.direct else TERM_GAP)


def _place_header(placed: Placed, section: Section, cols: Columns) -> None:
    head = f"{section.number + ' ' if section.number else ''}{plain(section.title)}"
    width = cols.right - cols.gutter_x
    lines = wrap(head, width - 24, 1)
    box = Box(f"section-{section.id}", "section", lines, cols.gutter_x, placed.y, width, HEADER_H, None, head)
    placed.add(box)
    placed.y = box.bottom + 14


def _place_row(placed: Placed, step: Step, plan: Layout, cols: Columns, ports: list[Port]) -> None:
    """A step's band: its box (tall enough for its text and the ports on its left), and its exits
    stacked on the right, each with its label above its arrow."""
    box = step_box(step, plan.names, cols.spine_x, placed.y, plan.changed)
    box.h = max(box.h, ports_height(ports))
    set_ports(box, ports)
    placed.add(box)
    stack = Stack(box.y, box.y - TERM_GAP, min(box.cy, box.bottom - 8), box.bottom)
    trunk_y = None
    for n, edge in enumerate(plan.exits.get(step.id, [])):
        term = terminal(edge, f"exit-{step.id}-{n}", plan.names, cols.exit_x)
        arrow = Arrow([], kind="timeout" if edge.timeout else "")
        ay = _stack_exit(stack, term, arrow, plain(edge.label) if edge.label else "", cols)
        trunk_y = trunk_y if trunk_y is not None else min(max(ay, box.y + 8), box.bottom - 8)
        arrow.points = [
            (box.side_x(trunk_y, right=True), trunk_y),
            (cols.trunk_x, trunk_y),
            (cols.trunk_x, ay),
            (term.x, ay),
        ]
        placed.add(term)
        placed.arrows.append(arrow)
    placed.row_bottom[step.id] = stack.bottom
    placed.y = stack.bottom


@dataclass
class Stack:
    """The exits placed so far beside a step: where the next label may start, where the last exit
    box ends, the lowest the first arrow wants to be (level with the step), how far down it all reaches."""

    cursor: float
    prev_bottom: float
    level: float
    bottom: float


def _stack_exit(stack: Stack, term: Box, arrow: Arrow, label: str, cols: Columns) -> float:
    """Place one exit under the last: its label beside the exit box, right of the trunk, or, when
    that takes less height, above the box, across both columns. Returns the arrow's height."""
    beside = wrap_label(label, SIDE_LABEL_W) if label else []
    above = wrap_label(label, SIDE_LABEL_W + TERM_W) if label else []
    ay_beside = max(
        stack.cursor + (label_height(len(beside)) + 3 if beside else 0),
        stack.cursor + term.h / 2,
        stack.prev_bottom + TERM_GAP + term.h / 2,
        stack.level,
    )
    top = max(stack.cursor, stack.prev_bottom + 6)
    ay_above = max(top + label_height(len(above)) + 4 + term.h / 2, stack.level) if above else ay_beside
    ay = min(ay_beside, ay_above)
    term.y = ay - term.h / 2
    if label:
        lines = beside if ay == ay_beside else above
        arrow.title, arrow.label_lines, arrow.label_x = label, lines, cols.trunk_x + 5
        bottom = ay - 3 if lines is beside else term.y - 3
        arrow.label_y = bottom - LABEL_DESCENT - (len(lines) - 1) * LABEL_LINE
    stack.cursor, stack.prev_bottom, stack.level = ay + 6, term.bottom, 0.0
    stack.bottom = max(stack.bottom, term.bottom, ay + 3)
    return ay


def _place_below(placed: Placed, step: Step, last: bool, plan: Layout, cols: Columns) -> None:
    """The band under a row: room for the arrow down and its label, or the section's end."""
    edge = plan.down.get(step.id)
    if edge is not None and edge.target.kind == "end":
        end = pill(f"end-{step.id}", "End", "End", cols.spine_x + NODE_W / 2, placed.y + 18, "end")
        placed.add(end)
        box = placed.by_id[f"step-{step.id}"]
        placed.arrows.append(Arrow([(box.cx, box.bottom), (end.cx, end.y)]))
        placed.y = end.bottom + (ROW_GAP + 10 if last else ROW_GAP)
        return
    lines = _down_label(edge)
    gap = max(ROW_GAP, label_height(len(lines)) + 12) if lines else ROW_GAP
    placed.y += gap + (10 if last and plan.sop.sections is not None else 0)


def _down_label(edge: Edge | None) -> list[str]:
    if edge is None or not edge.label or edge.target.kind != "step":
        return []
    return wrap_label(plain(edge.label), DOWN_LABEL_W - 6)


def _down_arrows(placed: Placed, plan: Layout) -> list[Arrow]:
    arrows = []
    first = next((s for s in plan.starts if s.direct), None)
    steps = plan.sop.all_steps()
    if first is not None and steps:
        a, b = placed.by_id[first.id], placed.by_id[f"step-{steps[0].id}"]
        arrows.append(Arrow([(a.cx, a.bottom), (b.cx, b.y)]))
    for step_id, edge in plan.down.items():
        if edge.target.kind != "step":
            continue
        a, b = placed.by_id[f"step-{step_id}"], placed.by_id[f"step-{edge.target.step}"]
        arrow = Arrow([(a.cx, a.bottom), (b.cx, b.y)])
        lines = _down_label(edge)
        if lines:
            arrow.title, arrow.label_lines = plain(edge.label or ""), lines
            arrow.label_x = a.cx + 6
            arrow.label_y = placed.row_bottom[step_id] + 6 + LABEL_ASCENT
        arrows.append(arrow)
    return arrows
