"""Which files in a source folder are sources: walked by hand, so that links and odd files are judged.

`Path.rglob` would follow a link to anywhere (a link in `sops/` to a file outside the KB would
be read, and its content quoted in error messages), list a named pipe called `x.yaml` (opening
it blocks the build forever) and a broken link without a word. Here every entry is looked at:

- links whose target is inside the KB folder (or inside the source folder's own target, when
  the source folder is itself a link, say to a shared drive) are followed; each folder once, so
  loops of folder links end, and each file is read once however many ways lead to it;
- a link whose target is outside is refused, located at the link itself; the target is never
  named, since a problem report may be pasted into a ticket or shown on a preview page;
- a `*.yaml` that is not a regular file (a broken link, a pipe, a socket, a device) is refused
  without being opened.

The walk is a loop over a stack, not recursion, so no depth of folders can exhaust the stack.
"""

from __future__ import annotations

import errno
import os
import stat
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import Problem

SOURCE_SUFFIXES = (".yaml", ".yml")


@dataclass
class SourceFiles:
    """The files to read, in path order, and the problems met on the way."""

    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    through_links: frozenset[Path] = frozenset()  # of `files`, those reached through a link


def walk_sources(
    folder: Path,
    kb_root: Path,
    display: Callable[[Path], str],
    suffixes: tuple[str, ...] | None = SOURCE_SUFFIXES,
) -> SourceFiles:
    """`display` turns a path into the text authors see in messages (`Project.display`).
    `suffixes=None` takes every file but hidden ones, as MkDocs takes `docs/`: the same rules
    then keep a hand-written page's folder from publishing a link to `/etc` or reading a pipe."""
    if not folder.is_dir():
        return SourceFiles()
    return _Walk(folder, kb_root, display, suffixes).run()


def single_source(path: Path, kb_root: Path, display: Callable[[Path], str]) -> SourceFiles:
    """An optional source at a fixed place (`synonyms.yaml`), by the rules of a folder's sources:
    a link to outside the KB, a broken link, a folder, a pipe or a device is refused unopened."""
    if not os.path.lexists(path):
        return SourceFiles()

    def refused(message: str) -> SourceFiles:
        return SourceFiles([], [Problem(display(path), 1, 1, message)])

    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return refused(_not_regular(_broken(exc)))
    real, root = os.path.realpath(path), os.path.realpath(kb_root)
    if os.path.islink(path) and os.path.commonpath([real, root]) != root:
        return refused(_OUTSIDE["folder" if stat.S_ISDIR(mode) else "file"])
    if not stat.S_ISREG(mode):
        return refused(_not_regular(_kind(mode)))
    return SourceFiles([path], [])


class _Walk:
    """Folders reached without a link are walked first, so a file reached both directly and through
    a link is known by its own path; then the folders reached through links, each once."""

    def __init__(
        self, folder: Path, kb_root: Path, display: Callable[[Path], str], suffixes: tuple[str, ...] | None
    ):
        self.display = display
        self.suffixes = suffixes
        real_folder = os.path.realpath(folder)
        self.allowed = (os.path.realpath(kb_root), real_folder)
        self.visited = {real_folder}
        self.direct: list[tuple[Path, str]] = [(folder, real_folder)]  # (path as walked, real path)
        self.linked: deque[tuple[Path, str]] = deque()
        self.found: dict[str, tuple[bool, Path]] = {}  # real file -> (reached through a link, path)
        self.problems: list[Problem] = []

    def run(self) -> SourceFiles:
        while self.direct or self.linked:
            if self.direct:
                self._folder(*self.direct.pop(), through_link=False)
                continue
            path, real = self.linked.popleft()
            if real not in self.visited:  # judged only now: a folder reached directly is walked as such
                self.visited.add(real)
                self._folder(path, real, through_link=True)
        files = sorted(path for _, path in self.found.values())
        linked = frozenset(path for through_link, path in self.found.values() if through_link)
        return SourceFiles(files, self.problems, linked)

    def _problem(self, path: Path, message: str) -> None:
        self.problems.append(Problem(self.display(path), 1, 1, message))

    def _folder(self, path: Path, real: str, *, through_link: bool) -> None:
        try:
            with os.scandir(path) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            self._problem(path, f"cannot read this folder: {exc.strerror}")
            return
        subfolders = []
        for entry in entries:
            entry_path = path / entry.name
            if self.suffixes is None and entry.name.startswith("."):
                continue  # MkDocs skips hidden files and folders
            try:
                if entry.is_symlink():
                    self._link(entry_path)
                elif entry.is_dir(follow_symlinks=False):
                    subfolders.append((entry_path, os.path.join(real, entry.name)))
                elif self._wanted(entry_path):
                    mode = entry.stat(follow_symlinks=False).st_mode
                    self._file(entry_path, os.path.join(real, entry.name), mode, through_link)
            except OSError as exc:  # removed or made unreadable while we looked
                self._problem(entry_path, f"cannot read this entry: {exc.strerror}")
        if through_link:
            self.linked.extend(subfolders)
        else:
            self.visited.update(real for _, real in subfolders)
            self.direct.extend(reversed(subfolders))  # popped in name order

    def _wanted(self, path: Path) -> bool:
        return self.suffixes is None or path.suffix in self.suffixes

    def _link(self, path: Path) -> None:
        is_source = self._wanted(path)
        try:
            mode = os.stat(path).st_mode
        except OSError as exc:
            if is_source:  # a broken link in place of a folder cannot be told from any other broken link
                self._problem(path, _not_regular(_broken(exc)))
            return
        real = os.path.realpath(path)
        is_folder = stat.S_ISDIR(mode)
        if not (is_folder or is_source):
            return  # not a source, wherever it leads
        if not self._inside(real):
            what = "folder" if is_folder else "file"
            self._problem(path, _OUTSIDE[what])
        elif is_folder:
            self.linked.append((path, real))
        else:
            self._file(path, real, mode, True)

    def _file(self, path: Path, real: str, mode: int, through_link: bool) -> None:
        if not stat.S_ISREG(mode):
            self._problem(path, _not_regular(_kind(mode)))
            return
        known = self.found.get(real)
        if known is None or _preference(through_link, path) < _preference(*known):
            self.found[real] = (through_link, path)

    def _inside(self, real: str) -> bool:
        return any(os.path.commonpath([real, allowed]) == allowed for allowed in self.allowed)


def _preference(through_link: bool, path: Path) -> tuple[bool, int, str]:
    """Of the ways to one file, its own path first, then the shortest: the name authors expect."""
    return through_link, len(path.parts), str(path)


_OUTSIDE = {
    "file": "a link to a file outside the KB folder is not read; copy the file into the KB instead",
    "folder": "a link to a folder outside the KB folder is not followed; move the folder into the KB, "
    "or make the source folder itself the link",
}


def _not_regular(kind: str) -> str:
    return f"is not a regular file ({kind}), so it is not read"


def _broken(exc: OSError) -> str:
    return "a link that leads round in a loop" if exc.errno == errno.ELOOP else "a broken link"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a file"
