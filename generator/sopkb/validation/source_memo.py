"""While `sopkb serve` runs: each source as its last reading left it, known by its bytes.

A save changes one file of a thousand, and reading, validating and checking every file again was
most of a save's wait (3.5 s of it at 1,000 SOPs). What one file decides alone is kept: its
document, its model, its own problems, and what is worked out from its model alone (its flow,
its content checks). What depends on other files is kept only with what it read of them (a
drill names the SOPs its branches hand off to: kept with their titles). The checks across files
(references, ids, addresses) run over the whole KB on every save, so an error a save causes in
another file is still reported.

`sopkb serve` also hands each reading the stamps of the KB's files, taken just before it
(`loading/file_stamps.py`): a source is known unchanged by its stamp there, with no `stat` of its
own, and a folder's listing of sources is kept while the stamps show no file came, went or
became a link (walking 10,000 sources again was a sixth of a save).

Kept in memory only, for one day (salvaged models and review checks read today's date), and
only what the last reading used: a deleted or changed file's entry goes at the next reading.
Models are frozen, so a kept one cannot be changed by its users.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

from ..loading.file_stamps import Snapshot, stamp
from ..loading.source_files import SourceFiles


class SourceMemo:
    def __init__(self) -> None:
        self._day: dt.date | None = None
        self._kept: dict[Hashable, Any] = {}
        self._used: dict[Hashable, Any] = {}
        self._files: Snapshot | None = None

    def start(self, today: dt.date, files: Snapshot | None = None) -> None:
        """Before a reading of the whole KB; `files`: the stamps of its files just before it."""
        if today != self._day:
            self._kept, self._day = {}, today
        self._used, self._files = {}, files

    def listing(self, folder: Path, walk: Callable[[], SourceFiles]) -> SourceFiles:
        """`walk()`'s sources of `folder`, or the last reading's while the stamps show its listing
        holds (`Snapshot.same_listing`); one that met a problem is walked again."""
        key = ("listing", str(folder))
        kept = self._kept.get(key)
        files = self._files
        if files is None:
            return walk()
        if kept is not None and files.same_listing(kept[0], folder):
            found = kept[1]
        else:
            found = walk()
            if found.problems or not files.listed(folder, found.files):
                return found  # walked again next time
        self._used[key] = (files, found)
        return found

    def finish(self) -> None:
        """After it: what it did not use is let go."""
        self._kept, self._used = self._used, {}

    def unchanged(self, kind: str, display: str, path: Path) -> Any | None:
        """What the last reading found in the file, when its time, size and inode are as they were
        then: not even its bytes are read again (at 10,000 SOPs, 250 MB a save). As MkDocs and
        `make` do, a file is known changed by its time."""
        name = str(path)
        now = self._files.get(name) if self._files is not None else None
        now = now if now is not None else stamp(name)
        found = self._kept.get(("stamp", kind, display))
        if now is None or found is None or found[0] != now or found[1] not in self._kept:
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
        """The file's stamp now, a moment before its bytes are read: never the stamps handed to
        the reading, taken earlier (a file changed since, then put back, would have the bytes
        read in between kept under its own stamp, for good)."""
        return stamp(str(path))

    def generation(self, name: str, value: Any) -> int:
        """A number that stays the same from reading to reading while `value` is equal (==) to
        what it was at the last: put in `derived`'s `what`, work that reads `value` is kept while
        it is the same."""
        found = self._kept.get(("generation", name))
        number = 0 if found is None else found[0] if found[1] == value else found[0] + 1
        self._used[("generation", name)] = (number, value)
        return number

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

    def listing(self, folder: Path, walk: Callable[[], SourceFiles]) -> SourceFiles:
        return walk()

    def generation(self, name: str, value: Any) -> int:
        return 0

    def derived(self, of: object, what: Hashable, work: Callable[[], Any]) -> Any:
        return work()

