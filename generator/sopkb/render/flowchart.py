"""Flowchart layout computed at build time, drawn as inline SVG by a template.

Why a hand-made layout rather than Graphviz or Mermaid: an SOP reads top to bottom in step order,
so steps stay on one vertical spine in document order (the chart matches the numbered procedure);
jumps between steps run in a few lanes on the left, ends, hand-offs to other SOPs and outside
procedures sit beside the step that leads there, on the right. This needs no browser script, no
system binary and well under a millisecond per SOP, and the output is deterministic (golden files).

The layout works in stages: route (which side each arrow takes) → lanes (`flowchart_lanes`) →
rows, top to bottom, each row keeping its own band so nothing can overlap (`flowchart_rows`) →
arrows. `flowchart_geometry.overlaps` checks the result; the tests run it over every bundled SOP
and hundreds of generated ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..domain.flow import Destination, Edge, Flow
from ..models.sop import Sop
from ..models.step import Step
from ..text.markdown import plain
from .flowchart_lanes import Jump, assign_lanes
from .flowchart_nodes import Changed, Names
from .flowchart_rows import Layout, StartPill, place_chart
from .flowchart_shapes import Chart, rounded
from .flowchart_text import wrap

__all__ = ["Changed", "layout", "wrap"]


@dataclass
class Routing:
    """How each edge is drawn: straight down to the box below it (or the section's end), in a lane
    on the left (jumps back, to itself or ahead), or to a box on the right (an end, another SOP, an
    outside procedure, or "go to" a step when the lanes are full)."""

    steps: list[Step]
    row: dict[str, int]  # step id → position on the spine
    down: dict[str, Edge] = field(default_factory=dict)
    exits: dict[str, list[Edge]] = field(default_factory=dict)
    jumps: list[Jump] = field(default_factory=list)
    starts: list[StartPill] = field(default_factory=list)


def layout(
    sop: Sop, flow: Flow, other_sops: Mapping[str, tuple[str, str]], changed: Changed | None = None
) -> Chart:
    """Place every step, exit and arrow. `other_sops` maps SOP ids to (page URL, title); `changed`
    marks the steps the current version added or changed."""
    routing = _route(sop, flow)
    lanes = assign_lanes(routing.jumps)
    for jump in routing.jumps:
        if jump.lane is None and jump.edge is not None:
            routing.exits.setdefault(jump.edge.source, []).append(jump.edge)
    for pill in routing.starts:
        if pill.jump is not None and pill.jump.lane is None:
            pill.jump = None  # no lane left: the pill names its step instead
    names = Names(
        numbers=sop.step_numbers(),
        titles={s.id: plain(s.title) for s in routing.steps},
        row=routing.row,
        other_sops=other_sops,
        external={p.id: p for p in sop.external},
    )
    plan = Layout(
        sop=sop,
        names=names,
        down=routing.down,
        exits=routing.exits,
        jumps=[j for j in routing.jumps if j.lane is not None],
        lane_count=lanes,
        starts=routing.starts,
        changed=changed,
    )
    chart = place_chart(plan)
    chart.title = f"Flowchart: {plain(sop.title)}"
    chart.description = _description(sop, names, changed)
    return rounded(chart)


def _route(sop: Sop, flow: Flow) -> Routing:
    sections = sop.all_sections()
    steps = [s for sec in sections for s in sec.steps]
    routing = Routing(steps, {s.id: i for i, s in enumerate(steps)})
    last_in_section = {sec.steps[-1].id for sec in sections}
    for step in steps:
        for edge in _merge_same_target(flow.edges.get(step.id, [])):
            t = edge.target
            row = routing.row.get(t.step or "") if t.kind == "step" else None
            follows = row == routing.row[step.id] + 1 and step.id not in last_in_section
            if follows and step.id not in routing.down and not edge.timeout:
                routing.down[step.id] = edge
            elif row is not None:
                label = plain(edge.label) if edge.label else None
                routing.jumps.append(
                    Jump(edge, f"step-{step.id}", f"step-{t.step}", routing.row[step.id], row, label)
                )
            elif t.kind == "end" and edge.implicit:
                routing.down[step.id] = edge
            else:
                routing.exits.setdefault(step.id, []).append(edge)
    routing.starts = _starts(sop, routing)
    return routing


def _starts(sop: Sop, routing: Routing) -> list[StartPill]:
    """One pill per situation the procedure starts from, above the chart, in the order the SOP
    lists them (as the page's "Start here" list does). The last one sits right above the first
    step and, when it starts there, leads straight down into it; the others reach their step
    through a lane, or say where they start when the lanes are full."""
    if not sop.starts:
        return [StartPill("start", "Start", "Start", None, direct=True)] if sop.sections is None else []
    first = routing.steps[0].id if routing.steps else ""
    pills: list[StartPill] = []
    for n, start in enumerate(sop.starts):
        title = f"Start: {plain(start.when)}"
        if n == len(sop.starts) - 1 and sop.sections is None and start.step == first:
            pills.append(StartPill(f"start-{n}", plain(start.when), title, None, direct=True))
            continue
        row = routing.row.get(start.step)
        jump = None if row is None else Jump(None, f"start-{n}", f"step-{start.step}", -1, row, None)
        if jump is not None:
            routing.jumps.append(jump)
        pills.append(StartPill(f"start-{n}", plain(start.when), title, jump, target=start.step))
    return pills


def _description(sop: Sop, names: Names, changed: Changed | None = None) -> str:
    steps = sop.all_steps()
    decisions = sum(1 for s in steps if s.decision is not None)
    parts = [f"{_count(len(steps), 'step')}, {_count(decisions, 'decision')}"]
    if sop.starts:
        parts.append(
            "starts: "
            + "; ".join(f"{plain(s.when)} at step {names.numbers.get(s.step, s.step)}" for s in sop.starts)
        )
    calls = [s for s in steps if s.call]
    if calls:
        parts.append(
            "calls: "
            + "; ".join(f"step {names.numbers[s.id]} runs {names.goto_title(s.call or '')}" for s in calls)
        )
    waits = [s for s in steps if s.wait]
    if waits:
        parts.append(
            "waits: "
            + "; ".join(f"step {names.numbers[s.id]} waits {s.wait.duration}" for s in waits if s.wait)
        )
    marked = [s for s in steps if changed and s.id in changed.steps]
    if changed and marked:
        said = [
            f"step {names.numbers[s.id]}{' (new)' if changed.steps[s.id] == 'added' else ''}" for s in marked
        ]
        parts.append(f"Changed in version {changed.version}: " + ", ".join(said))
    return ". ".join(parts) + "."


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _merge_same_target(edges: list[Edge]) -> list[Edge]:
    """Answers that lead to the same place share one arrow labelled 'A / B'."""
    merged: dict[tuple, Edge] = {}
    for edge in edges:
        key = _key(edge.target, edge.timeout)
        if key in merged and edge.target.kind != "end":
            first = merged[key]
            label = " / ".join(x for x in (first.label, edge.label) if x) or None
            merged[key] = Edge(
                first.source, first.target, label, first.key_path, first.implicit, first.timeout
            )
        else:
            merged[key if edge.target.kind != "end" else (*key, len(merged))] = edge
    return list(merged.values())


def _key(t: Destination, timeout: bool) -> tuple:
    return (t.kind, t.step, t.sop, t.external, timeout)
