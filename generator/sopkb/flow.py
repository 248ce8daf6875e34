"""The flow of one SOP as a graph: where each step can go next, and under which answer.

Validation and the flowchart both read this, so "what follows what" is decided in one place:
a step goes where its decision's branches say, else to its `next`, else to the following step
of its section, and the last step of a section ends the procedure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .loading.yaml_reader import KeyPath
from .models.sop import Sop

END = "end"
SOP_PREFIX = "sop:"


@dataclass(frozen=True)
class Target:
    kind: Literal["step", "end", "sop"]
    step: str | None = None  # a step of this SOP, or the anchor step in another SOP
    sop: str | None = None

    @classmethod
    def parse(cls, text: str) -> Target:
        if text == END:
            return cls("end")
        if text.startswith(SOP_PREFIX):
            sop, _, step = text[len(SOP_PREFIX) :].partition("#")
            return cls("sop", step=step or None, sop=sop)
        return cls("step", step=text)


@dataclass(frozen=True)
class Edge:
    source: str
    target: Target
    label: str | None  # the branch answer; None for plain "then"
    key_path: KeyPath  # where the author wrote it (for error messages); () when implicit
    implicit: bool = False


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

    def exits_reachable(self) -> set[str]:
        """Steps from which some path leads out (an end or another SOP): the rest are traps."""
        can_exit = {s for s, edges in self.edges.items() if any(e.target.kind != "step" for e in edges)}
        changed = True
        while changed:
            changed = False
            for step in self.edges:
                if step not in can_exit and any(t in can_exit for t in self.successors(step)):
                    can_exit.add(step)
                    changed = True
        return can_exit


def build_flow(sop: Sop) -> Flow:
    flow = Flow(entries=[])
    for base, section in sop.located_sections():
        if section.steps:
            flow.entries.append(section.steps[0].id)
        for index, step in enumerate(section.steps):
            path = (*base, index)
            flow.step_paths.setdefault(step.id, path)
            edges: list[Edge] = []
            if step.decision is not None:
                for b_index, branch in enumerate(step.decision.branches):
                    where = (*path, "decision", "branches", b_index, "goto")
                    edges.append(Edge(step.id, Target.parse(branch.goto), branch.answer, where))
            elif step.next is not None:
                edges.append(Edge(step.id, Target.parse(step.next), None, (*path, "next")))
            elif index + 1 < len(section.steps):
                edges.append(Edge(step.id, Target("step", section.steps[index + 1].id), None, path, True))
            else:
                edges.append(Edge(step.id, Target("end"), None, path, True))
            flow.edges.setdefault(step.id, edges)
    return flow
