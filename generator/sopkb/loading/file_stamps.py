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

Stamp = tuple[int, int, int, int, int]


class Snapshot(dict[str, Stamp]):
    """Path → stamp of every file under `folders` (and of the files named). `linked`: a link was
    met on the way (a file or folder that is a link, broken or not)."""

    def __init__(self, folders: Iterable[str] = ()) -> None:
        super().__init__()
        self.folders = frozenset(folders)
        self.linked = False

    def same_listing(self, earlier: Snapshot | None, folder: Path) -> bool:
        """Listing the sources of `folder` now finds what it found when `earlier` was taken: both
        looked at `folder`, met no link (a link's target may change with no stamp below it
        changing), saw the same files, and each file whose stamp changed is still a regular file
        (not one swapped for a pipe, which would block its reading). A folder's listing then
        depends on nothing else."""
        if earlier is None or self.linked or earlier.linked:
            return False
        if str(folder) not in self.folders or str(folder) not in earlier.folders:
            return False
        if self.keys() != earlier.keys():
            return False
        return all(stat.S_ISREG(now[4]) for path, now in self.items() if earlier[path] != now)


def stamp(path: str) -> Stamp | None:
    """As `snapshot` stamps a file (what it leads to, if it is a link); None if it is not there."""
    try:
        st = os.stat(path)
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
        st = stamp(path)
        if st is None:  # a broken link: the reading reports it; its own stamp tells when it changes
            try:
                lst = os.lstat(path)
            except OSError:
                return
            st = (lst.st_mtime_ns, lst.st_size, lst.st_ino, lst.st_dev, lst.st_mode)
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
