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
