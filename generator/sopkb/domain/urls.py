"""The site's URL scheme in one place: where each generated page and data file goes.

Validation reads this to refuse anything that would land on an address already taken (an id,
a tag spelled two ways, a hand-written page in `docs/`), and rendering writes pages where it
says, so the two cannot disagree. Paths are relative to the site root, as MkDocs takes them:
`sops/refund.md` is served at `sops/refund/`.
"""

from __future__ import annotations

import functools
import re
import unicodedata

LISTING_PAGE_SIZE = 100
"""SOPs per tag or category page, quizzes per quiz-list page, changes per What's new page (and in
its feed): no page grows with the KB."""

SOPS_DIR = "sops"
QUIZZES_DIR = "quizzes"
LEARNING_PATHS_DIR = "paths"
TAGS_DIR = "tags"
CATEGORIES_DIR = "categories"
WHATS_NEW_DIR = "whats-new"

HOME = "index.md"
REVIEW = "review.md"
TAG_INDEX = f"{TAGS_DIR}/index.md"
QUIZ_INDEX = f"{QUIZZES_DIR}/index.md"
LEARNING_PATH_INDEX = f"{LEARNING_PATHS_DIR}/index.md"
WHATS_NEW = f"{WHATS_NEW_DIR}/index.md"
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
    LEARNING_PATH_INDEX: "list of all learning paths",
    WHATS_NEW: "What's new page",
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
FEED = "feed.xml"
"""The Atom feed of What's new, at the site's root."""


def slugify(text: str) -> str:
    """`_slug`, remembered for names of a usual length: every source names its tags and category,
    and the checks and pages ask for each address tens of thousands of times at 10,000 SOPs."""
    return _remembered_slug(text) if len(text) <= 200 else _slug(text)


def _slug(text: str) -> str:
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


_remembered_slug = functools.lru_cache(maxsize=4096)(_slug)


def sop_page(sop_id: str) -> str:
    return f"{SOPS_DIR}/{sop_id}.md"


def quiz_page(quiz_id: str) -> str:
    return f"{QUIZZES_DIR}/{quiz_id}.md"


def learning_path_page(learning_path_id: str) -> str:
    return f"{LEARNING_PATHS_DIR}/{learning_path_id}.md"


def listing_page(folder: str, slug: str, number: int = 1) -> str:
    """Page `number` of a tag's or category's SOPs (`folder` is `tags` or `categories`)."""
    return f"{folder}/{slug}.md" if number == 1 else f"{folder}/{slug}-page-{number}.md"


REVIEW_DIR = "review"
REVIEW_SECTIONS = {
    "reconstructed": "Reconstructed or doubtful points",
    "not-approved": "Drafts and SOPs marked needs-review",
    "overdue": "Past their review date",
    "unknown-metadata": "Owner, version or dates unknown",
}
"""The sections of the Needs review page, by the address of each one's whole list."""


def review_list_page(section: str, number: int = 1) -> str:
    """Page `number` of one section of Needs review, all of its SOPs (the page shows the first few)."""
    return listing_page(REVIEW_DIR, section, number)


def category_page(name: str, number: int = 1) -> str:
    return listing_page(CATEGORIES_DIR, slugify(name), number)


def tag_page(name: str, number: int = 1) -> str:
    return listing_page(TAGS_DIR, slugify(name), number)


def quiz_listing_page(number: int) -> str:
    return QUIZ_INDEX if number == 1 else f"{QUIZZES_DIR}/page-{number}.md"


def whats_new_page(number: int) -> str:
    return WHATS_NEW if number == 1 else f"{WHATS_NEW_DIR}/page-{number}.md"


def quiz_data_file(quiz_id: str) -> str:
    return f"{LEARNING_DATA_DIR}/quiz/{quiz_id}.json"


def learning_path_data_file(learning_path_id: str) -> str:
    return f"{LEARNING_DATA_DIR}/path/{learning_path_id}.json"


def sop_data_file(sop_id: str) -> str:
    """An SOP's current version and, for each earlier one, what changed since (read-and-sign and
    *My learning* fetch it)."""
    return f"{LEARNING_DATA_DIR}/sop/{sop_id}.json"


_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9.]+")


def sop_changes_file(sop_id: str, version: str) -> str:
    """What changed in an SOP from each of its earlier versions to the current one (`version`,
    any text, named so a static host serves it as it is: letters, digits and dots kept, anything
    else one hyphen), in one file. A new version is a new name, so a browser's cache cannot hand
    back the changes to another version."""
    name = _UNSAFE_IN_NAME.sub("-", version).strip("-.") or "version"
    return f"{LEARNING_DATA_DIR}/sop/{sop_id}/changes-{name}.json"


def url_of(page: str) -> str:
    """A page's address relative to the site root, as links write it: `sops/refund/`, `tags/`."""
    stem = page[: -len(".md")]
    if stem == "index":
        return ""
    return stem[: -len("index")] if stem.endswith("/index") else f"{stem}/"


def sop_url(sop_id: str) -> str:
    return url_of(sop_page(sop_id))


STEP_ANCHOR = "step-"
"""A step's place on its SOP's page: `#step-<step-id>`."""


def sop_step_url(sop_id: str, step_id: str | None = None) -> str:
    """An SOP's page, or one of its steps on it (`sop:<id>#<step>` in a goto, a call or a link)."""
    return sop_url(sop_id) + (f"#{STEP_ANCHOR}{step_id}" if step_id else "")


def drill_url(sop_id: str) -> str:
    """A drill has no page of its own: it ends its SOP's page."""
    return f"{sop_url(sop_id)}#drill"


def quiz_url(quiz_id: str) -> str:
    return url_of(quiz_page(quiz_id))


def learning_path_url(learning_path_id: str) -> str:
    return url_of(learning_path_page(learning_path_id))


def category_url(name: str, number: int = 1) -> str:
    return url_of(category_page(name, number))


def tag_url(name: str, number: int = 1) -> str:
    return url_of(tag_page(name, number))


def quiz_listing_url(number: int) -> str:
    return url_of(quiz_listing_page(number))


def whats_new_url(number: int = 1) -> str:
    return url_of(whats_new_page(number))


CHANGES_ANCHOR = "what-changed"
"""The "What changed" section of an SOP's page."""


def sop_changes_url(sop_id: str) -> str:
    return f"{sop_url(sop_id)}#{CHANGES_ANCHOR}"


HOME_URL = url_of(HOME)
REVIEW_URL = url_of(REVIEW)
TAGS_URL = url_of(TAG_INDEX)
QUIZZES_URL = url_of(QUIZ_INDEX)
LEARNING_PATHS_URL = url_of(LEARNING_PATH_INDEX)
MY_LEARNING_URL = url_of(MY_LEARNING)
ASSIGN_URL = url_of(ASSIGN)
ASSIGNMENT_URL = url_of(ASSIGNMENT)
CERTIFICATE_URL = url_of(CERTIFICATE)
WHATS_NEW_URL = url_of(WHATS_NEW)


def browser_urls() -> dict[str, str]:
    """Addresses the learning pages hand their scripts (as data attributes), relative to the site
    root: the scripts never spell one. A pattern's `{id}` is filled in by the script with an id it
    was given (a link's learning path or quizzes, a signed SOP)."""
    return {
        "catalog": CATALOG,
        "quiz_data": quiz_data_file("{id}"),
        "path_data": learning_path_data_file("{id}"),
        "assignment": ASSIGNMENT_URL,
        "certificate": CERTIFICATE_URL,
        "sop": sop_url("{id}"),
        "sop_data": sop_data_file("{id}"),
    }


NOT_IN_NAV = [
    f"/{SOPS_DIR}/",
    f"/{TAGS_DIR}/*/",
    f"/{TAGS_DIR}/*.md",
    f"!/{TAG_INDEX}",
    f"/{CATEGORIES_DIR}/*-page-*",
    f"/{QUIZZES_DIR}/*.md",
    f"!/{QUIZ_INDEX}",
    f"/{LEARNING_PATHS_DIR}/*.md",
    f"!/{LEARNING_PATH_INDEX}",
    f"/{WHATS_NEW_DIR}/page-*",
    f"/{REVIEW_DIR}/*.md",
    f"/{ASSIGNMENT}",
    f"/{CERTIFICATE}",
]
"""Generated pages reached by links, not the navigation (gitignore patterns, as MkDocs takes them)."""
