"""Each SOP's versions, newest first, and what changed between them.

The versions come from git (the commits where the SOP's `version` changed) and from the SOP's own
`changes:` list; `sopkb.validation.history` gathers them. An earlier version's content is read
only when a comparison needs it (`Contents`), so a page's history costs one old version however
long the history grows, and not even that when an earlier build kept the diff (`KnownDiffs`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from ..core.parallel import map_in_processes
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


class KnownDiffs(Protocol):
    """Diffs computed before (by an earlier build), by the refs of the two contents compared."""

    def get(self, before: str, after: str) -> SopDiff | str | None: ...

    def put(self, before: str, after: str, found: SopDiff | str) -> None: ...

    def save(self) -> None:
        """Keep what was put for the next build (where it can)."""


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
    current_ref: str | None = None  # the ref of `current`'s content as it is now (its blob id)
    known: KnownDiffs | None = None
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
            refs = self.refs(index)
            found = self.known.get(*refs) if refs and self.known else None
            if found is None:
                found = self._compare(index)
                if found is None:
                    return None
                if refs and self.known:
                    self.known.put(*refs, found)
            self._diffs[index] = found
        return self._diffs[index]

    def refs(self, index: int) -> tuple[str, str] | None:
        """The refs of the two contents `diff(index)` compares (None: one is not known)."""
        after = self.current_ref if index == 0 else self.versions[index].content
        before = self.versions[index + 1].content if index + 1 < len(self.versions) else None
        return (before, after) if before and after else None

    def ready(self, index: int) -> bool:
        """Whether `diff(index)` is known already (worked out, or found among the known diffs)."""
        if index in self._diffs:
            return True
        refs = self.refs(index)
        found = self.known.get(*refs) if refs and self.known else None
        if found is not None:
            self._diffs[index] = found
        return found is not None

    def _compare(self, index: int) -> SopDiff | str | None:
        after = self._sop(index)
        before = self._sop(index + 1)
        if after is None or before is None:
            return None
        if isinstance(before, str) or isinstance(after, str):
            return before if isinstance(before, str) else after
        return sop_diff(before, after)

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


def prepare_diffs(histories: Iterable[SopHistory], indexes: Iterable[int] = (0,), jobs: int = 1) -> None:
    """Work out, in `jobs` processes, the diffs pages will show that are not known yet (on the
    SOP page: the current version's, index 0), then keep them for the next build. With every
    diff known from the last build, this reads no earlier version at all."""
    histories, wanted = list(histories), list(indexes)
    todo = [(h, i) for h in histories for i in wanted if i + 1 < len(h.versions) and not h.ready(i)]
    _fetch(todo)
    for (history, index), found in zip(todo, map_in_processes(_work_out, todo, jobs), strict=True):
        if found is not None:
            history._diffs[index] = found
            refs = history.refs(index)
            if refs and history.known:
                history.known.put(*refs, found)
    keep_diffs(histories)  # with any diff worked out before (the checks on quizzes ask for some)


def keep_diffs(histories: Iterable[SopHistory]) -> None:
    """Keep the diffs worked out so far for the next build (where the histories' cache can)."""
    for known in {id(h.known): h.known for h in histories if h.known}.values():
        known.save()


def _work_out(item: tuple[SopHistory, int]) -> SopDiff | str | None:
    history, index = item
    return history._compare(index)


def _fetch(todo: list[tuple[SopHistory, int]]) -> None:
    """Every earlier content the diffs compare, in one read per source (before any worker starts)."""
    refs: dict[int, tuple[Contents, set[str]]] = {}
    for history, index in todo:
        if history.contents is None:
            continue
        for version in history.versions[max(index, 1) : index + 2]:
            if version.content:
                refs.setdefault(id(history.contents), (history.contents, set()))[1].add(version.content)
    for contents, wanted in refs.values():
        contents.fetch(wanted)


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
