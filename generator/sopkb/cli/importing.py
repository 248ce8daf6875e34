"""What `sopkb import` needs from the KB and the terminal: where drafts go, the SOPs already in
the KB (for links and free ids), the `$schema` path, and a progress bar on a terminal."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path

from ..core.console import Progress, one_line
from ..core.errors import ProjectError
from ..domain.project import Project
from ..importing.fields import KnownSop
from ..importing.run import Target
from ..importing.step_draft import slug
from ..loading.yaml_reader import read_yaml

DEFAULT_CATEGORY = "Imported"


def target_of(project: Project, args: argparse.Namespace) -> Target:
    if args.category:
        category = args.category
    elif args.into:
        category = (
            args.into.resolve().name.replace("-", " ").replace("_", " ").capitalize() or DEFAULT_CATEGORY
        )
    else:
        category = DEFAULT_CATEGORY
    if not any(c.isalnum() for c in category):
        raise ProjectError(
            f"--category {one_line(category)!r} has no letter or digit; name the drafts' category,"
            " for example --category Billing"
        )
    into = _inside_sops(project, args.into) if args.into else project.sops_dir / slug(category, words=6)
    known, paths = _known(project)
    return Target(into, category, lambda folder: _schema(project, folder), known, paths, force=args.force)


def _inside_sops(project: Project, into: Path) -> Path:
    """`--into` must name a folder of the KB's SOPs: a draft anywhere else would never be built,
    validated or found again, and `--into ../..` must not write wherever it points."""
    sops = project.sops_dir.resolve()
    folder = into.resolve()
    if folder != sops and sops not in folder.parents:
        raise ProjectError(
            f"--into {one_line(str(into))}: drafts must go inside the KB's SOPs folder"
            f" ({project.display(project.sops_dir)}/), for example --into"
            f" {project.display(project.sops_dir)}/imported"
        )
    if folder.exists() and not folder.is_dir():
        raise ProjectError(f"--into {one_line(str(into))}: is a file, not a folder")
    return into


def _known(project: Project) -> tuple[list[KnownSop], dict[str, Path]]:
    """The KB's SOPs as far as they can be read: a broken one does not stop an import."""
    known: list[KnownSop] = []
    paths: dict[str, Path] = {}
    for path in project.scan_sources(project.sops_dir).files:
        doc, _ = read_yaml(path, project.display(path))
        data = doc.data if doc is not None else None
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            paths.setdefault(data["id"], path)
            if isinstance(data.get("title"), str):
                known.append(KnownSop(data["id"], data["title"]))
    return known, paths


def _schema(project: Project, folder: Path) -> str:
    candidates = [
        project.root / "schemas" / "sop.schema.json",
        project.root / "generator/sopkb/schemas/sop.schema.json",
    ]
    schema = next((c for c in candidates if c.is_file()), candidates[0])
    try:
        return Path(os.path.relpath(schema, folder.resolve())).as_posix()
    except ValueError:
        return schema.as_posix()


def progress(total: int, folders: bool) -> Callable[[int, str], None]:
    """A one-line bar on stderr while importing folders on a terminal; silent otherwise.
    `show(0, "")` clears it."""
    bar = Progress(folders and total > 1 and Progress.on_terminal().enabled)

    def show(n: int, name: str) -> None:
        if n == 0:
            bar.done()
        else:
            bar.show("Importing", n, total, name)

    return show
