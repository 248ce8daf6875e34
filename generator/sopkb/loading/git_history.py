"""A KB's git history in one walk: every commit that changed a source, and the files' contents.

Three git processes whatever the size of the KB: `rev-parse` (is this a work tree, and where is
its top), one `log` over the source folders (first-parent, so the history is the one the main
line saw, a merge counting as one change), and `cat-file --batch` for as many blobs as asked at
once. Outside git, without git installed, or when git refuses the folder, there is no history and
nothing is reported: history is an extra, never a reason for a build to fail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

_NO_BLOB = "0" * 40
_ENV = {"LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat"}


@dataclass(frozen=True)
class Commit:
    sha: str
    date: dt.date  # the author's date, in the author's own time zone
    subject: str
    merge: bool  # a merge's subject ("Merge branch …") says nothing about the change
    order: int  # 0 for the newest commit of the walk (first-parent order), counting back


@dataclass(frozen=True)
class Revision:
    """One file as one commit left it; `blob` is None where the commit deleted it."""

    commit: Commit
    path: str  # from the repository's top, as git writes it (`GitLog.file` makes it a Path)
    blob: str | None


@dataclass
class GitLog:
    top: Path
    revisions: list[Revision] = field(default_factory=list)  # newest first
    git_dir: Path | None = None  # the repository's own folder (`.git`, shared by its work trees)
    shallow: bool = False  # a shallow clone: the history stops where the clone's depth did

    def file(self, path: str) -> Path:
        return self.top / path

    def inside(self, folder: Path) -> str:
        """`folder` as the start of the paths of the files in it ("sops/")."""
        return os.path.relpath(folder, self.top).replace(os.sep, "/").rstrip("/") + "/"

    def by_path(self) -> dict[str, list[Revision]]:
        """Each file's revisions, newest first."""
        out: dict[Path, list[Revision]] = {}
        for revision in self.revisions:
            out.setdefault(revision.path, []).append(revision)
        return out

    def blobs(self, shas: Iterable[str]) -> Iterator[tuple[str, bytes]]:
        """Each blob's content, in the order asked, from one `git cat-file --batch` (blobs git
        no longer has are left out)."""
        wanted = list(dict.fromkeys(shas))
        if not wanted:
            return
        yield from _cat_file(self.top, wanted)


def blob_sha(content: bytes) -> str:
    """The id git gives a file's content: a file whose id equals a commit's blob is unchanged."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content, usedforsecurity=False).hexdigest()


def read_git_log(root: Path, folders: Iterable[Path]) -> GitLog | None:
    """The commits that changed anything in `folders` (inside the work tree `root` is in)."""
    found = _git(root, ["rev-parse", "--show-toplevel", "--git-common-dir", "--is-shallow-repository"])
    if found is None:
        return None
    lines = found.rstrip(b"\n").split(b"\n")
    top_dir = Path(os.fsdecode(lines[0])).resolve()
    git_dir = (root / os.fsdecode(lines[1])).resolve() if len(lines) > 1 else None
    shallow = len(lines) > 2 and lines[2].strip() == b"true"
    specs = [os.path.relpath(folder, root) for folder in folders if folder.is_dir()]
    if not specs:
        return GitLog(top_dir, git_dir=git_dir, shallow=shallow)
    raw = _git(
        root,
        [
            "-c", "log.showSignature=false", "log", "--first-parent", "--diff-merges=first-parent",
            "--raw", "--no-renames", "--no-abbrev", "-z", "--no-color",
            "--format=%x01%H%x00%ad%x00%P%x00%s", "--date=short",
            "--", *specs,
        ],
    )  # fmt: skip
    if raw is None:  # no commit yet, or a history git cannot read: the KB builds without it
        return GitLog(top_dir, git_dir=git_dir, shallow=shallow)
    return GitLog(top_dir, list(parse_log(raw)), git_dir, shallow)


def head_files(root: Path) -> list[Path]:
    """The files git changes when the work tree's HEAD moves (a commit, a checkout, a reset): its
    `HEAD` and that HEAD's log, so `sopkb serve` shows a commit's history without waiting for a
    save. Nothing outside git."""
    found = _git(root, ["rev-parse", "--absolute-git-dir"])
    if found is None:
        return []
    git_dir = Path(os.fsdecode(found.rstrip(b"\n")))
    return [git_dir / "HEAD", git_dir / "logs" / "HEAD"]


def in_git_without_git(root: Path) -> bool:
    """Whether `root` is in a git work tree (a `.git` here or above) that no `git` on the PATH can
    read: its history would silently be missing from the site."""
    if shutil.which("git") is not None:
        return False
    return any((folder / ".git").exists() for folder in (root.resolve(), *root.resolve().parents))


def commits_since(root: Path, revision: str) -> set[str] | None:
    """The commits after `revision` on the main line to HEAD (`git rev-list --first-parent
    REV..HEAD`); None when git does not know `revision` (or there is no git)."""
    if revision.startswith("-"):
        return None  # never an option in disguise
    known = _git(root, ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"])
    if known is None:
        return None
    listed = _git(root, ["rev-list", "--first-parent", f"{known.decode('ascii').strip()}..HEAD"])
    return set(listed.decode("ascii").split()) if listed is not None else None


def parse_log(raw: bytes) -> Iterator[Revision]:
    """`git log -z --raw --format=%x01%H%x00%ad%x00%P%x00%s` read field by field: each commit's
    four header fields, then `:modes blobs status` and a path per changed file."""
    tokens = raw.split(b"\0")
    commit: Commit | None = None
    order = -1
    at = 0
    while at < len(tokens):
        token = tokens[at].lstrip(b"\n")
        if token.startswith(b"\x01"):
            if at + 3 >= len(tokens):
                return
            order += 1
            sha, date, parents, subject = token[1:].decode("ascii"), *tokens[at + 1 : at + 4]
            merge = len(parents.split()) > 1
            commit = Commit(sha, _date(date), _short(subject.decode("utf-8", "replace")), merge, order)
            at += 4
        elif token.startswith(b":") and commit is not None and at + 1 < len(tokens):
            fields = token[1:].decode("ascii").split()
            blob = fields[3] if len(fields) >= 5 and fields[3] != _NO_BLOB else None
            yield Revision(commit, os.fsdecode(tokens[at + 1]), blob)
            at += 2
        else:
            at += 1


SUBJECT_CHARS = 200
"""A commit subject shown as a version's summary is cut here: one pasted log must not make every
page that lists the version (the SOP's, What's new, the feed) grow with it."""


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _short(subject: str) -> str:
    """Cut, and its control characters (an escape code, a bell) shown as U+FFFD, as the feed does:
    they have no place in a page's text."""
    subject = _CONTROL.sub("\ufffd", subject)
    return subject if len(subject) <= SUBJECT_CHARS else subject[: SUBJECT_CHARS - 1].rstrip() + "…"


def _date(value: bytes) -> dt.date:
    try:
        return dt.date.fromisoformat(value.decode("ascii"))
    except ValueError:
        return dt.date.min


def _git(root: Path, args: list[str]) -> bytes | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            env={**os.environ, **_ENV},
            check=False,
        )
    except OSError:  # git is not installed
        return None
    return done.stdout if done.returncode == 0 else None


def _cat_file(top: Path, shas: list[str]) -> Iterator[tuple[str, bytes]]:
    """Streams: a writer thread feeds the ids while this reads the answers, so neither side's pipe
    buffer fills up however many blobs are asked for."""
    try:
        process = subprocess.Popen(
            ["git", "-C", str(top), "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **_ENV},
            bufsize=1 << 20,  # read the answers in big gulps, not a pipe's worth at a time
        )
    except OSError:
        return
    writer = threading.Thread(target=_feed, args=(process.stdin, shas), daemon=True)
    writer.start()
    try:
        yield from _answers(process.stdout.readline, process.stdout.read, len(shas))
    finally:
        writer.join()
        process.stdout.close()
        process.wait()


def _feed(stdin, shas: list[str]) -> None:  # noqa: ANN001 - a binary pipe
    try:
        stdin.write("".join(f"{sha}\n" for sha in shas).encode("ascii"))
        stdin.close()
    except OSError:  # git stopped early; its answers say what it had
        pass


def _answers(
    readline: Callable[[], bytes], read: Callable[[int], bytes], count: int
) -> Iterator[tuple[str, bytes]]:
    for _ in range(count):
        header = readline().split()
        if not header:
            return
        if len(header) == 3 and header[1] == b"blob":
            content = read(int(header[2]))
            read(1)  # the newline after each blob
            yield header[0].decode("ascii"), content
        elif len(header) == 3:  # a tree or commit by that id: skip its content
            read(int(header[2]) + 1)
