"""The import report: per document what was carried and found, and a summary table."""

from __future__ import annotations

from ..core.console import count, one_line
from .run import DocumentResult

COLUMNS = ("steps", "decisions", "branches", "script lines", "tables", "review")
_STATUS = {"new": "written", "replaces": "replaced", "exists": "exists, not overwritten (use --force)"}


def percent(part: int, whole: int) -> str:
    return "100 %" if part == whole else f"{100 * part / whole:.1f} %" if whole else "—"


def document_lines(result: DocumentResult, *, dry_run: bool, display=str) -> list[str]:  # noqa: ANN001
    source = one_line(result.source)
    if result.error:
        return [f"{source}: error: {one_line(result.error)}"]
    lines = [
        f"{source}: {count(len(result.drafts), 'draft')}; "
        f"sentences carried {result.carried}/{result.sentences} "
        f"({percent(result.carried, result.sentences)}; {result.carried - result.in_fields} in review notes)"
    ]
    for draft in result.drafts:
        figures = ", ".join(f"{draft.figures[c]} {c}" for c in COLUMNS)
        status = "would be written" if dry_run and draft.status != "exists" else _STATUS[draft.status]
        lines.append(f"  {one_line(display(draft.path))}: {figures} ({status})")
    return lines


def summary_table(results: list[DocumentResult], *, dry_run: bool = False) -> list[str]:
    header = ("Source", "Drafts", "Sentences", "Steps", "Decisions", "Script", "Tables", "Review", "Result")
    rows = []
    for r in results:
        totals = {c: sum(d.figures[c] for d in r.drafts) for c in COLUMNS}
        states = {_state(d.status, dry_run) for d in r.drafts}
        result = "error" if r.error else "; ".join(sorted(states))
        rows.append(
            (
                _short(one_line(r.source)),
                str(len(r.drafts)),
                "—" if r.error else percent(r.carried, r.sentences),
                str(totals["steps"]),
                f"{totals['decisions']} ({totals['branches']})",
                str(totals["script lines"]),
                str(totals["tables"]),
                str(totals["review"]),
                result,
            )
        )
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
    return [line(header), line(tuple("-" * w for w in widths)), *(line(row) for row in rows)]


def _state(status: str, dry_run: bool) -> str:
    return "would be written" if dry_run and status != "exists" else _STATUS[status].split(",")[0]


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else "…" + text[-(width - 1) :]


def closing_line(results: list[DocumentResult], *, dry_run: bool) -> str:
    drafts = [d for r in results for d in r.drafts]
    failed = sum(1 for r in results if r.error)
    written = sum(1 for d in drafts if d.status != "exists")
    kept = len(drafts) - written
    verb = "would write" if dry_run else "wrote"
    parts = [f"{count(len(results), 'document')} read", f"{verb} {count(written, 'draft')}"]
    if kept:
        parts.append(f"{kept} kept as they were")
    if failed:
        parts.append(f"{failed} failed")
    return "Import: " + ", ".join(parts) + "." + (" Nothing was written (--dry-run)." if dry_run else "")
