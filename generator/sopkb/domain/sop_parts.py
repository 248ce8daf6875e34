"""An SOP's parts as lines of text, the unit the version diff compares.

Each part a reader sees becomes a list of lines under its key's name: a step's `say` is its
lines, a callout is "kind: title: text", a table row is its cells joined by " | ". What is not
part of the procedure (a step's `key` flag, its `number`, review notes, `changes`) is left out,
so changing it is no change to the content; the SOP's details are `METADATA`.
"""

from __future__ import annotations

from ..models.base import NestedItem
from ..models.content import Callout, Message, Table
from ..models.sop import Sop
from ..models.step import Branch, Step

METADATA = (
    "title", "summary", "category", "tags", "keywords", "status", "owner", "effective", "review_by",
    "source", "related",
)  # fmt: skip
"""The SOP's details: changing them alone asks no one to re-read the procedure."""


def item_text(item: str | NestedItem) -> str:
    if isinstance(item, str):
        return item
    return f"{item.text} " + " ".join(f"({n}) {sub}" for n, sub in enumerate(item.items, start=1))


def _callouts(callouts: list[Callout]) -> list[str]:
    return [": ".join(filter(None, [c.kind, c.title, c.text])) for c in callouts]


def _messages(messages: list[Message]) -> list[str]:
    return [": ".join(filter(None, [m.channel, m.title, m.subject, m.body])) for m in messages]


def _tables(tables: list[Table]) -> list[str]:
    lines = []
    for table in tables:
        lines.append(": ".join(filter(None, [table.caption, " | ".join(table.columns)])))
        lines += [" | ".join(row) for row in table.rows]
    return lines


def _one(value: str | None) -> list[str]:
    return [value] if value else []


def step_parts(step: Step) -> dict[str, list[str]]:
    """The step's own parts; `next` and the branches are compared apart (they are the flow)."""
    wait = step.wait
    timeout = f" (else {wait.timeout})" if wait and wait.timeout else ""
    parts = {
        "title": [step.title],
        "actor": _one(step.actor),
        "callouts": _callouts(step.callouts),
        "do": [item_text(i) for i in step.do],
        "say": list(step.say),
        "ask": list(step.ask),
        "verify": [item_text(i) for i in step.verify],
        "tables": _tables(step.tables),
        "messages": _messages(step.messages),
        "notes": list(step.notes),
        "wait": _one(wait and f"{wait.duration} until {wait.until}{timeout}"),
        "limit": _one(step.limit and f"{step.limit.duration}: {step.limit.what}"),
        "call": _one(step.call),
        "question": _one(step.decision and step.decision.question),
    }  # fmt: skip
    return {name: lines for name, lines in parts.items() if lines}


def branch_parts(branch: Branch) -> dict[str, list[str]]:
    parts = {"answer": [branch.answer], "do": [item_text(i) for i in branch.do], "say": list(branch.say)}
    return {name: lines for name, lines in parts.items() if lines}


def sop_parts(sop: Sop) -> dict[str, list[str]]:
    """Everything but the steps and the details: the prose around the procedure, the documentation,
    the scripts and templates, and (for a sectioned SOP) the sections' titles and introductions."""
    dispositions = sop.documentation.dispositions if sop.documentation else []
    record = sop.documentation.record if sop.documentation else []
    parts = {
        "background": _one(sop.background),
        "objective": [sop.objective],
        "scope": _one(sop.scope),
        "responsibilities": [f"{r.role}: {item_text(d)}" for r in sop.responsibilities for d in r.duties],
        "callouts": _callouts(sop.callouts),
        "starts": [f"{s.when}: {s.step}" for s in sop.starts],
        "sections": [": ".join(filter(None, [s.title, s.intro])) for s in sop.sections or []],
        "conclusion": _one(sop.conclusion),
        "dispositions": [" — ".join(filter(None, [d.label, d.code, d.when])) for d in dispositions],
        "record": [item_text(i) for i in record],
        "call_scripts": [f"{c.title}: {ln.speaker}: {ln.text}" for c in sop.call_scripts for ln in c.lines],
        "messages": _messages(sop.messages),
        "external": [": ".join(filter(None, [e.id, e.title, e.url, e.identifier])) for e in sop.external],
    }  # fmt: skip
    return {name: lines for name, lines in parts.items() if lines}
