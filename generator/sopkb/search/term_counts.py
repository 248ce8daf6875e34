"""Each SOP's search terms, counted per field, kept between builds and saves: turning every field of
every SOP into stemmed terms was most of the search index's time (about 1 s at 1,000 SOPs, on every
save in `sopkb serve`), though a save usually changes one SOP.

An SOP's counts are kept by a key of what they are made from: its fields as search reads them
(`sop_fields`, cheap next to tokenising) and a stamp of the code that turns text into terms. Impacts
depend on the whole KB (its average body length, rounded), so a build works them out from the
counts; `sopkb serve` keeps each SOP's while the rounded average stays the same. The index is the
same, file for file, with or without what is kept here.

Kept in memory (`sopkb serve`: the plugin object lasts across saves; about 10 KB an SOP) or, given
a folder, on disk (`sopkb build`: `search/` in the page cache's folder beside the site), one JSON
file per SOP (about 4 KB); either holds the last build's SOPs only. The disk is an extra, read as
untrusted: a file that is missing, oversized, not JSON or not the shape written here, or anything
but a regular file in a real folder (never followed through a link), is a miss; a folder that
cannot be written is quietly not written. The words in a well-formed file are trusted, as the page
cache's HTML is (documentation/safety.md).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import secrets
import stat
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .. import __version__
from ..core.by_identity import ByIdentity, KeptBy
from ..core.folders import real_folders
from ..core.parallel import map_in_processes
from .term_postings import TermPostings

Fields = dict[str, list[str]]
Counts = Mapping[str, Mapping[str, int]]  # field → term → how often

MAX_BYTES = 8_000_000  # a source is at most 2 MB: its counts come nowhere near; a larger file is not read
_ENTRY = re.compile(r"[0-9a-f]{64}\.json")
_TEMP = re.compile(r"\.[0-9a-f]{12}\.tmp")
_NO_LINK = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
_READ_FLAGS = os.O_RDONLY | _NO_LINK | getattr(os, "O_NONBLOCK", 0)
_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NO_LINK


class TermCounts:
    """Kept in memory (`folder` None), or in `folder`."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self._kept: dict[str, Counts] = {}
        self._fields = ByIdentity()  # in memory: each model's fields and their key
        self._by_fields: dict[int, tuple[Fields, str]] = {}
        self._each: dict[str, ByIdentity] = {}  # in memory: what `each` worked out, by its name
        self._impacts = ByIdentity()  # in memory: each SOP's impacts, for the average body length `_avg`
        self._avg: float | None = None
        self.postings = TermPostings()  # in memory: each term's postings, mended on each save
        self.texts = KeptBy() if folder is None else None  # in memory: each index file's JSON

    def fields(self, sops: Sequence[object], read: Callable[[object], Fields]) -> list[Fields]:
        """`[read(sop) for sop in sops]`. In memory, each SOP's are kept with its model, which is
        the same object while its source is unchanged (validation/source_memo.py): reading every
        SOP's fields again was most of what a save still spent on the index."""
        if self.folder is not None:
            return [read(sop) for sop in sops]
        found = self._fields.map(sops, lambda sop: _with_key(read(sop)))
        self._by_fields = {id(fields): (fields, key) for fields, key in found}
        return [fields for fields, _ in found]

    def each(self, what: str, objects: Sequence[object], work: Callable[[Any], Any]) -> list:
        """`[work(o) for o in objects]`; in memory, each result kept with the object it was made
        from (a model, its fields, their counts: the same object while the SOP is unchanged)."""
        if self.folder is not None:
            return [work(o) for o in objects]
        return self._each.setdefault(what, ByIdentity()).map(objects, work)

    def impacts(self, counts: Sequence[Counts], avg: float, work: Callable[[Counts], dict]) -> list[dict]:
        """`[work(c) for c in counts]`, where `work` reads the KB's average body length `avg`; in
        memory, each kept with its counts while `avg` stays the same (it is rounded: one save in
        thousands moves it)."""
        if self.folder is not None:
            return [work(c) for c in counts]
        if avg != self._avg:
            self._impacts, self._avg = ByIdentity(), avg
        return self._impacts.map(counts, work)

    def _key_of(self, stamp: str, fields: Fields) -> str:
        """The key of `fields`, as `fields()` found it when they are the ones it handed out."""
        found = self._by_fields.get(id(fields)) if self.folder is None else None
        if found is not None and found[0] is fields:
            return found[1]
        return _key(stamp, fields)

    def counts(self, fields: Sequence[Fields], count: Callable[[Fields], Counts], jobs: int) -> list[Counts]:
        """`[count(f) for f in fields]`: kept counts where the fields are unchanged, the others
        counted in `jobs` processes (`map_in_processes`). What is kept afterwards is these SOPs'."""
        stamp = code_stamp()
        keys = [self._key_of(stamp, f) for f in fields]
        folder = self.folder
        on_disk = folder is not None and real_folders(folder.parent, folder)  # a planted link: no cache
        found: dict[str, Counts] = {}
        missing: dict[str, Fields] = {}
        for key, sop in zip(keys, fields, strict=True):
            if key in found or key in missing:
                continue
            kept = _read(folder, key, list(sop)) if on_disk else self._kept.get(key)
            if kept is None:
                missing[key] = sop
            else:
                found[key] = kept
        made = dict(zip(missing, map_in_processes(count, list(missing.values()), jobs), strict=True))
        found.update(made)
        if folder is None:
            self._kept = found
        elif on_disk:
            _write(folder, made)
            _prune(folder, found)
        return [found[key] for key in keys]


@functools.cache
def code_stamp() -> str:
    """sopkb's version and the code that makes terms of text (an edited checkout is never fooled)."""
    here = Path(__file__).parent
    digest = hashlib.sha256(f"{__version__}\0".encode())
    code = ("fields.py", "index.py", "term_counts.py", "../text/words.py")
    for path in (here / name for name in code):
        with contextlib.suppress(OSError):
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _with_key(fields: Fields) -> tuple[Fields, str]:
    return fields, _key(code_stamp(), fields)


def _key(stamp: str, fields: Fields) -> str:
    return hashlib.sha256(f"{stamp}\0{json.dumps(fields)}".encode()).hexdigest()


def _read(folder: Path, key: str, names: list[str]) -> Counts | None:
    """The counts kept for `key`, or None: never through a link, never more than MAX_BYTES, and only
    in the shape `_write` gives them (the fields `names`, in their order; terms to positive counts)."""
    path = folder / f"{key}.json"
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        with open(os.open(path, _READ_FLAGS), "rb") as file:  # no link, nor a FIFO to wait on
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                return None
            data = file.read(MAX_BYTES + 1)
        value = json.loads(data) if len(data) <= MAX_BYTES else None
    except (OSError, ValueError, RecursionError):  # missing, unreadable, not JSON (or not UTF-8)
        return None
    if not (isinstance(value, dict) and value.keys() == {"key", "counts"} and value["key"] == key):
        return None
    counts = value["counts"]
    if not (isinstance(counts, dict) and list(counts) == names):
        return None
    for field in counts.values():
        if not isinstance(field, dict):
            return None
        for n in field.values():
            if type(n) is not int or n < 1:
                return None
    return counts


def _write(folder: Path, made: dict[str, Counts]) -> None:
    """Each entry to its own file, written beside it and renamed into place (a reader never sees
    half a file, and a link planted at its name is replaced, not followed). A full disk or a
    read-only folder: no cache, never a failed build."""
    if not made:
        return
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
    if not real_folders(folder.parent, folder):
        return
    temp = folder / f".{secrets.token_hex(6)}.tmp"
    for key, counts in made.items():
        data = json.dumps({"key": key, "counts": counts}, ensure_ascii=False, separators=(",", ":")).encode()
        if len(data) > MAX_BYTES:  # it would not be read back
            continue
        try:
            with open(os.open(temp, _WRITE_FLAGS, 0o644), "wb") as file:
                file.write(data)
            os.replace(temp, folder / f"{key}.json")
        except OSError:  # a folder planted at its name, or the disk is full: the next entry may do
            with contextlib.suppress(OSError):
                temp.unlink()


def _prune(folder: Path, used: Mapping[str, object]) -> None:
    """Drop entries this build did not use: one KB's worth is kept. Only names `_write` makes are
    removed; a link or a stranger's file there is left alone."""
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            unused = _ENTRY.fullmatch(entry.name) and entry.name[:-5] not in used
            if (unused or _TEMP.fullmatch(entry.name)) and not entry.is_symlink():
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
