"""Folders sopkb keeps files in for later builds (page, render and search caches): used only when
they are real folders, so a link planted in their place is never followed."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def real_folders(*folders: Path) -> bool:
    """Each folder is a real one or not there yet (never a link to somewhere else)."""
    for folder in folders:
        try:
            mode = os.lstat(folder).st_mode
        except FileNotFoundError:
            continue
        except OSError:
            return False
        if not stat.S_ISDIR(mode):
            return False
    return True
