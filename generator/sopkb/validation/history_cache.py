"""What a build learns of the KB's history, kept for the next build: each state's id and version,
each diff, and what was rendered from a diff, by blob ids.

Apart from `history` because it is a different concern with its own rules: what an entry depends on
besides the blobs (`code_stamp`), what a build keeps and what it forgets (`CACHE_KEPT`), and that a
damaged entry is worked out again, never trusted. `loading.history_cache` reads and writes the
files; this module decides what goes in them.
"""

from __future__ import annotations

import hashlib
import sys
import threading
from functools import cache
from pathlib import Path

import pydantic
import yaml

from .. import __version__, domain, loading, models
from ..domain import diff_data
from ..domain.sop_diff import SopDiff
from ..loading.history_cache import CacheFiles

CACHE_KEPT = 2_000
"""Entries a cache file keeps beyond those this build used (from other branches, `sopkb changes`),
so it neither grows without end nor forgets what a switch back to another branch needs."""


@cache
def code_stamp() -> str:
    """What the cached ids, versions and diffs depend on besides the blobs: sopkb's version, the
    source of the code that reads and compares SOPs (so an edited checkout is never fooled), the
    libraries under it and Python's."""
    digest = hashlib.sha256()
    for package in (loading, models):
        for path in sorted(Path(package.__file__).parent.glob("*.py")):
            digest.update(_source(path))
    here = Path(domain.__file__).parent
    for name in ("sop_diff.py", "text_diff.py", "sop_parts.py", "diff_data.py"):
        digest.update(_source(here / name))
    for name in ("history.py", "history_cache.py", "schema.py"):  # earlier states read, entries kept
        digest.update(_source(Path(__file__).parent / name))
    versions = f"{__version__} {pydantic.VERSION} {yaml.__version__} {sys.version_info[:2]}"
    return f"{versions} {digest.hexdigest()[:20]}"


def _source(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:  # a package without its sources (a zip): the versions still count
        return b""


class HistoryCache:
    """The ids and versions of states (`peeked`), the diffs of a KB's history and what was
    rendered from them (`output`), as the last build left them (`loading.history_cache` keeps
    the files); implements `KnownDiffs`."""

    def __init__(self, git_dir: Path | None):
        self.files = CacheFiles(git_dir / "sopkb" / "history" if git_dir else None, code_stamp())
        self._peeked = self.files.read("states")
        self._diffs = self.files.read("diffs")
        self._outputs: dict | None = None  # read when first needed (a build's, not a check's)
        self._used_peeks: dict[str, object] = {}
        self._used_diffs: dict[str, object] = {}
        self._since: dict | None = None  # read when first needed
        self._used_outputs: dict[str, list[str | None]] = {}
        self._used_since: dict[str, object] = {}
        self._new_peeks = self._new_diffs = self._new_outputs = self._new_since = False
        self._lock = threading.Lock()

    def peeked(self, sha: str) -> dict[str, str] | None | bool:
        """A state's id and version (as `peek` gives them); False when not known."""
        data = self._peeked.get(sha, False)
        if data is False or not (data is None or _is_peek(data)):
            return False
        self._used_peeks[sha] = data
        if data is None:
            return None
        return {k: v for k, v in zip(("id", "version"), data, strict=True) if v is not None}

    def add_peek(self, sha: str, fields: dict[str, str] | None) -> None:
        self._used_peeks[sha] = None if fields is None else [fields.get("id"), fields.get("version")]
        self._new_peeks = True

    def get(self, before: str, after: str, since: bool = False) -> SopDiff | str | None:
        """`since`: a diff from an earlier version to the current one (signing again), kept in a
        file of its own, read only when one is asked for: a warm build asks for none (it has
        the files made of them, `output`), and that file is most of the cache's bytes."""
        key = f"{before}:{after}"
        data = self._diffs.get(key)
        if data is None and since:
            data = self._since_file().get(key)
        if data is None:
            return None
        try:
            found = diff_data.from_data(data)
        except (ValueError, TypeError, RecursionError):
            return None  # damaged: worked out again, and written anew
        with self._lock:
            (self._used_since if since else self._used_diffs)[key] = data
        return found

    def put(self, before: str, after: str, found: SopDiff | str, since: bool = False) -> None:
        with self._lock:
            (self._used_since if since else self._used_diffs)[f"{before}:{after}"] = diff_data.to_data(found)
            if since:
                self._new_since = True
            else:
                self._new_diffs = True

    def _since_file(self) -> dict:
        if self._since is None:
            self._since = self.files.read("since")
        return self._since

    def output(self, key: str) -> list[str | None] | None:
        """What a build rendered from a diff (see `render.history.SinceFiles`, whose `key` names
        the two blobs and what rendered them): a list of strings (or None); None when not kept,
        or not such a list (damaged: rendered again, and written anew)."""
        with self._lock:
            if self._outputs is None:
                self._outputs = self.files.read("outputs")
        data = self._outputs.get(key)
        if not isinstance(data, list) or not all(v is None or isinstance(v, str) for v in data):
            return None
        with self._lock:
            self._used_outputs[key] = data
        return data

    def put_output(self, key: str, value: list[str | None]) -> None:
        with self._lock:
            self._used_outputs[key] = value
            self._new_outputs = True

    def save(self) -> None:
        with self._lock:
            if self._new_since:
                self.files.write("since", _kept(self._used_since, self._since_file()))
                self._new_since = False
            if self._new_outputs:
                before = self._outputs if self._outputs is not None else self.files.read("outputs")
                self.files.write("outputs", _kept(self._used_outputs, before))
                self._new_outputs = False
            if self._new_peeks:
                self.files.write("states", _kept(self._used_peeks, self._peeked))
                self._new_peeks = False
            if self._new_diffs:
                self.files.write("diffs", _kept(self._used_diffs, self._diffs))
                self._new_diffs = False


def _is_peek(data: object) -> bool:
    return isinstance(data, list) and len(data) == 2 and all(v is None or isinstance(v, str) for v in data)


def _kept(used: dict, before: dict) -> dict:
    """What this build used, then as many others from the file before as `CACHE_KEPT` allows."""
    out = dict(used)
    for key, value in before.items():
        if len(out) >= len(used) + CACHE_KEPT:
            break
        out.setdefault(key, value)
    return out
