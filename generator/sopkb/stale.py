"""Content care for authors: what is overdue, unapproved, awaiting its owner's confirmation, has
unknown care metadata, or still points at a procedure outside the KB.

Reconstructed points, unknown metadata and external procedures are listed as
`path:line:col: key.path: …`, so an editor jumps to each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from .core.console import one_line
from .core.key_path import KeyPath
from .domain.knowledge_base import KnowledgeBase, SopEntry
from .loading.yaml_reader import read_yaml
from .text.markdown import plain


def stale_report(kb: KnowledgeBase, today: dt.date) -> tuple[str, int]:
    """The report text and how many SOPs need attention."""
    overdue = kb.overdue(today)
    unapproved = [e for e in kb.sops if e.sop.status != "approved"]
    waiting = [e for e in kb.sops if e.review_points]
    lines = [f"Past their review date ({len(overdue)}):"]
    lines += [
        one_line(f"  {e.source_display}: {e.id}: review was due {e.sop.review_by} (owner: {e.sop.owner})")
        for e in overdue
    ]
    lines += ["", f"Drafts and needs-review ({len(unapproved)}):"]
    lines += [
        one_line(f"  {e.source_display}: {e.id}: {e.sop.status} (owner: {e.sop.owner})") for e in unapproved
    ]
    lines += [
        "",
        f"Reconstructed or doubtful points awaiting owner confirmation "
        f"({sum(e.review_points for e in waiting)}):",
    ]
    for entry in waiting:
        lines += [one_line(f"  {where}: {plain(note)}") for where, note in review_points(entry)]
    unknown = kb.unknown_metadata()
    lines += ["", f"Owner, version or dates unknown ({len(unknown)}):"]
    for entry in unknown:
        located = _locator(entry)
        lines += [
            one_line(f"  {located((name,))}: {entry.id}: {NEEDS[name]}") for name in entry.unknown_metadata
        ]
    lines += external_procedures(kb)
    attention = {e.id for e in overdue + unapproved + waiting + unknown}
    lines += ["", f"{len(attention)} of {len(kb.sops)} SOPs need attention."]
    return "\n".join(lines), len(attention)


NEEDS = {
    "owner": "owner unknown: needs an owner",
    "version": "version unknown: needs a version",
    "effective": "effective date unknown: needs the date this version took effect",
    "review_by": "review date unknown: needs a review date",
}


def _locator(entry: SopEntry) -> Callable[[KeyPath], str]:
    """`path:line:col: key.path` of a key path in the SOP's file (read once), for editors to jump to."""
    doc, _ = read_yaml(entry.source, entry.source_display)

    def located(key_path: KeyPath) -> str:
        if doc is None:
            return entry.source_display
        p = doc.problem(key_path, "")
        return f"{p.file}:{p.line}:{p.column}: {p.key_path}"

    return located


def external_procedures(kb: KnowledgeBase) -> list[str]:
    """Procedures outside the KB not yet converted (no SOP has their id), grouped by title, each with
    the SOPs that list them: what to convert next, and who points at it."""
    groups: dict[str, list[tuple[SopEntry, int]]] = {}
    for entry in kb.sops:
        for i, procedure in enumerate(entry.sop.external):
            if procedure.id not in kb.by_id:
                groups.setdefault(procedure.title.casefold(), []).append((entry, i))
    lines = ["", f"External procedures not yet in the KB ({len(groups)}):"]
    locators: dict[str, Callable[[KeyPath], str]] = {}  # each file read once
    for _, users in sorted(groups.items()):
        listed = [entry.sop.external[i] for entry, i in users]
        where = sorted({p.url or p.identifier or "" for p in listed} - {""})
        lines.append(one_line(f"  {listed[0].title}" + (f" — {', '.join(where)}" if where else "")))
        for entry, i in users:
            if entry.id not in locators:
                locators[entry.id] = _locator(entry)
            located = locators[entry.id](("external", i))
            lines.append(one_line(f"    {located}: {entry.id} (ext:{entry.sop.external[i].id})"))
    return lines


def review_points(entry: SopEntry) -> list[tuple[str, str]]:
    """(`path:line:col: key.path`, note) for every review note of one SOP, in file order."""
    doc, _ = read_yaml(entry.source, entry.source_display)
    sop = entry.sop
    found: list[tuple[tuple, str]] = [(("review", i), n) for i, n in enumerate(sop.review)]
    if sop.sections is not None:
        found += [
            (("sections", s, "review", i), n)
            for s, sec in enumerate(sop.sections)
            for i, n in enumerate(sec.review)
        ]
    for steps_path, section in sop.located_sections():
        for s_i, step in enumerate(section.steps):
            found += [((*steps_path, s_i, "review", i), n) for i, n in enumerate(step.review)]
            branches = step.decision.branches if step.decision else []
            for b_i, branch in enumerate(branches):
                path = (*steps_path, s_i, "decision", "branches", b_i, "review")
                found += [((*path, i), n) for i, n in enumerate(branch.review)]
    if sop.documentation:
        found += [(("documentation", "review", i), n) for i, n in enumerate(sop.documentation.review)]
    located = [(doc.problem(key_path, note) if doc else None, note) for key_path, note in found]
    located.sort(key=lambda item: (item[0].line, item[0].column) if item[0] else (0, 0))
    return [
        (f"{p.file}:{p.line}:{p.column}: {p.key_path}" if p else entry.source_display, note)
        for p, note in located
    ]
