"""The files `sopkb build` writes beside MkDocs' pages (each SOP's and quiz's data files, the search
index) kept by their contents, so an unchanged rebuild links them into its new site instead of
writing them again: a new file is a new inode, and on ext4 finding a free inode among the thousands
the last site's removal just freed was most of an unchanged rebuild's system time (at 1,000 SOPs,
3,400 of its 5,400 new inodes were these files; a link is none).

A file is kept at `.site-page-cache/files/<digest[:2]>/<digest>`, named by the SHA-256 of its bytes,
and linked only if it still holds exactly those bytes, is a regular file of this user's with the
mode the build writes and no ACL (it shares its inode with the sites it is in: a change made
through a site's name for it shows here). Anything else is written as before, and kept anew. A kept
file no site links any longer (one link left: the cache's own) is let go at the end of a build,
once every file of the new site is in it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import stat
from collections.abc import Callable
from pathlib import Path

from ..core.folders import real_folders
from .kept_files import TEMPORARY, shard_files
from .page_cache import has_acl, written_mode

FOLDER = "files"
_KEPT = re.compile(r"[0-9a-f]{64}")


class FileStore:
    """`published`: the site now published, whose files the new site's replace."""

    def __init__(self, folder: Path, published: Path | None = None):
        self.folder = folder / FOLDER
        self.published = published
        self.mode = written_mode()
        self.usable = real_folders(folder, self.folder)
        self._shards: dict[str, bool] = {}
        self.folders: set[Path] = set()  # the new site's folders made so far (by this process)

    def file(self, data: bytes) -> Path:
        key = hashlib.sha256(data).hexdigest()
        return self.folder / key[:2] / key

    def write(self, site: Path, path: str, data: bytes) -> None:
        """`data` at `path` in `site` (a new site, its folder made): linked from the store when it
        holds them, else written and kept. Never written through a file already there, which may
        be a link to the store and so to the published site: that file is replaced."""
        kept, target = self.file(data), site / path
        found = self._holds(kept, data) if self.usable else None
        if found is not None:
            with contextlib.suppress(OSError):  # let go meanwhile, or no link possible: written
                self._not_older(kept, found, path)
                _replaced(target, lambda: os.link(kept, target))  # a copy would be a new inode
                return
        _replaced(target, lambda: _write_new(target, data))
        if self.usable:
            self._keep(target, kept)

    def _holds(self, kept: Path, data: bytes) -> os.stat_result | None:
        """`kept`'s status, if it is the store's file of exactly `data`."""
        if not self._real_shard(kept.parent):
            return None
        try:
            fd = os.open(kept, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return None
        try:
            found = os.fstat(fd)
            if not stat.S_ISREG(found.st_mode) or found.st_size != len(data):
                return None
            if (found.st_uid, stat.S_IMODE(found.st_mode)) != (os.geteuid(), self.mode):
                return None
            same = _read_all(fd, len(data)) == data
        except OSError:
            return None
        finally:
            os.close(fd)
        return found if same and not has_acl(kept) else None

    def _not_older(self, kept: Path, found: os.stat_result, path: str) -> None:
        """A kept file that replaces another in the published site (an edit undone: the store still
        holds the file of two builds ago) gets a time after the one it replaces: a browser that
        asks whether the file changed since it fetched the other (`If-Modified-Since`, all that
        a server without ETags goes by) is told it did."""
        if self.published is None:
            return
        try:
            now = os.lstat(self.published / path)
        except OSError:
            return
        if (now.st_ino, now.st_dev) != (found.st_ino, found.st_dev) and now.st_mtime_ns >= found.st_mtime_ns:
            os.utime(kept)

    def _real_shard(self, folder: Path) -> bool:
        found = self._shards.get(folder.name)
        if found is None:
            found = self._shards[folder.name] = folder.is_dir() and real_folders(folder)
        return found

    def _keep(self, written: Path, kept: Path) -> None:
        """Linked, never copied: a copy would be a second inode, what the store is there to save."""
        try:
            kept.parent.mkdir(parents=True, exist_ok=True)
            if not real_folders(self.folder, kept.parent):
                return
            fresh = kept.with_name(f".{secrets.token_hex(6)}.tmp")
            os.link(written, fresh)
            os.replace(fresh, kept)
            self._shards[kept.parent.name] = True
        except OSError:
            return  # a full disk, a read-only KB, a file system without links: no store

    def prune(self) -> None:
        """Drop the kept files no site links any longer (and unfinished ones): only names this
        module writes, in real folders; a link or a stranger's file is left alone."""
        if not self.usable:
            return
        for file in shard_files(self.folder):
            with contextlib.suppress(OSError):
                found = file.lstat()
                if not stat.S_ISREG(found.st_mode) or found.st_uid != os.geteuid():
                    continue
                if (_KEPT.fullmatch(file.name) and found.st_nlink == 1) or TEMPORARY.fullmatch(file.name):
                    file.unlink()


def _read_all(fd: int, size: int) -> bytes:
    """`size` bytes of `fd` and one more if there is one (a file grown since it was looked at)."""
    chunks, left = [], size + 1
    while left > 0:
        chunk = os.read(fd, left)
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _replaced(target: Path, make: Callable[[], None]) -> None:
    """`make()` a new file at `target`, after taking away one that is there already."""
    try:
        make()
    except FileExistsError:
        target.unlink()
        make()


def _write_new(target: Path, data: bytes) -> None:
    with open(target, "xb") as stream:
        stream.write(data)
