"""What the SOP page shows of its history: what changed in the current version, and the earlier ones.

Only the latest version's diff is on the page, so a page's size does not grow with its history;
the earlier versions are a line each (the newest `EARLIER_SHOWN`). What changed since each of
those earlier versions, for a learner who signed it, is a small data file of its own
(`since_files`), fetched by the read-and-sign box only when that learner opens the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from ..domain import change_words, urls
from ..domain.history import SopHistory, Version
from ..domain.sop_diff import SopDiff
from ..models.sop import Sop
from ..text.data import to_json
from ..text.markdown import plain
from .flowchart import Changed

EARLIER_SHOWN = 20


@dataclass(frozen=True)
class HistoryView:
    current: Version
    previous: Version
    diff: SopDiff | None
    note: str | None  # why there is no diff to show, when there is none
    earlier: list[Version]  # the versions before the current one, newest first
    more: int  # earlier versions not listed


def history_view(history: SopHistory | None) -> HistoryView | None:
    """None when the SOP has no earlier version to compare with (or to list)."""
    if history is None or history.previous is None:
        return None
    found = history.diff(0)
    diff = found if isinstance(found, SopDiff) else None
    note = found if isinstance(found, str) else None
    earlier = history.versions[1:]
    shown, more = earlier[:EARLIER_SHOWN], len(earlier[EARLIER_SHOWN:])
    return HistoryView(history.versions[0], history.previous, diff, note, shown, more)


def changed_steps(view: HistoryView | None) -> Changed | None:
    """The steps the flowchart marks: those the current version added or changed (reworded,
    moved, sent elsewhere, or with branches added, removed or changed)."""
    if view is None or view.diff is None:
        return None
    steps = {s.step_id: s.kind for s in view.diff.steps if s.kind in ("added", "changed")}
    return Changed(view.current.version, steps) if steps else None


def diff_text(text: str) -> Markup:
    """A run of author text inside `<ins>`/`<del>`: escaped, its line breaks as `<br>` (a blank
    line would end the page's HTML block)."""
    return Markup(str(escape(text)).replace("\n", "<br>"))


HELPERS = {
    "change_summary": change_words.summary,
    "step_sentence": change_words.step_sentence,
    "branch_sentence": change_words.branch_sentence,
    "part_name": change_words.part_name,
    "diff_text": diff_text,
}
"""What the history templates call, handed to them with the page's context."""


def sop_data(
    sop: Sop, history: SopHistory | None, diff_list: Callable[[SopDiff], str]
) -> list[tuple[str, str]]:
    """The SOP's data file (its version, and for each of the newest `EARLIER_SHOWN` earlier
    versions a one-line summary of what changed since), and a file per earlier version with the
    changes from it to the current version, as HTML rendered here with author text escaped
    (`diff_list` is the `_history.html.j2` macro the page's section uses). One comparison per
    version, from it straight to the current one: not the chain of versions between."""
    earlier = history.versions[1 : EARLIER_SHOWN + 1] if history else []
    names = urls.version_names([v.version for v in earlier])
    files: list[tuple[str, str]] = []
    entries: list[dict[str, Any]] = []
    for index, (version, name) in enumerate(zip(earlier, names, strict=True), start=1):
        found = history.diff_since(index) if history else None
        entry: dict[str, Any] = {
            "version": version.version,
            "date": version.date.isoformat() if version.date else None,
            "summary": change_words.summary(found) if isinstance(found, SopDiff) else None,
            "diff": None,
        }
        if found is not None:
            entry["diff"] = urls.sop_since_file(sop.id, name)
            html = diff_list(found) if isinstance(found, SopDiff) else _not_compared(found)
            since = {"sop": sop.id, "from": version.version, "to": sop.version, "html": str(html)}
            files.append((entry["diff"], to_json(since)))
        entries.append(entry)
    data = {
        "id": sop.id,
        "title": plain(sop.title),
        "href": urls.sop_url(sop.id),
        "version": sop.version,
        "earlier": entries,
    }
    return [(urls.sop_data_file(sop.id), to_json(data)), *files]


def _not_compared(note: str) -> Markup:
    return Markup("<p>A step-by-step comparison is not available: {}.</p>").format(note)
