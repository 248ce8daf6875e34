"""The data guided call mode walks: every step's words and actions, and where each answer leads.

Built from the same flow graph as the flowchart and validation, so the guide can never disagree
with the procedure. Text is pre-rendered by the safe Markdown renderer; `plain` copies go to the
clipboard.
"""

from __future__ import annotations

from typing import Any

from ..domain.flow import Destination
from ..domain.knowledge_base import KnowledgeBase, SopEntry
from ..text.markdown import inline, plain


def _items(items: list) -> list[str]:
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(str(inline(item)))
        else:
            out.append(
                str(inline(item.text))
                + "<ul>"
                + "".join(f"<li>{inline(i)}</li>" for i in item.items)
                + "</ul>"
            )
    return out


def _say(lines: list[str]) -> dict[str, Any]:
    return {"html": [str(inline(line)) for line in lines], "text": "\n".join(plain(line) for line in lines)}


def _target(target: Destination, kb: KnowledgeBase, numbers: dict[str, str], titles: dict[str, str]) -> dict:
    if target.kind == "end":
        return {"kind": "end"}
    if target.kind == "sop":
        other = kb.by_id[target.sop or ""]
        return {
            "kind": "sop",
            "sop": other.id,
            "step": target.step,
            "title": plain(other.sop.title),
            "href": f"../{other.id}/",
        }
    return {
        "kind": "step",
        "step": target.step,
        "label": f"Step {numbers[target.step or '']}: {titles[target.step or '']}",
    }


def guided_data(entry: SopEntry, kb: KnowledgeBase) -> dict:
    sop = entry.sop
    steps = sop.all_steps()
    numbers = sop.step_numbers()
    titles = {s.id: plain(s.title) for s in steps}
    out_steps = {}
    for step in steps:
        edges = entry.flow.edges[step.id]
        data: dict[str, Any] = {
            "id": step.id,
            "number": numbers[step.id],
            "title": titles[step.id],
            "do": _items(step.do),
            "ask": [str(inline(q)) for q in step.ask],
            "verify": _items(step.verify),
            "say": _say(step.say),
        }
        if step.decision is not None:
            data["question"] = plain(step.decision.question)
            data["branches"] = [
                {
                    "answer": plain(branch.answer),
                    "do": _items(branch.do),
                    "say": _say(branch.say),
                    "goto": _target(edge.target, kb, numbers, titles),
                }
                for branch, edge in zip(step.decision.branches, edges, strict=True)
            ]
        else:
            data["next"] = _target(edges[0].target, kb, numbers, titles)
        out_steps[step.id] = data
    documentation = sop.documentation
    return {
        "sop": sop.id,
        "title": plain(sop.title),
        "version": sop.version,
        "start": entry.flow.entries[0],
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
