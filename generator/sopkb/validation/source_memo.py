"""While `sopkb serve` runs: each source as its last reading left it, known by its bytes.

A save changes one file of a thousand, and reading, validating and checking every file again was
most of a save's wait (3.5 s of it at 1,000 SOPs). What one file decides alone is kept: its
document, its model, its own problems, and what is worked out from its model alone (its flow,
its content checks). What depends on other files is kept only with what it read of them (a
drill names the SOPs its branches hand off to: kept with their titles). The checks across files
(references, ids, addresses) run over the whole KB on every save, so an error a save causes in
another file is still reported.

Kept in memory only, for one day (salvaged models and review checks read today's date), and
only what the last reading used: a deleted or changed file's entry goes at the next reading.
Models are frozen, so a kept one cannot be changed by its users.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any


class SourceMemo:
    def __init__(self) -> None:
        self._day: dt.date | None = None
        self._kept: dict[Hashable, Any] = {}
        self._used: dict[Hashable, Any] = {}

    def start(self, today: dt.date) -> None:
        """Before a reading of the whole KB."""
        if today != self._day:
            self._kept, self._day = {}, today
        self._used = {}

    def finish(self) -> None:
        """After it: what it did not use is let go."""
        self._kept, self._used = self._used, {}

    def unchanged(self, kind: str, display: str, path: Path) -> Any | None:
        """What the last reading found in the file, when its time, size and inode are as they were
        then: not even its bytes are read again (at 10,000 SOPs, 250 MB a save). As MkDocs and
        `make` do, a file is known changed by its time."""
        stamp = _stamp(path)
        found = self._kept.get(("stamp", kind, display))
        if stamp is None or found is None or found[0] != stamp or found[1] not in self._kept:
            return None
        self._used[("stamp", kind, display)] = found
        self._used[found[1]] = value = self._kept[found[1]]
        return value

    def source(
        self, kind: str, display: str, raw: bytes, read: Callable[[], Any], stamp: tuple | None = None
    ) -> Any:
        """`read()`'s result for the file shown as `display` holding `raw`, made once per content.
        `stamp`: the file's, taken before its bytes were read (`stamp_of`)."""
        key = (kind, display, hashlib.sha256(raw).digest())
        value = self._kept[key] if key in self._kept else read()
        self._used[key] = value
        if stamp is not None:
            self._used[("stamp", kind, display)] = (stamp, key)
        return value

    def stamp_of(self, path: Path) -> tuple | None:
        return _stamp(path)

    def derived(self, of: object, what: Hashable, work: Callable[[], Any]) -> Any:
        """`work()`'s result for the object `of` (a kept model) and `what` (a name, and whatever
        else the work reads): made again when `of` is a new object, as after its file changed."""
        key = (id(of), what)
        found = self._kept.get(key)
        if found is not None and found[0] is of:  # the same object, not one that reused its id
            self._used[key] = found
            return found[1]
        value = work()
        self._used[key] = (of, value)
        return value


class NoMemo(SourceMemo):
    """A reading that keeps nothing (`sopkb build`, `validate`): every file read and checked."""

    def unchanged(self, kind: str, display: str, path: Path) -> Any | None:
        return None

    def source(
        self, kind: str, display: str, raw: bytes, read: Callable[[], Any], stamp: tuple | None = None
    ) -> Any:
        return read()

    def stamp_of(self, path: Path) -> tuple | None:
        return None

    def derived(self, of: object, what: Hashable, work: Callable[[], Any]) -> Any:
        return work()


def _stamp(path: Path) -> tuple | None:
    try:
        st = os.stat(path)  # a source may be a link inside the KB: what it leads to is read
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino, st.st_dev)
