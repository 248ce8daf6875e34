"""Folders sopkb keeps files in for later builds (page, render and search caches): used only when
they are real folders of this user's that others cannot write, so a link planted in their place
is never followed, and a folder another local user made first (beside a site in a shared folder
such as /tmp, or where `serve` keeps its pages) never feeds pages to the site."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def real_folders(*folders: Path) -> bool:
    """Each folder is a real one of this user's that others may not write, or not there yet."""
    me = os.getuid() if hasattr(os, "getuid") else None  # Windows: no owners to compare
    for folder in folders:
        try:
            found = os.lstat(folder)
        except FileNotFoundError:
            continue
        except OSError:
            return False
        if not stat.S_ISDIR(found.st_mode) or found.st_mode & stat.S_IWOTH:
            return False
        if me is not None and found.st_uid != me:
            return False
    return True


def files_below(folder: Path) -> list[Path]:
    """Every file below `folder`, sorted, through links to folders too (as MkDocs and Jinja read
    them), each real folder once (a link back up is no endless walk)."""
    found: list[Path] = []
    seen: set[tuple[int, int]] = set()
    for top, dirs, files in os.walk(folder, followlinks=True):
        try:
            here = os.stat(top)
        except OSError:
            dirs[:] = []
            continue
        if (here.st_dev, here.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((here.st_dev, here.st_ino))
        found += (Path(top) / name for name in files if os.path.isfile(os.path.join(top, name)))
    return sorted(found)
