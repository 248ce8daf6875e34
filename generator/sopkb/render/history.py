"""What the SOP page shows of its history: what changed in the current version, and the earlier ones.

Only the latest version's diff is on the page, so a page's size does not grow with its history;
the earlier versions are a line each (the newest `EARLIER_SHOWN`).
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from ..domain import change_words
from ..domain.history import SopHistory, Version
from ..domain.sop_diff import SopDiff
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
