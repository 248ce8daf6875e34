"""The flow of one SOP as a graph: where each step can go next, and under which answer.

Validation and the flowchart both read this, so "what follows what" is decided in one place:
a step goes where its decision's branches say, else to its `next`, else to the following step
of its section, and the last step of a section ends the procedure.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Literal, Protocol, TypeVar

from ..core.key_path import KeyPath
from ..models.sop import Sop

END = "end"
SOP_PREFIX = "sop:"
EXTERNAL_PREFIX = "ext:"

Node = TypeVar("Node", bound=Hashable)


class Predecessors(Protocol[Node]):
    """`predecessors[node]`: the nodes with an edge to `node` (a dict with every node, or a list)."""

    def __getitem__(self, node: Node, /) -> Iterable[Node]: ...


def reaching(goals: Iterable[Node], predecessors: Predecessors[Node]) -> set[Node]:
    """Every node from which some goal can be reached, the goals included.

    A search backwards from the goals: each node is taken once and each edge looked at once, so
    the cost is linear in nodes + edges. (A fixpoint "mark a step when a successor is marked"
    sweeps every step once per step it marks on a long chain: quadratic, 21 s on 5,000 steps.)
    """
    found = set(goals)
    stack = list(found)
    while stack:
        for before in predecessors[stack.pop()]:
            if before not in found:
                found.add(before)
                stack.append(before)
    return found


@dataclass(frozen=True)
class Destination:
    kind: Literal["step", "end", "sop", "external"]
    step: str | None = None  # a step of this SOP, or the anchor step in another SOP
    sop: str | None = None
    external: str | None = None  # the id of one of the SOP's `external` procedures

    @classmethod
    def parse(cls, text: str) -> Destination:
        if text == END:
            return cls("end")
        if text.startswith(SOP_PREFIX):
            sop, _, step = text[len(SOP_PREFIX) :].partition("#")
            return cls("sop", step=step or None, sop=sop)
        if text.startswith(EXTERNAL_PREFIX):
            return cls("external", external=text[len(EXTERNAL_PREFIX) :])
        return cls("step", step=text)


@dataclass(frozen=True)
class Edge:
    source: str
    target: Destination
    label: str | None  # the branch answer; None for plain "then"
    key_path: KeyPath  # where the author wrote it (for error messages); () when implicit
    implicit: bool = False
    timeout: bool = False  # taken when a step's `wait` runs out


@dataclass
class Flow:
    entries: list[str]
    edges: dict[str, list[Edge]] = field(default_factory=dict)
    step_paths: dict[str, KeyPath] = field(default_factory=dict)

    def successors(self, step_id: str) -> list[str]:
        return [
            e.target.step for e in self.edges.get(step_id, []) if e.target.kind == "step" and e.target.step
        ]

    def reachable(self) -> set[str]:
        seen: set[str] = set()
        stack = list(self.entries)
        while stack:
            step = stack.pop()
            if step in seen or step not in self.edges:
                continue
            seen.add(step)
            stack.extend(self.successors(step))
        return seen

    def predecessors(self) -> dict[str, list[str]]:
        """For each step, the steps of this SOP with an edge to it (the flow read backwards)."""
        before: dict[str, list[str]] = {step: [] for step in self.edges}
        for step, edges in self.edges.items():
            for edge in edges:
                if edge.target.kind == "step" and edge.target.step in before:
                    before[edge.target.step].append(step)
        return before

    def leaves(self, edge: Edge) -> bool:
        """Whether the edge leads out of this SOP's own steps: to an end, another SOP, or a step
        that does not exist (reported on its own; counted as a way out so it is reported once)."""
        return edge.target.kind != "step" or edge.target.step not in self.edges

    def exits_reachable(self) -> set[str]:
        """Steps from which some path leads out of this SOP (an end, another SOP, or an unknown step):
        the rest are traps. Linear: one backward search from the ways out (`reaching`)."""
        exits = [step for step, edges in self.edges.items() if any(self.leaves(e) for e in edges)]
        return reaching(exits, self.predecessors())


def build_flow(sop: Sop) -> Flow:
    """A step's `call` does not change where it goes next (the called procedure comes back); a
    `wait` with a `timeout` adds an edge taken when the time runs out."""
    flow = Flow(entries=[start.step for start in sop.starts])
    for base, section in sop.located_sections():
        if section.steps and not sop.starts:
            flow.entries.append(section.steps[0].id)
        for index, step in enumerate(section.steps):
            path = (*base, index)
            flow.step_paths.setdefault(step.id, path)
            edges: list[Edge] = []
            if step.decision is not None:
                for b_index, branch in enumerate(step.decision.branches):
                    where = (*path, "decision", "branches", b_index, "goto")
                    edges.append(Edge(step.id, Destination.parse(branch.goto), branch.answer, where))
            elif step.next is not None:
                edges.append(Edge(step.id, Destination.parse(step.next), None, (*path, "next")))
            elif index + 1 < len(section.steps):
                following = Destination("step", section.steps[index + 1].id)
                edges.append(Edge(step.id, following, None, path, True))
            else:
                edges.append(Edge(step.id, Destination("end"), None, path, True))
            if step.wait is not None and step.wait.timeout is not None:
                where = (*path, "wait", "timeout")
                label = f"No answer after {step.wait.duration}"
                edges.append(Edge(step.id, Destination.parse(step.wait.timeout), label, where, timeout=True))
            flow.edges.setdefault(step.id, edges)
    return flow
