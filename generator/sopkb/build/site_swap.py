"""Publish a staged site folder in place of the old one, so readers never see a half-written site.

Normally the staging folder is a sibling of the site folder and one atomic exchange of the two
names swaps it in (Linux's `renameat2`; elsewhere two renames, with a moment between). A site folder
that cannot be renamed (a mount point, or a folder whose parent is not writable) gets its staging
folder inside itself, on its own file system, and its top-level entries are swapped one atomic rename
each, with the old ones put back if any rename fails. Builds of one site take turns on an flock, and
only the lock holder removes what a killed build left behind, so no running build loses its folder.

The old site, once renamed aside, is removed by a process of its own that outlives the build
(`remove_later`): deleting a site of 5,000 files took 0.4 to 1 s of a 4.5 s unchanged rebuild, and
nobody waits on it. Like `bazel clean --async`: for a moment after the build a `.site-old-…` folder
is still there; one a killed remover leaves is removed by the next build.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import logging
import os
import re
import secrets
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateNotFound

from ..core import interrupts
from ..core.console import err
from ..core.errors import ProjectError
from ..core.interrupts import held, raise_if_received

try:
    import fcntl
except ImportError:  # Windows: no flock; builds there run without the lock and keep any leftovers
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger("sopkb")
_THE_DISKS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG}  # about where it writes, not a file read
UNRENAMABLE = {errno.EBUSY, errno.EXDEV, errno.EPERM, errno.EACCES}  # the folder stays; its contents move
FILE_SYSTEMS_OWN = {"lost+found"}  # at the root of an ext4 mount: fsck's, not the site's


@dataclass(frozen=True)
class Layout:
    """Where one site's staging folders and lock live; every build of that site computes the same."""

    target: Path
    in_place: bool  # swap the site folder's contents, because the folder itself cannot be renamed

    @classmethod
    def of(cls, target: Path) -> Layout:
        """Decided before building: staging must be on the file system it is finally renamed within."""
        stuck = target.is_dir() and (os.path.ismount(target) or not os.access(target.parent, os.W_OK))
        return cls(target, stuck)

    @property
    def work_dir(self) -> Path:
        """Staging, old folders and the lock: on the file system they are renamed within."""
        return self.target if self.in_place else self.target.parent

    @property
    def lock_file(self) -> Path:
        return self.work_dir / f".{self.target.name}.build-lock"

    def ours(self, name: str) -> bool:
        """Staging, old and lock entries: never part of the published site, never swapped out. Only
        names exactly as `fresh` makes them: a folder of one's own called `.site-old-mine` is kept."""
        prefix = re.escape(f".{self.target.name}-")
        return (
            bool(re.fullmatch(prefix + r"(?:building|old)-[0-9a-f]{8}", name)) or name == self.lock_file.name
        )

    @property
    def page_cache(self) -> Path | None:
        """Where builds keep pages for the next (`page_cache.py`): beside the site, on its file
        system, so kept pages are hard-linked in; none for a site swapped in place (its folder
        holds nothing but the site)."""
        return None if self.in_place else self.work_dir / f".{self.target.name}-page-cache"

    def fresh(self, kind: str, folder: Path | None = None) -> Path:
        """A new name for a staging or old folder, random so two names never collide."""
        return (folder or self.work_dir) / f".{self.target.name}-{kind}-{secrets.token_hex(4)}"


def site_error(target: Path, exc: OSError, staging: Path | None = None) -> ProjectError:
    """A full disk or a read-only mount is the user's to fix: one sentence, not a traceback.

    While MkDocs builds into `staging`, a failing file outside the site (a source it could not read)
    is named too; everywhere else the site folder is the one to look at.
    """
    reason = exc.strerror or (os.strerror(exc.errno) if exc.errno else str(exc))
    message = f"cannot write the site to {target}: {reason}"
    if staging and exc.filename and exc.errno not in _THE_DISKS:
        file = Path(os.fsdecode(exc.filename))
        if not (file.is_relative_to(target) or file.is_relative_to(staging)):
            message += f" ({file})"
    return ProjectError(message)


@contextmanager
def _reported(target: Path, staging: Path | None = None) -> Iterator[None]:
    """Turn the OSErrors of one step into a `ProjectError` (MkDocs' own exceptions pass through)."""
    try:
        yield
    except TemplateNotFound:  # an OSError too, but a template's mistake (`core.template_errors`)
        raise
    except OSError as exc:
        raise site_error(target, exc, staging) from None


@contextmanager
def staged_site(target: Path) -> Iterator[Path]:
    """An empty folder to build the site in, published as `target` only if the block completes."""
    with _reported(target):
        layout = _prepare(target)
    with build_lock(layout) as locked:
        with _reported(target):
            if locked:
                _remove_leftovers(layout)
            staging = _make_dir(layout.fresh("building"))
        try:
            with _reported(target, staging):  # MkDocs writing to a full disk, or reading a source
                yield staging
            raise_if_received()  # a Ctrl-C Python swallowed (`core/interrupts.py`): nothing published
            with held(), _reported(target):  # published whole; a Ctrl-C meanwhile is raised after
                publish(staging, layout)
                interrupts.published[0] = True
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _prepare(target: Path) -> Layout:
    """Refuse a file where the site goes, before building, so its bytes are never replaced."""
    if target.exists() and not target.is_dir():
        raise OSError(errno.ENOTDIR, os.strerror(errno.ENOTDIR))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file where a parent folder goes
        raise OSError(errno.ENOTDIR, os.strerror(errno.ENOTDIR)) from None
    return Layout.of(target)


def _make_dir(path: Path) -> Path:
    """A plain mkdir, so the umask sets the mode as for any folder (mkdtemp's 0700 gets a 403)."""
    os.mkdir(path)
    return path


@contextmanager
def build_lock(layout: Layout) -> Iterator[bool]:
    """Hold the site's build lock, waiting (and saying so once) while another build holds it."""
    if fcntl is None:
        yield False
        return
    fd = _open_lock(layout)
    with os.fdopen(fd, "r+", encoding="ascii", errors="replace") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = handle.read().strip()
            pid = f" (pid {holder})" if holder.isdigit() else ""
            err(f"sopkb: waiting for another build of {layout.target}{pid} to finish ...")
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.write(f"{os.getpid()}\n")  # for the message of whoever waits for us
        handle.truncate()
        handle.flush()
        yield True  # closing the file releases the lock, even if the block raised


def _open_lock(layout: Layout) -> int:
    """The lock file, never through a link: whoever can write beside the site must not make a
    build (perhaps run as root) truncate another file by planting a link with the lock's name."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(layout.lock_file, flags, 0o666)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ProjectError(
                f"cannot build into {layout.target}: {layout.lock_file} is a link; remove it"
            ) from None
        raise site_error(layout.target, exc) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise ProjectError(
            f"cannot build into {layout.target}: {layout.lock_file} is not a regular file; remove it"
        )
    return fd


def _remove_leftovers(layout: Layout) -> None:
    """Staging and old folders of a killed build, and old sites a remover is still deleting (the
    last build's, just before): called only under the lock, so none is in use. Removed beside this
    build, which would otherwise wait for the last one's deleting."""
    for folder in (layout.target.parent, layout.target):  # a fallback swap stages inside the target
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            continue
        remove_later(*(e for e in entries if layout.ours(e.name) and e.is_dir() and not e.is_symlink()))


def publish(staging: Path, layout: Layout) -> None:
    """Replace the site with the staged one: one rename when the folder can move, else its contents."""
    target = layout.target
    if layout.in_place:
        _swap_contents(staging, layout)
        return
    if not target.exists():
        os.rename(staging, target)
        return
    old = layout.fresh("old")
    try:
        if _exchange(staging, target):  # one step: no moment without a site, even for a SIGKILL
            with contextlib.suppress(OSError):  # else the staging name is removed here, inline
                os.rename(staging, old)
                remove_later(old)
            return
        os.rename(target, old)  # no exchange here: two renames
    except OSError as exc:  # a mount `ismount` cannot see (a bind mount), or no rights on the folder
        if exc.errno not in UNRENAMABLE:
            raise
        _swap_contents(_move_inside(staging, layout), layout)
        return
    try:
        os.rename(staging, target)
    except BaseException:
        os.rename(old, target)  # put the previous site back before reporting the failure
        raise
    remove_later(old)


_AT_FDCWD, _RENAME_EXCHANGE = -100, 2
_NO_EXCHANGE = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}


def _exchange(new: Path, old: Path) -> bool:
    """Swap two folders' names in one atomic step (Linux's `renameat2(RENAME_EXCHANGE)`); False
    where the system or file system has no such call (then two renames do it)."""
    rename = _renameat2()
    if rename is None:
        return False
    if rename(_AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(old), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _NO_EXCHANGE:
        return False
    raise OSError(code, os.strerror(code), str(old))


@functools.cache
def _renameat2():  # noqa: ANN202
    if not sys.platform.startswith("linux"):
        return None
    try:
        rename = ctypes.CDLL(None, use_errno=True).renameat2  # glibc 2.28 and later
    except (OSError, AttributeError):
        return None
    rename.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    rename.restype = ctypes.c_int
    return rename


_REMOVER = """
import os, shutil, sys
if os.fork() == 0:
    try:
        os.nice(10)
    except OSError:
        pass
    for folder in sys.argv[1:]:
        shutil.rmtree(folder, ignore_errors=True)
    os._exit(0)
"""
"""Forks and returns at once: the build waits only for Python to start (about 40 ms), and the
remover is nobody's child to wait for (it is reparented), in a session of its own (a Ctrl-C at
the terminal is the build's, not its). `-I -S`: no environment, no site-packages read."""


def remove_later(*folders: Path) -> None:
    """`folders` removed by a process of their own; here, when one cannot be started."""
    if not folders:
        return
    if not sys.executable:  # an embedded Python: no interpreter to start
        _remove_here(folders)
        return
    try:
        subprocess.run(
            [sys.executable, "-I", "-S", "-c", _REMOVER, *map(str, folders)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            check=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        _remove_here(folders)


def _remove_here(folders: tuple[Path, ...]) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def _move_inside(staging: Path, layout: Layout) -> Path:
    """Staging moved into the target, where per-entry renames work; copied if it is another file system."""
    inside = layout.fresh("building", layout.target)
    try:
        os.rename(staging, inside)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        shutil.copytree(staging, inside, symlinks=True)
    return inside


def _swap_contents(staging: Path, layout: Layout) -> None:
    """Each new top-level entry exchanged with the old one of its name (or moved in), then the old
    entries the new site has not moved aside and deleted; undone on any failure.

    Each step is atomic (one file system), and an entry the new site also has is never missing,
    not even for a build killed midway (SIGKILL): readers see its old or its new version, and the
    site's marker is always there for the next build. Where the system has no exchange, the old
    entry is moved aside just before the new one moves in.
    """
    target = layout.target
    old = _make_dir(layout.fresh("old", target))
    exchanged: list[str] = []
    moved_out: list[str] = []
    moved_in: list[str] = []
    try:
        new = sorted(os.listdir(staging))
        for name in new:
            if os.path.lexists(target / name):
                if _exchange(staging / name, target / name):  # the old entry is in staging now
                    exchanged.append(name)
                    continue
                os.rename(target / name, old / name)
                moved_out.append(name)
            os.rename(staging / name, target / name)
            moved_in.append(name)
        kept = set(new) | FILE_SYSTEMS_OWN
        for name in sorted(n for n in os.listdir(target) if not (layout.ours(n) or n in kept)):
            os.rename(target / name, old / name)
            moved_out.append(name)
    except BaseException:
        _move_back(moved_in, target, staging)
        for name in reversed(exchanged):
            _exchange_back(staging, target, name)
        if _move_back(moved_out, old, target):
            old.rmdir()
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)


def _exchange_back(staging: Path, target: Path, name: str) -> None:
    try:
        _exchange(staging / name, target / name)
    except OSError as exc:
        log.warning("could not put back %s: %s (it is in %s)", target / name, exc.strerror, staging)


def _move_back(names: list[str], source: Path, destination: Path) -> bool:
    """Undo renames, newest first, carrying on past a failure so as much as possible is restored."""
    restored = True
    for name in reversed(names):
        try:
            os.rename(source / name, destination / name)
        except OSError as exc:
            log.warning("could not put back %s: %s (it is in %s)", destination / name, exc.strerror, source)
            restored = False
    return restored
