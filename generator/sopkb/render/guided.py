"""The data guided call mode walks: every step's words and actions, and where each answer leads.

Built from the same flow graph as the flowchart and validation, so the guide can never disagree
with the procedure. Text is pre-rendered by the safe Markdown renderer; `plain` copies go to the
clipboard.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..domain.flow import Destination, Edge
from ..domain.knowledge_base import KnowledgeBase, SopEntry
from ..models.step import Step
from ..models.timing import duration_seconds
from ..text.markdown import SopLinks, inline, plain

COUNTDOWN_MAX = 600  # seconds: a wait this short gets a countdown in guided mode; a longer one is text
SOP_HREF = "../{id}/"  # another SOP's page, from an SOP page (the script fills in `{id}`)


def _items(items: list, links: SopLinks | None) -> list[str]:
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(str(inline(item, links)))
        else:
            out.append(
                str(inline(item.text, links))
                + "<ul>"
                + "".join(f"<li>{inline(i, links)}</li>" for i in item.items)
                + "</ul>"
            )
    return out


def _say(lines: list[str], links: SopLinks | None) -> dict[str, Any]:
    return {
        "html": [str(inline(line, links)) for line in lines],
        "text": "\n".join(plain(line) for line in lines),
    }


@dataclass
class _Targets:
    """Where a target leads, as the guide shows it: a step of this SOP, another SOP, an external
    procedure (`ext:`), or the end."""

    entry: SopEntry
    kb: KnowledgeBase
    numbers: dict[str, str]
    titles: dict[str, str]

    def __call__(self, target: Destination) -> dict:
        if target.kind == "end":
            return {"kind": "end"}
        if target.kind == "sop":
            other = self.kb.by_id[target.sop or ""]
            data = {
                "kind": "sop",
                "sop": other.id,
                "step": target.step,
                "title": plain(other.sop.title),
                "href": SOP_HREF.replace("{id}", other.id),
            }
            if target.step:
                data["stepLabel"] = f"step {other.sop.step_numbers()[target.step]}"
            return data
        if target.kind == "external":
            procedure = next(e for e in self.entry.sop.external if e.id == target.external)
            return {
                "kind": "external",
                "id": procedure.id,
                "title": plain(procedure.title),
                "url": procedure.url,
                "identifier": procedure.identifier,
            }
        return {"kind": "step", "step": target.step, "label": self.step_label(target.step or "")}

    def step_label(self, step_id: str) -> str:
        return f"Step {self.numbers[step_id]}: {self.titles[step_id]}"


def _flow_parts(step: Step, edges: list[Edge], targets: _Targets) -> dict[str, Any]:
    """Who does the step, how long to wait and for what, a time limit, and a procedure to call."""
    data: dict[str, Any] = {"actor": plain(step.actor) if step.actor else None}
    if step.wait is not None:
        seconds = duration_seconds(step.wait.duration)
        timeout = next((e for e in edges if e.timeout), None)
        data["wait"] = {
            "duration": step.wait.duration,
            "until": plain(step.wait.until),
            "seconds": seconds,
            "countdown": seconds <= COUNTDOWN_MAX,
            "timeout": targets(timeout.target) if timeout else None,
        }
    if step.limit is not None:
        data["limit"] = {"duration": step.limit.duration, "what": plain(step.limit.what)}
    if step.call is not None:
        data["call"] = targets(Destination.parse(step.call))
    return data


def guided_data(entry: SopEntry, kb: KnowledgeBase, links: SopLinks | None = None) -> dict:
    """`links`: where `[…](sop:…)` links go from the SOP's page, as on the page itself."""
    sop = entry.sop
    steps = sop.all_steps()
    numbers = sop.step_numbers()
    titles = {s.id: plain(s.title) for s in steps}
    targets = _Targets(entry, kb, numbers, titles)
    out_steps = {}
    for step in steps:
        edges = entry.flow.edges[step.id]
        onward = [e for e in edges if not e.timeout]  # a wait's timeout is offered with the wait
        data: dict[str, Any] = {
            "id": step.id,
            "number": numbers[step.id],
            "title": titles[step.id],
            "do": _items(step.do, links),
            "ask": [str(inline(q, links)) for q in step.ask],
            "verify": _items(step.verify, links),
            "say": _say(step.say, links),
            **_flow_parts(step, edges, targets),
        }
        if step.decision is not None:
            data["question"] = plain(step.decision.question)
            data["branches"] = [
                {
                    "answer": plain(branch.answer),
                    "do": _items(branch.do, links),
                    "say": _say(branch.say, links),
                    "goto": targets(edge.target),
                }
                for branch, edge in zip(step.decision.branches, onward, strict=True)
            ]
        else:
            data["next"] = targets(onward[0].target)
        out_steps[step.id] = data
    documentation = sop.documentation
    return {
        "sop": sop.id,
        "title": plain(sop.title),
        "version": sop.version,
        "start": entry.flow.entries[0],
        "starts": [
            {"when": plain(s.when), "step": s.step, "label": targets.step_label(s.step)} for s in sop.starts
        ],
        "sopHref": SOP_HREF,
        "steps": out_steps,
        "dispositions": [
            {"label": plain(d.label), "code": d.code}
            for d in (documentation.dispositions if documentation else [])
        ],
        "record": [
            plain(r if isinstance(r, str) else r.text)
            for r in (documentation.record if documentation else [])
        ],
    }
