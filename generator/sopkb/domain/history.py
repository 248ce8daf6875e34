"""Each SOP's versions, newest first, and what changed between them.

The versions come from git (the commits where the SOP's `version` changed) and from the SOP's own
`changes:` list; `sopkb.validation.history` gathers them. An earlier version's content is read
only when a comparison needs it (`Contents`), so a page's history costs one old version however
long the history grows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from ..models.sop import UNKNOWN, Sop
from .sop_diff import SopDiff, sop_diff

_PART = re.compile(r"\d+|[^\W\d_]+", re.UNICODE)


def version_key(version: str) -> tuple | None:
    """Versions in the order people mean: 1.9 < 1.10 < 2.0, 1.0 == 1.0.0, 2.0-rc1 < 2.0 is not
    guessed (letters sort after numbers). None for `unknown` (or no digit or letter at all), which
    compares with nothing."""
    if version == UNKNOWN:
        return None
    parts: list[tuple[int, int | str]] = [
        (0, int(p)) if p.isdigit() else (1, p.casefold()) for p in _PART.findall(version)
    ]
    while parts and parts[-1] == (0, 0):
        parts.pop()
    return tuple(parts) if _PART.search(version) else None


def is_lower(version: str, than: str) -> bool:
    a, b = version_key(version), version_key(than)
    return a is not None and b is not None and a < b


class Contents(Protocol):
    """Where earlier versions' contents come from: an SOP, or why it cannot be read as one."""

    def sop(self, ref: str) -> Sop | str: ...

    def fetch(self, refs: Iterable[str]) -> None:
        """Read these at once, before asking for them one by one."""


@dataclass(frozen=True)
class Version:
    version: str
    date: dt.date | None  # the author's date (`changes:`), else the commit's; None: not known
    summary: str | None  # the author's words (`changes:`), else the commit's subject
    commit: str | None = None  # the commit that introduced it; None: not committed, or not from git
    content: str | None = None  # the ref `Contents` reads its last state by; None: not known

    @property
    def short_commit(self) -> str | None:
        return self.commit[:7] if self.commit else None


@dataclass
class SopHistory:
    """`versions[0]` is the current version (its content is `current`); the rest, newest first."""

    current: Sop
    versions: list[Version]
    contents: Contents | None = None
    from_git: bool = False
    _diffs: dict[int, SopDiff | str] = field(default_factory=dict, repr=False)

    @property
    def previous(self) -> Version | None:
        return self.versions[1] if len(self.versions) > 1 else None

    def diff(self, index: int = 0) -> SopDiff | str | None:
        """What changed in `versions[index]` from the version before it: the diff, the reason
        it cannot be compared (an earlier version that no longer reads as an SOP), or None when
        there is nothing to compare (no earlier version, or no content for it)."""
        if index + 1 >= len(self.versions):
            return None
        if index not in self._diffs:
            after = self._sop(index)
            before = self._sop(index + 1)
            if after is None or before is None:
                return None
            if isinstance(before, str) or isinstance(after, str):
                self._diffs[index] = before if isinstance(before, str) else after
            else:
                self._diffs[index] = sop_diff(before, after)
        return self._diffs[index]

    def remember(self, index: int, found: SopDiff | str) -> None:
        """A diff computed elsewhere (a render worker in another process), so it is not read twice."""
        self._diffs[index] = found

    def diff_since(self, index: int) -> SopDiff | str | None:
        """What changed from `versions[index]` to the current version, in one comparison (not
        chained through the versions between): what a learner who signed that version must read.
        Same answers as `diff`; `diff_since(1)` is `diff(0)`."""
        if index == 1:
            return self.diff(0)
        if index < 1 or index >= len(self.versions):
            return None
        if -index not in self._diffs:  # negative keys: from an earlier version to the current one
            before = self._sop(index)
            if before is None:
                return None
            self._diffs[-index] = before if isinstance(before, str) else sop_diff(before, self.current)
        return self._diffs[-index]

    def _sop(self, index: int) -> Sop | str | None:
        if index == 0:
            return self.current
        ref = self.versions[index].content
        if ref is None or self.contents is None:
            return None
        found = self.contents.sop(ref)
        if isinstance(found, str):
            return f"version {self.versions[index].version} no longer reads as an SOP ({found})"
        return found


def read_versions(wanted: Iterable[tuple[SopHistory, int]]) -> None:
    """Read the contents of these versions (a history and a version's place in it) at once, one
    batch per source, before they are compared one by one."""
    batches: dict[int, tuple[Contents, list[str]]] = {}
    for history, index in wanted:
        ref = history.versions[index].content if 0 < index < len(history.versions) else None
        if ref and history.contents is not None:
            batches.setdefault(id(history.contents), (history.contents, []))[1].append(ref)
    for contents, refs in batches.values():
        contents.fetch(refs)


def read_earlier(histories: Iterable[SopHistory], limit: int) -> None:
    """Each history's `limit` newest earlier versions, read at once: before forked render workers
    compare them, since the workers could not share what each read."""
    read_versions((h, i) for h in histories for i in range(1, min(limit + 1, len(h.versions))))


def changes_only(sop: Sop) -> SopHistory:
    """The history an SOP keeps itself, in `changes:`: versions and summaries, no contents."""
    entries = {c.version: c for c in sop.changes}
    current = entries.pop(sop.version, None)
    effective = sop.effective if isinstance(sop.effective, dt.date) else None
    versions = [
        Version(sop.version, current.date if current else effective, current.summary if current else None)
    ]
    versions += by_version([Version(c.version, c.date, c.summary) for c in entries.values()])
    return SopHistory(sop, versions)


def by_version(versions: list[Version]) -> list[Version]:
    """Newest first by version (dates break ties; `unknown` last)."""

    def key(v: Version) -> tuple:
        found = version_key(v.version)
        return (found is not None, found or (), v.date or dt.date.min)

    return sorted(versions, key=key, reverse=True)
