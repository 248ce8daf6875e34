"""A version diff in words: a one-line summary, and a sentence per change, for pages and briefings."""

from __future__ import annotations

from ..core.console import count
from .sop_diff import BranchChange, FieldChange, SopDiff, StepChange

PART_NAMES = {
    "title": "title", "actor": "who does it", "callouts": "callouts", "do": "do", "say": "say",
    "ask": "ask", "verify": "verify", "tables": "tables", "messages": "message templates",
    "notes": "notes", "wait": "wait", "limit": "time limit", "call": "procedure called",
    "question": "decision question", "answer": "answer", "next": "next step",
    "background": "background", "objective": "objective", "scope": "scope",
    "responsibilities": "responsibilities", "starts": "starts", "sections": "sections",
    "conclusion": "conclusion", "dispositions": "dispositions", "record": "what to record",
    "call_scripts": "sample call scripts", "external": "procedures outside the KB",
    "summary": "summary", "category": "category", "tags": "tags", "keywords": "keywords",
    "status": "status", "owner": "owner", "effective": "effective date", "review_by": "review date",
    "source": "source document", "related": "related SOPs",
}  # fmt: skip


def part_name(name: str) -> str:
    return PART_NAMES.get(name, name.replace("_", " "))


def summary(diff: SopDiff) -> str:
    """One line: "2 steps reworded, 1 added, 1 branch retargeted, dispositions changed"."""
    steps = diff.steps
    said = _counted(
        "step",
        [
            ("reworded", sum(s.kind == "changed" and s.reworded for s in steps)),
            ("added", sum(s.kind == "added" for s in steps)),
            ("removed", sum(s.kind == "removed" for s in steps)),
            ("moved", sum(s.moved for s in steps)),
            ("retargeted", sum(s.retargeted is not None for s in steps)),
        ],
    )
    branches = [b for s in steps for b in s.branches]
    said += _counted(
        "branch",
        [(k, sum(b.kind == k for b in branches)) for k in ("retargeted", "added", "removed", "reworded")],
        plural="branches",
    )
    if diff.parts:
        said.append(_names([p.name for p in diff.parts]) + " changed")
    if diff.metadata and not said:
        said.append("only details changed: " + _names([m.name for m in diff.metadata]))
    return ", ".join(said) if said else "no change to the content"


def _counted(noun: str, counts: list[tuple[str, int]], plural: str | None = None) -> list[str]:
    """The noun once, with the first count: "2 steps reworded, 1 added"."""
    out = []
    for what, n in counts:
        if n:
            out.append(f"{count(n, noun, plural)} {what}" if not out else f"{n} {what}")
    return out


def _names(names: list[str]) -> str:
    words = [part_name(n) for n in names]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def step_label(step: StepChange) -> str:
    number = step.number_after or step.number_before
    return f"Step {number} “{step.title}”"


def step_sentence(step: StepChange) -> str:
    """What happened to one step, without the words themselves: "reworded (say, do); moved from 5"."""
    if step.kind == "added":
        return "added"
    if step.kind == "removed":
        return "removed"
    said = []
    if step.fields:
        said.append(f"reworded ({', '.join(part_name(f.name) for f in step.fields)})")
    if step.moved:
        said.append(f"moved (was step {step.number_before})")
    if step.retargeted is not None:
        line = step.retargeted.lines[0]
        said.append(f"now goes on to {line.after or 'the next step'} (was {line.before or 'the next step'})")
    said += [branch_sentence(b) for b in step.branches]
    return "; ".join(said)


def branch_sentence(branch: BranchChange) -> str:
    answer = f"“{branch.answer}”"
    if branch.kind == "added":
        return f"new answer {answer} → {branch.where_after}"
    if branch.kind == "removed":
        return f"answer {answer} removed (it went to {branch.where_before})"
    parts = ", ".join(part_name(f.name) for f in branch.fields)
    if branch.kind == "retargeted":
        reworded = f", reworded ({parts})" if parts else ""
        return f"answer {answer} now leads to {branch.where_after} (was {branch.where_before}){reworded}"
    return f"answer {answer} reworded ({parts})"


def describe(diff: SopDiff) -> list[str]:
    """A sentence per change, in the order a reader meets them on the page."""
    lines = [f"{step_label(s)}: {step_sentence(s)}" for s in diff.steps]
    lines += [_part_sentence(p) for p in diff.parts]
    lines += [
        f"{part_name(m.name).capitalize()}: {m.before or '—'} → {m.after or '—'}" for m in diff.metadata
    ]
    return lines


def _part_sentence(part: FieldChange) -> str:
    kinds = [line.kind for line in part.lines]
    said = [f"{n} {kind}" for kind in ("changed", "added", "removed") if (n := kinds.count(kind))]
    return f"{part_name(part.name).capitalize()}: {', '.join(said)}"
