"""Writing the files a command produces (roster, export, schema) without leaving half of one.

Each file is written beside its target and renamed over it, so a full disk or a killed run never
replaces a good file with a partial one. Any failure of the file system becomes one sentence
naming the path and the reason (`ProjectError`), never a traceback.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from ..core.errors import ProjectError
from ..domain.project import Project


def prepare_folder(folder: Path, what: str) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise ProjectError(f"cannot write {what} to {folder}: it exists and is not a folder") from None
    except OSError as exc:
        raise ProjectError(f"cannot write {what} to {folder}: {reason(exc)}") from None


def write_atomically(path: Path, data: str | bytes, what: str) -> None:
    """`what` names the file for the message: "the roster", "the export"."""
    if path.is_dir():
        raise ProjectError(f"cannot write {what} to {path}: it is a folder; give a file name")
    prepare_folder(path.parent, what)
    partial: Path | None = None
    try:
        # a new file of a random name, created, never opened through a link someone planted
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
        partial = Path(name)
        os.fchmod(fd, 0o666 & ~_umask())  # as any file the user writes, not mkstemp's 0600
        with os.fdopen(fd, "wb") as stream:
            stream.write(data.encode("utf-8") if isinstance(data, str) else data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(partial, path)
    except OSError as exc:
        if partial is not None:
            with contextlib.suppress(OSError):
                partial.unlink()
        raise ProjectError(f"cannot write {what} to {path}: {reason(exc)}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def reason(exc: OSError) -> str:
    """The operating system's own words ("No space left on device"), without the path it adds."""
    return exc.strerror or str(exc)


def outside_sources(path: Path, project: Project, what: str) -> Path:
    """An output path that is not in the KB's sources: a typo must not overwrite an SOP with a
    ZIP file, nor put files the next build would read as sources."""
    target = path.resolve()
    for folder in project.folders().values():
        if target.is_relative_to(folder.resolve()):
            raise ProjectError(f"cannot write {what} to {path}: it is in the KB's sources ({folder.name}/)")
    for source in (project.root / "mkdocs.yml", project.synonyms_file):
        if target == source.resolve():
            raise ProjectError(f"cannot write {what} to {path}: it is the KB's {source.name}")
    return path
