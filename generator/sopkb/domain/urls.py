"""The site's URL scheme in one place: where each generated page and data file goes.

Validation reads this to refuse anything that would land on an address already taken (an id,
a tag spelled two ways, a hand-written page in `docs/`), and rendering writes pages where it
says, so the two cannot disagree. Paths are relative to the site root, as MkDocs takes them:
`sops/refund.md` is served at `sops/refund/`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

import material

from ..core.resources import builtin_templates

LISTING_PAGE_SIZE = 100
"""SOPs per tag or category page, and quizzes per quiz-list page: no page grows with the KB."""

HOME = "index.md"
REVIEW = "review.md"
TAG_INDEX = "tags/index.md"
QUIZ_INDEX = "quizzes/index.md"
PATH_INDEX = "paths/index.md"
MY_LEARNING = "learning/index.md"
ASSIGN = "learning/assign.md"
ASSIGNMENT = "learning/assignment.md"
CERTIFICATE = "learning/certificate.md"
LEARNING_PAGES = {
    MY_LEARNING: "My learning page",
    ASSIGN: "Assign work page",
    ASSIGNMENT: "assignment page",
    CERTIFICATE: "certificate page",
}
FIXED_PAGES = {
    HOME: "home page",
    REVIEW: "Needs review page",
    TAG_INDEX: "list of all tags",
    QUIZ_INDEX: "list of all quizzes",
    PATH_INDEX: "list of all learning paths",
    **LEARNING_PAGES,
}
"""Pages every site has, whatever its content, and what authors call them."""

SEARCH_INDEX_DIR = "search-index"
LEARNING_DATA_DIR = "learning/data"
ASSETS_DIR = "assets/sopkb"
GENERATED_DIRS = {
    SEARCH_INDEX_DIR: "the search index",
    LEARNING_DATA_DIR: "the learning pages' data files",
    ASSETS_DIR: "sopkb's scripts and styles",
}
"""Folders sopkb fills with files of its own: nothing hand-written belongs in them."""

CATALOG = f"{LEARNING_DATA_DIR}/catalog.json"

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
_QUIZ_LIST_PAGE = re.compile(r"^page-([0-9]+)$")


def slugify(text: str) -> str:
    """The address of a tag or category: its letters and digits in any script, casefolded.

    Accents are dropped (NFKD, then combining marks removed), so `Café` is `cafe`; every run of
    anything else is one hyphen. Non-Latin names keep their letters, so two Arabic, Chinese or
    Greek tags get pages of their own. A name with no letter or digit gives "" (validation
    refuses it before anything is rendered).
    """
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    out: list[str] = []
    gap = False
    for char in folded:
        kind = unicodedata.category(char)[0]
        if kind == "M":
            continue  # an accent or other combining mark: part of the letter before it
        if kind in "LN":
            if gap and out:
                out.append("-")
            out.append(char)
            gap = False
        else:
            gap = True
    return "".join(out)


def sop_page(sop_id: str) -> str:
    return f"sops/{sop_id}.md"


def quiz_page(quiz_id: str) -> str:
    return f"quizzes/{quiz_id}.md"


def path_page(path_id: str) -> str:
    return f"paths/{path_id}.md"


def listing_page(folder: str, slug: str, number: int = 1) -> str:
    """Page `number` of a tag's or category's SOPs (`folder` is `tags` or `categories`)."""
    return f"{folder}/{slug}.md" if number == 1 else f"{folder}/{slug}-page-{number}.md"


def quiz_listing_page(number: int) -> str:
    return QUIZ_INDEX if number == 1 else f"quizzes/page-{number}.md"


def quiz_data_file(quiz_id: str) -> str:
    return f"{LEARNING_DATA_DIR}/quiz/{quiz_id}.json"


def path_data_file(path_id: str) -> str:
    return f"{LEARNING_DATA_DIR}/path/{path_id}.json"


def url_of(page: str) -> str:
    """A page's address relative to the site root, as links write it: `sops/refund/`, `tags/`."""
    stem = page[: -len(".md")]
    if stem == "index":
        return ""
    return stem[: -len("index")] if stem.endswith("/index") else f"{stem}/"


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
    return bool(_QUIZ_LIST_PAGE.match(quiz_id))


def generated_dir_of(path: str) -> str | None:
    """The sopkb-only folder `path` is in, if any."""
    for folder in GENERATED_DIRS:
        if path == folder or path.startswith(f"{folder}/"):
            return folder
    return None
