"""Jumps drawn on the left of the spine: which lane each takes, where it leaves and enters a box.

A jump (back to an earlier step, to the same step, ahead past the next, or from a start above the
chart) runs left out of its box, along a vertical lane, and right into its target. Jumps whose row
spans overlap need different lanes; at most `MAX_LANES` are drawn, the shortest first, and the rest
become "go to" boxes on the right, so a long chart does not grow a fan of parallel lines.

Each box's left side gets one port per jump end, spaced so the label of a jump leaving it fits
above its line, in the gutter between the lanes and the box: the box grows taller when they need
more room than its text. Every label stays beside its own box, so labels of different rows can
never meet.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.flow import Edge
from .flowchart_shapes import LABEL_GUTTER, LANE_GAP, MARGIN, MAX_LANES, Arrow, Box
from .flowchart_text import LABEL_DESCENT, LABEL_LINE, label_height, wrap_label

PORT_STEP = 10  # between two ports on a box's side
PORT_EDGE = 8  # between the first or last port and the box's corner
LABEL_W = LABEL_GUTTER - 12


@dataclass
class Jump:
    edge: Edge | None  # None for a start's arrow from above the chart
    source: str  # node id: "step-<id>" or "start-<n>"
    target: str
    src_row: int  # -1 for a start above the chart
    dst_row: int
    label: str | None
    lane: int | None = None
    out_y: float = 0.0
    in_y: float = 0.0

    @property
    def span(self) -> tuple[int, int]:
        return min(self.src_row, self.dst_row), max(self.src_row, self.dst_row)


@dataclass
class Port:
    jump: Jump
    out: bool  # the jump leaves the box here (and its label sits above)
    label_lines: list[str]


def assign_lanes(jumps: list[Jump]) -> int:
    """Loops to the same step first (innermost, so nothing crosses them), then starts, then the
    shortest jumps, each in the innermost lane where it overlaps no other. Returns how many lanes
    are used; a jump left with `lane is None` gets no lane."""

    def priority(n: int) -> tuple:
        lo, hi = jumps[n].span
        return (lo != hi, jumps[n].edge is not None, hi - lo, lo, n)

    order = sorted(range(len(jumps)), key=priority)
    taken: list[list[tuple[int, int]]] = [[] for _ in range(MAX_LANES)]
    for n in order:
        lo, hi = jumps[n].span
        for lane, spans in enumerate(taken):
            if all(hi < a or b < lo for a, b in spans):
                spans.append((lo, hi))
                jumps[n].lane = lane
                break
    return max((j.lane + 1 for j in jumps if j.lane is not None), default=0)


def lane_x(lane: int, lane_count: int) -> float:
    """Lane 0 is nearest the spine: short jumps inside, long ones around them."""
    return MARGIN + (lane_count - 1 - lane) * LANE_GAP + LANE_GAP / 2


def ports_by_node(jumps: list[Jump]) -> dict[str, list[Port]]:
    """Each box's ports, top to bottom. Jumps to rows above leave or enter high, inner lanes first;
    jumps to rows below low, outer lanes first; so lines cross as little as the lanes allow. A
    jump to the same step enters above where it leaves, its label between."""
    found: dict[str, list[tuple[tuple, Port]]] = {}
    for n, jump in enumerate(jumps):
        lane = jump.lane or 0
        lines = wrap_label(jump.label, LABEL_W) if jump.label else []
        for out, node, here, there in (
            (True, jump.source, jump.src_row, jump.dst_row),
            (False, jump.target, jump.dst_row, jump.src_row),
        ):
            if there == here:
                key: tuple = (0, lane, n, out)
            elif there < here:
                key = (1, lane, n, out)
            else:
                key = (2, -lane, n, out)
            found.setdefault(node, []).append((key, Port(jump, out, lines if out else [])))
    return {node: [port for _, port in sorted(ports, key=lambda kp: kp[0])] for node, ports in found.items()}


def _offsets(ports: list[Port]) -> list[float]:
    """Each port's distance from the top of its group."""
    offsets = []
    cursor = PORT_EDGE
    for port in ports:
        if port.label_lines:
            cursor += label_height(len(port.label_lines)) + 2
        offsets.append(cursor)
        cursor += PORT_STEP
    return offsets


def ports_height(ports: list[Port]) -> float:
    """The height a box needs on its left side for these ports."""
    return _offsets(ports)[-1] + PORT_EDGE if ports else 0.0


def set_ports(box: Box, ports: list[Port]) -> None:
    """Fix each port's height on the box, the group centred on the box's side."""
    if not ports:
        return
    shift = box.y + (box.h - ports_height(ports)) / 2
    for port, offset in zip(ports, _offsets(ports), strict=True):
        if port.out:
            port.jump.out_y = shift + offset
        else:
            port.jump.in_y = shift + offset


def lane_arrows(jumps: list[Jump], boxes: dict[str, Box], lane_count: int) -> list[Arrow]:
    arrows = []
    for jump in jumps:
        a, b = boxes[jump.source], boxes[jump.target]
        x = lane_x(jump.lane or 0, lane_count)
        arrow = Arrow(
            [
                (a.side_x(jump.out_y), jump.out_y),
                (x, jump.out_y),
                (x, jump.in_y),
                (b.side_x(jump.in_y), jump.in_y),
            ],
            kind="timeout" if jump.edge is not None and jump.edge.timeout else "",
        )
        if jump.label:
            arrow.title = jump.label
            arrow.label_lines = wrap_label(jump.label, LABEL_W)
            arrow.label_anchor, arrow.label_x = "end", a.x - 5
            arrow.label_y = jump.out_y - 2 - LABEL_DESCENT - (len(arrow.label_lines) - 1) * LABEL_LINE
        arrows.append(arrow)
    return arrows
