"""The KB's files by their stamps (time, size, inode, device, mode): what tells `sopkb serve` which
files a save changed, and whether the last listing of the sources still holds.

Walked as the reading of sources walks them (`source_files.py`): a link counts as what it leads
to, and a linked folder is walked only when its target is inside the KB (or inside the walked
folder's own target), each folder once. A file saved behind a link sends no event from the folder
of the link: only a look at the stamps sees it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from .source_files import SOURCE_SUFFIXES

Stamp = tuple[int, int, int, int, int]


class Snapshot(dict[str, Stamp]):
    """Path → stamp of every file under `folders` (and of the files named). `linked`: a link was
    met on the way (a file or folder that is a link, broken or not); `unreadable`: a folder could
    not be listed."""

    def __init__(self, folders: Iterable[str] = ()) -> None:
        super().__init__()
        self.folders = frozenset(folders)
        self.linked = False
        self.unreadable = False

    def _plain(self, folder: Path) -> bool:
        return not (self.linked or self.unreadable) and str(folder) in self.folders

    def listed(self, folder: Path, found: Iterable[Path]) -> bool:
        """The walk that found the sources `found` in `folder` saw what this snapshot saw: the
        same sources, each a regular file here, and no link or unreadable folder. The snapshot is
        taken before the walk; a file may come, go or change kind between them, and a listing
        kept with a snapshot it does not match would be kept wrong for good."""
        if not self._plain(folder):
            return False
        below = f"{folder}{os.sep}"
        here = {p for p in self if p.startswith(below) and p.endswith(SOURCE_SUFFIXES)}
        return here == {str(p) for p in found} and all(stat.S_ISREG(self[p][4]) for p in here)

    def same_listing(self, earlier: Snapshot | None, folder: Path) -> bool:
        """Listing the sources of `folder` now finds what it found when `earlier` was taken (whose
        listing `listed` vouched for): both met no link (a link's target may change with no stamp
        below it changing) and no unreadable folder, saw the same files, and each source whose
        stamp changed is, now, a regular file and not a link (`lstat`, a moment before it is read,
        as the walk would judge it: not one swapped for a pipe, which would block its reading, or
        for a link out of the KB). A folder's listing then depends on nothing else."""
        if earlier is None or not self._plain(folder) or not earlier._plain(folder):
            return False
        if self.keys() != earlier.keys():
            return False
        below = f"{folder}{os.sep}"
        changed = [p for p, now in self.items() if earlier[p] != now and p.startswith(below)]
        return all(_regular_now(p) for p in changed if p.endswith(SOURCE_SUFFIXES))


def _regular_now(path: str) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def stamp(path: str, follow: bool = True) -> Stamp | None:
    """As `snapshot` stamps a file (what it leads to, if it is a link, unless not `follow`); None
    if it is not there."""
    try:
        st = os.stat(path, follow_symlinks=follow)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino, st.st_dev, st.st_mode)


def snapshot(folders: Iterable[Path], files: Iterable[Path], within: Path | None = None) -> Snapshot:
    """Each file under `folders` (and each of `files`) by its stamp. With `within` (the KB), a
    linked folder whose target is inside it, or inside the walked folder's own target, is walked
    too (each folder once); without, no linked folder is walked."""
    folders = [str(f) for f in folders]
    found = Snapshot(folders)
    bound = os.path.realpath(within) if within is not None else None
    walked: set[str] = set()

    def add(path: str) -> None:
        # a broken link: the reading reports it; its own stamp tells when it changes
        st = stamp(path) or stamp(path, follow=False)
        if st is not None:
            found[path] = st

    for folder in folders:
        allowed = (bound, os.path.realpath(folder))  # the folder itself may be a link (a shared drive)
        stack = [folder]
        while stack:
            top = stack.pop()
            if bound is not None:
                real = os.path.realpath(top)
                if real in walked or not any(os.path.commonpath([real, a]) == a for a in allowed):
                    continue
                walked.add(real)
            try:
                with os.scandir(top) as listing:
                    entries = sorted(listing, key=lambda e: e.name)
            except OSError:
                found.unreadable = True
                continue
            below = []
            for entry in entries:
                try:
                    link = entry.is_symlink()
                    is_dir = entry.is_dir()
                except OSError:
                    link, is_dir = True, False
                found.linked |= link
                if is_dir:
                    if bound is not None or not link:
                        below.append(entry.path)
                else:
                    add(entry.path)
            stack.extend(reversed(below))
    for path in files:
        add(str(path))
    return found
