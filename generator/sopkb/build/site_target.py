"""Where a build may publish: a site folder sopkb made, or an empty one, never anything else.

Publishing replaces the whole folder. Pointed by a typo at the KB itself, a source folder, their
parent or someone's home folder (`--site-dir .`, `site_dir: sops`, `--site-dir /var/www` meant as
`/var/www/sops`), it would delete them. So a build checks its target before anything is written:
it must not hold or be inside the KB's sources, and if it has files, they must be a site sopkb
built (recognised by the marker file every build leaves at the top of the site).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..core.errors import ProjectError
from ..domain.project import Project
from ..domain.urls import ASSETS_DIR, SEARCH_INDEX_DIR
from .site_swap import FILE_SYSTEMS_OWN, Layout

MARKER = ".sopkb-site"
MARKER_TEXT = "This folder is a site built by sopkb. `sopkb build` replaces everything in it.\n"
TREE_MARKER = ".sopkb-docs-tree"  # what `sopkb generate` leaves in the docs tree it writes


def check_target(target: Path, project: Project, *, marker: str = MARKER, what: str = "build") -> None:
    """Refuse, in one sentence, a target whose replacement would lose anything but an old site
    (or, for `generate`, an old docs tree: the folder holding `marker`)."""
    made = "a site sopkb built" if marker == MARKER else "a docs tree sopkb generated"
    for name, folder in {"the KB folder": project.root, **project.folders()}.items():
        folder = folder.resolve()
        if target == folder or folder.is_relative_to(target):
            raise ProjectError(
                f"cannot {what} into {target}: it is or holds {name}, which a {what} would replace"
            )
        if name != "the KB folder" and target.is_relative_to(folder):
            raise ProjectError(
                f"cannot {what} into {target}: it is inside {name}; choose a folder outside it"
            )
    if target.is_dir() and not is_built_site(target, marker) and _has_content(target, what):
        raise ProjectError(
            f"cannot {what} into {target}: it holds files that are not {made}, and a {what} "
            "replaces everything in it; choose an empty or new folder (or empty this one first)"
        )


def is_built_site(folder: Path, marker: str = MARKER) -> bool:
    """A site sopkb built: its marker, or (built before the marker existed) its own folders."""
    if (folder / marker).is_file():
        return True
    if marker != MARKER:
        return False
    return (folder / SEARCH_INDEX_DIR / "manifest.json").is_file() and (folder / ASSETS_DIR).is_dir()


def mark(site: Path) -> None:
    (site / MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def _has_content(folder: Path, what: str = "build") -> bool:
    """Anything but a mount point's own entries and sopkb's staging and lock (see `Layout.ours`)."""
    layout = Layout(folder, in_place=True)
    try:
        names = os.listdir(folder)
    except OSError as exc:  # unreadable: never assume it is empty
        raise ProjectError(
            f"cannot {what} into {folder}: cannot see what it holds ({exc.strerror})"
        ) from None
    return any(n not in FILE_SYSTEMS_OWN and not layout.ours(n) for n in names)
