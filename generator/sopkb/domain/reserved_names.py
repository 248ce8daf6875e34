"""Names and addresses the site keeps for itself, which no source may take: the theme's own
files, the numbered pages of long listings, sopkb's generated folders, the listing pages' `index`.

Validation (`validation/collisions.py`) asks this before anything is rendered, so an SOP, a tag or
a hand-written page of `docs/` that would land on one is refused with its line, never silently
overwritten or overwriting.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import material

from ..core.resources import builtin_templates
from .urls import GENERATED_DIRS

THEME_PAGES = {"404.html": "page-not-found page", "sitemap.xml": "sitemap", "sitemap.xml.gz": "sitemap"}
"""Files MkDocs writes from the theme after the hand-written ones: a `docs/` file there is lost."""


@cache
def theme_assets() -> frozenset[str]:
    """The theme's own scripts and styles (Material's and sopkb's), by site path: a `docs/` file of
    the same path would silently replace one on every page. (Images are left alone: replacing the
    favicon that way is harmless and common.)"""
    roots = [Path(material.__file__).parent / "templates", builtin_templates() / "theme"]
    return frozenset(
        path.relative_to(root).as_posix()
        for root in roots
        for path in (root / "assets").rglob("*")
        if path.is_file() and path.suffix in (".js", ".css", ".map", ".json")
    )


MAX_NAME_BYTES = 200
"""A tag's or category's address as one file name: most file systems allow 255 bytes, and a long
listing adds `-page-<n>.md` (or `/index.html`) to it."""

RESERVED_ID = "index"
"""No SOP, quiz or path is called `index`: that name is each folder's listing page."""

MARKDOWN_SUFFIXES = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")  # what MkDocs reads as pages

_LATER_PAGE = re.compile(r"-page-([0-9]+)$")
_LIST_PAGE = re.compile(r"^page-([0-9]+)$")


def page_url_of_source(path: str) -> str | None:
    """The address MkDocs serves a file of `docs/` at (directory URLs), or None when the file is
    not served as a page: `about.md` and `about/index.md` and `about/README.md` are all `about/`,
    and so is a static `about/index.html`."""
    folder, _, name = path.rpartition("/")
    prefix = f"{folder}/" if folder else ""
    stem, dot, suffix = name.rpartition(".")
    if dot and f".{suffix}" in MARKDOWN_SUFFIXES:
        return prefix if stem in ("index", "README") else f"{prefix}{stem}/"
    return prefix if name == "index.html" else None


def later_page_number(slug: str) -> int | None:
    """2 for `refund-page-2`: such names are kept for the later pages of long listings."""
    match = _LATER_PAGE.search(slug)
    return int(match.group(1)) if match else None


def is_quiz_list_page(quiz_id: str) -> bool:
    """`page-2` and the like are kept for the pages of the list of all quizzes."""
    return bool(_LIST_PAGE.match(quiz_id))


def is_list_page(name: str) -> bool:
    """`page-2` and the like: the later pages of a folder's list (quizzes, What's new)."""
    return bool(_LIST_PAGE.match(name))


def generated_dir_of(path: str) -> str | None:
    """The sopkb-only folder `path` is in, if any."""
    for folder in GENERATED_DIRS:
        if path == folder or path.startswith(f"{folder}/"):
            return folder
    return None
