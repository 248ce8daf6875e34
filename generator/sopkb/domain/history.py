"""Each SOP's versions, newest first, and what changed between them.

The versions come from git (the commits where the SOP's `version` changed) and from the SOP's own
`changes:` list; `sopkb.validation.history` gathers them. An earlier version's content is read
only when a comparison needs it (`Contents`), so a page's history costs one old version however
long the history grows, and not even that when an earlier build kept the diff (`KnownDiffs`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from ..core.parallel import map_in_processes
from ..models.sop import UNKNOWN, Sop
from .sop_diff import SopDiff, sop_diff

_PART = re.compile(r"\d+|[^\W\d_]+", re.UNICODE)


_END = (0.5,)
"""Where a version's parts end: after any pre-release word (`rc`, `beta`: 0), before any further
number (1), so 2.0-rc1 < 2.0 < 2.0.1."""


@lru_cache(maxsize=1 << 16)
def version_key(version: str) -> tuple | None:
    """Versions in the order people mean: 1.9 < 1.10 < 2.0; 1.0 == 1.0.0; a word before the first
    number is a label (v2 == Version 2 == 2); a word after a number marks a pre-release (2.0-rc1 <
    2.0 rc2 < 2.0); versions of words only (Rev A < Rev B) come before numbered ones. None for
    `unknown` (or no digit or letter at all), which compares with nothing. Remembered: a KB's few
    distinct versions are compared thousands of times (every state of every SOP, at each build)."""
    if version == UNKNOWN:
        return None
    words = _PART.findall(version)
    if not words:
        return None
    first_number = next((i for i, w in enumerate(words) if w.isdecimal()), None)
    if first_number is None:
        return (0, *((0, w.casefold()) for w in words), _END)
    parts: list[tuple[int, str | tuple[int, str]]] = []
    for word in reversed(words[first_number:]):  # a run of numbers ends without its zeros: 2.0-rc1 is 2-rc1
        if word.isdecimal():
            number = _number(word)
            if number[0] or (parts and parts[-1][0] == 1):
                parts.append((1, number))
        else:
            parts.append((0, word.casefold()))
    return (1, *reversed(parts), _END)


def _number(word: str) -> tuple[int, str]:
    """A number of any length and any script's digits, as (its length, its digits in ASCII): compared
    as numbers are, and never `int()`'s limit of 4,300 digits."""
    digits = "".join(str(unicodedata.decimal(c)) for c in word).lstrip("0")
    return (len(digits), digits)


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

    def get(self, before: str, after: str, since: bool = False) -> SopDiff | str | None:
        """`since`: a diff from an earlier version to the current one (`diff_since`)."""

    def put(self, before: str, after: str, found: SopDiff | str, since: bool = False) -> None: ...

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
        if index < 0 or index + 1 >= len(self.versions):
            return None
        return self._found(index)

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
        return self._found(-index)  # negative keys: from an earlier version to the current one

    def refs(self, key: int) -> tuple[str, str] | None:
        """The refs of the two contents a comparison reads (`key`: `index` for `diff(index)`,
        `-index` for `diff_since(index)`), before then after; None when one is not known."""
        before, after = self._places(key)
        first = self.versions[before].content
        second = self.current_ref if after == 0 else self.versions[after].content
        return (first, second) if first and second else None

    def ready(self, key: int) -> bool:
        """Whether a comparison (`key` as for `refs`) is known already: worked out, or found
        among the diffs an earlier build kept."""
        if key in self._diffs:
            return True
        refs = self.refs(key)
        found = self.known.get(*refs, since=key < 0) if refs and self.known else None
        if found is not None:
            self._diffs[key] = found
        return found is not None

    def _places(self, key: int) -> tuple[int, int]:
        """The versions a comparison reads: (before, after)."""
        return (key + 1, key) if key >= 0 else (-key, 0)

    def _found(self, key: int) -> SopDiff | str | None:
        if key not in self._diffs:
            refs = self.refs(key)
            found = self.known.get(*refs, since=key < 0) if refs and self.known else None
            if found is None:
                found = self._compare(key)
                if found is None:
                    return None
                if refs and self.known:
                    self.known.put(*refs, found, since=key < 0)
            self._diffs[key] = found
        return self._diffs[key]

    def _compare(self, key: int) -> SopDiff | str | None:
        before_index, after_index = self._places(key)
        after = self._sop(after_index)
        before = self._sop(before_index)
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


def prepare_diffs(
    histories: Iterable[SopHistory],
    since: int = 1,
    jobs: int = 1,
    skip: Callable[[SopHistory, int], bool] | None = None,
) -> None:
    """Work out, in `jobs` processes, the diffs pages show that are not known yet: each SOP's
    latest (`diff(0)`) and, for signing again, from each of its `since` newest earlier versions
    to the current one (`diff_since`); then keep them for the next build. With every one known
    from the last build, this reads no earlier version at all. `skip(history, key)`: a diff
    since an earlier version (`key` as for `SopHistory.refs`) nothing will ask for, because
    what is made of it is kept already (the latest diff is never skipped: the page shows it)."""
    histories = list(histories)
    todo = [
        (h, key)
        for h in histories
        for key in [0, *(-i for i in range(2, min(since + 1, len(h.versions))))]
        if key + 1 < len(h.versions) and not (key and skip and skip(h, key)) and not h.ready(key)
    ]
    read_versions((h, i) for h, key in todo for i in h._places(key))
    for (history, key), found in zip(todo, map_in_processes(_work_out, todo, jobs), strict=True):
        if found is not None:
            history._diffs[key] = found
            refs = history.refs(key)
            if refs and history.known:
                history.known.put(*refs, found, since=key < 0)
    keep_diffs(histories)  # with any diff worked out before (the checks on quizzes ask for some)


def keep_diffs(histories: Iterable[SopHistory]) -> None:
    """Keep the diffs worked out so far for the next build (where the histories' cache can)."""
    for known in {id(h.known): h.known for h in histories if h.known}.values():
        known.save()


def _work_out(item: tuple[SopHistory, int]) -> SopDiff | str | None:
    history, key = item
    return history._compare(key)


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


def read_earlier(
    histories: Iterable[SopHistory], limit: int, skip: Callable[[SopHistory, int], bool] | None = None
) -> None:
    """Each history's `limit` newest earlier versions, read at once: before forked render workers
    compare them, since the workers could not share what each read. A version whose comparison
    with the current one is known (an earlier build kept it), or not wanted (`skip`, as for
    `prepare_diffs`), is not read."""
    read_versions(
        (h, i)
        for h in histories
        for i in range(1, min(limit + 1, len(h.versions)))
        if not (i > 1 and skip and skip(h, -i)) and not h.ready(0 if i == 1 else -i)
    )


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
