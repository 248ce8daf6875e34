"""Content care for authors: what is overdue, unapproved, or awaiting its owner's confirmation.

Reconstructed points are listed as `path:line:col: key.path: note`, so an editor jumps to each.
"""

from __future__ import annotations

import datetime as dt

from .core.console import one_line
from .domain.knowledge_base import KnowledgeBase, SopEntry
from .loading.yaml_reader import read_yaml
from .text.markdown import plain


def stale_report(kb: KnowledgeBase, today: dt.date) -> tuple[str, int]:
    """The report text and how many SOPs need attention."""
    overdue = [e for e in kb.sops if e.sop.review_by < today]
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
    attention = {e.id for e in overdue + unapproved + waiting}
    lines += ["", f"{len(attention)} of {len(kb.sops)} SOPs need attention."]
    return "\n".join(lines), len(attention)


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
