"""What one build learnt from git history, kept for the next: small JSON files under `.git/sopkb/`.

Everything kept is keyed by git blob ids, whose content never changes, so an entry is never out of
date; a file written by another version of sopkb (its `stamp` differs) is ignored whole. The cache
is an extra: a missing, unreadable, corrupt or foreign file reads as empty, a folder that cannot
be written (a read-only `.git`, a full disk) is quietly not written, and two builds writing at once
each replace the file whole (written beside it, then renamed), so neither can leave half a file.
Nothing here ever raises for the file system.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

FORMAT = 1  # the files' own layout; the stamp covers what is in them
MAX_BYTES = 256 * 1024 * 1024  # a file larger than this is not read (nothing sopkb writes comes near)


class CacheFiles:
    """The files in `folder` (None: no cache, every read is empty and every write a no-op)."""

    def __init__(self, folder: Path | None, stamp: str):
        self.folder = folder
        self.stamp = stamp

    def read(self, name: str) -> dict:
        """The entries of `name`, or {} when there is no such file written with this stamp."""
        if self.folder is None:
            return {}
        try:
            path = self.folder / f"{name}.json"
            if path.stat().st_size > MAX_BYTES:
                return {}
            data = json.loads(path.read_bytes())
        except (OSError, ValueError, RecursionError):  # missing, unreadable, not JSON (or not UTF-8)
            return {}
        if (
            not isinstance(data, dict)
            or data.get("format") != FORMAT
            or data.get("stamp") != self.stamp
            or not isinstance(data.get("entries"), dict)
        ):
            return {}
        return data["entries"]

    def write(self, name: str, entries: dict) -> bool:
        """Replace `name` with `entries` (JSON data); False when it could not be written."""
        if self.folder is None:
            return False
        text = json.dumps({"format": FORMAT, "stamp": self.stamp, "entries": entries}, separators=(",", ":"))
        partial: Path | None = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".partial", dir=self.folder)
            partial = Path(temp)
            os.fchmod(fd, 0o666 & ~_umask())  # as any file git writes there, not mkstemp's 0600
            with os.fdopen(fd, "wb") as stream:
                stream.write(text.encode("ascii"))
            os.replace(partial, self.folder / f"{name}.json")
        except OSError:
            if partial is not None:
                with contextlib.suppress(OSError):
                    partial.unlink()
            return False
        return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
