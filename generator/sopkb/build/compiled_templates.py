"""Templates compiled by an earlier build, kept for the next (Jinja's bytecode cache): compiling
sopkb's page templates and Material's theme took about 0.45 s of every build, a tenth of an
unchanged rebuild of 1,000 SOPs.

Compiled templates are code, so they are kept in this user's own cache folder
(`$XDG_CACHE_HOME/sopkb/templates`, by default `~/.cache/sopkb/templates`), used only while it
is a real folder of this user's that no one else may write: never in the KB's build cache beside
the site, which others may write (a shared drive, a cache restored by CI). Files are named by a
stamp of what compiling depends on besides a template's text (sopkb's code, which sets each
environment's options, and the versions of Python, Jinja, MkDocs and Material), and Jinja checks
each against its template's text, so an edited template or an upgrade compiles again; files of
other stamps are removed. Where no such folder can be had, templates are compiled every time.
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
import sys
from contextlib import suppress
from importlib import metadata
from pathlib import Path

from jinja2 import BytecodeCache, FileSystemBytecodeCache

from .render_cache import code_stamp


@functools.cache
def compiled_templates(kind: str) -> BytecodeCache | None:
    """The cache for one kind of environment (`pages`: sopkb's; `theme`: MkDocs'), or None."""
    folder = _own_folder()
    if folder is None:
        return None
    _forget_other_versions(folder, kind, _stamp())
    return FileSystemBytecodeCache(str(folder), pattern=f"__sopkb-{kind}-{_stamp()}-%s.cache")


def _own_folder() -> Path | None:
    """The cache folder, made if need be, if no other user can put anything in it: it and the
    `sopkb` folder above it are this user's own real folders that neither group nor others may
    write, and every folder above those (links resolved) belongs to this user or root and is
    writable by no one else, or only as /tmp is (sticky: no one can rename away what is not
    theirs). Checked once per process: no other user can change any of that afterwards."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    try:
        root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
        root.mkdir(mode=0o700, parents=True, exist_ok=True)  # as the XDG spec asks
        root = root.resolve()
        for above in (*reversed(root.parents), root):
            if not _safe(os.lstat(above), ours=False):
                return None
        folder = root
        for name in ("sopkb", "templates"):
            folder = folder / name
            with suppress(FileExistsError):
                os.mkdir(folder, 0o700)  # never through a link: a link there is refused below
            if not _safe(os.lstat(folder), ours=True):
                return None
    except (OSError, RuntimeError):  # RuntimeError: no home folder to be found
        return None
    return folder


def _safe(found: os.stat_result, *, ours: bool) -> bool:
    if not stat.S_ISDIR(found.st_mode):
        return False
    if found.st_uid != os.getuid() and (ours or found.st_uid != 0):
        return False
    others_write = found.st_mode & 0o022
    return not others_write or (not ours and bool(found.st_mode & stat.S_ISVTX))


def _forget_other_versions(folder: Path, kind: str, stamp: str) -> None:
    """One version's worth is kept: a checkout edited a hundred times leaves no hundred copies."""
    with suppress(OSError):
        for entry in os.scandir(folder):
            ours = entry.name.startswith(f"__sopkb-{kind}-")
            if ours and not entry.name.startswith(f"__sopkb-{kind}-{stamp}-"):
                with suppress(OSError):
                    os.unlink(entry.path)


@functools.cache
def _stamp() -> str:
    digest = hashlib.sha256(f"{code_stamp()}\0{sys.version_info[:2]}".encode())
    for package in ("mkdocs", "mkdocs-material"):
        with suppress(metadata.PackageNotFoundError):
            digest.update(f"\0{package}={metadata.version(package)}".encode())
    return digest.hexdigest()[:24]
