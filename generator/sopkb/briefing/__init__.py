"""`sopkb changes`: what changed across the KB, newest first, for a team huddle or an email.

`entries` picks the versions (since a date or a commit) and their diffs from the knowledge base's
histories; `markdown` and `html` word them. The diffs of older versions are read here, on
demand, in one batch: the build reads only each SOP's latest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..domain.history import SopHistory, Version, keep_diffs
from ..domain.knowledge_base import KnowledgeBase
from ..domain.sop_diff import SopDiff
from ..models.sop import Sop


@dataclass(frozen=True)
class Since:
    """Versions dated on or after `date`, or introduced by one of `commits` (or not committed yet)."""

    label: str
    date: dt.date | None = None
    commits: frozenset[str] | None = None

    @property
    def given(self) -> bool:
        """Without a start, every change is listed but not every SOP's first version (the whole KB)."""
        return self.date is not None or self.commits is not None

    def includes(self, version: Version, from_git: bool) -> bool:
        if self.date is not None:
            return version.date is None or version.date >= self.date
        if self.commits is not None:
            return from_git and (version.commit is None or version.commit in self.commits)
        return True


@dataclass(frozen=True)
class Entry:
    sop: Sop
    version: Version
    previous: Version | None  # None: the SOP's first version
    diff: SopDiff | None
    note: str | None  # why there is no diff, when there could have been one


def entries(kb: KnowledgeBase, since: Since) -> list[Entry]:
    """Newest first (not yet committed first of all), then by SOP title."""
    chosen: list[tuple[SopHistory, int]] = []
    for entry in kb.sops:
        history = kb.history.get(entry.id)
        if history is None:
            continue
        for index, version in enumerate(history.versions):
            first = index + 1 == len(history.versions)
            if since.includes(version, history.from_git) and (not first or since.given):
                chosen.append((history, index))
    _prefetch(chosen)
    out = []
    for history, index in chosen:
        found = history.diff(index)
        previous = history.versions[index + 1] if index + 1 < len(history.versions) else None
        out.append(
            Entry(
                history.current,
                history.versions[index],
                previous,
                found if isinstance(found, SopDiff) else None,
                found if isinstance(found, str) else None,
            )
        )
    keep_diffs(h for h, _ in chosen)
    out.sort(key=lambda e: e.sop.title.casefold())
    out.sort(key=lambda e: e.version.date or dt.date.max, reverse=True)
    return out


def _prefetch(chosen: list[tuple[SopHistory, int]]) -> None:
    """Every earlier state the diffs compare, in one read."""
    refs: dict = {}
    for history, index in chosen:
        if history.contents is None or index + 1 >= len(history.versions) or history.ready(index):
            continue  # nothing to read or compare with, or its diff known from the last build
        for version in history.versions[index : index + 2]:
            if version.content:
                refs.setdefault(id(history.contents), (history.contents, set()))[1].add(version.content)
    for contents, wanted in refs.values():
        contents.fetch(wanted)
