"""Nothing may land on an address another page already has: MkDocs would keep one page silently.

Three ways to collide, each reported where the author can fix it:

- an id that names a listing page (`index`, and `page-<n>` among quizzes);
- tags or categories spelled differently (`a/b`, `a-b`, `A B`) whose names make one address,
  or whose address is kept for listing pages (`index`, `…-page-<n>`), or that have no letter
  or digit to make an address from;
- a hand-written file in the KB's `docs/` folder at a generated page's address, over a file the
  theme writes, or inside a folder that sopkb fills (search index, learning data, its own assets).

`docs/` is also held to the sources' rules (no link out of the KB, no pipe or device) and may
not publish files that run script when opened, since MkDocs copies it as it finds it.

Addresses come from `sopkb.domain.urls`, the same scheme rendering follows.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import Problem
from ..core.key_path import KeyPath
from ..domain import reserved_names, urls
from ..domain.quiz_identity import drill_id
from ..loading.document import Document
from ..loading.source_files import walk_sources
from . import once_per_document
from .schema import shown

if TYPE_CHECKING:
    from ..domain.project import Project
    from .learning_paths import LoadedLearningPath
    from .quizzes import LoadedQuiz
    from .references import LoadedSop

NAME_FOLDERS = {"tag": "tags", "category": "categories"}


def check_addresses(
    project: Project, sops: list[LoadedSop], quizzes: list[LoadedQuiz], paths: list[LoadedLearningPath]
) -> list[Problem]:
    """Every collision, once each, located at the later or hand-written side."""
    problems = _reserved_ids(sops, quizzes, paths)
    names = {kind: _NameCheck(kind) for kind in NAME_FOLDERS}
    for item in sops:
        for key_path, kind, name in _names_in(item):
            problems += names[kind].check(item.doc, key_path, name)
    generated = _GeneratedPages(sops, quizzes, paths, {kind: check.first for kind, check in names.items()})
    return problems + _docs_collisions(project, generated)


# Ids ----------------------------------------------------------------------------------------


def _reserved_ids(
    sops: list[LoadedSop], quizzes: list[LoadedQuiz], paths: list[LoadedLearningPath]
) -> list[Problem]:
    problems = []
    for kind, page_of, items in (
        ("SOP", urls.sop_page, [(s.sop.id, s.doc) for s in sops]),
        ("quiz", urls.quiz_page, [(q.quiz.id, q.doc) for q in quizzes]),
        ("path", urls.learning_path_page, [(p.learning_path.id, p.doc) for p in paths]),
    ):
        for item_id, doc in items:
            what = _listing_at(kind, item_id)
            if what is not None:
                url = urls.url_of(page_of(item_id))
                problems.append(
                    doc.problem(
                        ("id",),
                        f"the id {item_id!r} is kept for listing pages: its page would be {url}, "
                        f"{what}; choose another {kind} id",
                    )
                )
    return problems


def _listing_at(kind: str, item_id: str) -> str | None:
    """What listing page an item with this id would displace, if any."""
    if item_id == reserved_names.RESERVED_ID:
        return {
            "SOP": "the address of the folder of every SOP page",
            "quiz": "the list of all quizzes",
            "path": "the list of all learning paths",
        }[kind]
    if kind == "quiz" and reserved_names.is_quiz_list_page(item_id):
        return "a page of the list of all quizzes"
    return None


# Tags and categories ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Spelling:
    name: str
    doc: Document  # where it is first used: located only when another spelling is reported
    key_path: KeyPath

    @property
    def where(self) -> str:
        line, column = self.doc.locate(self.key_path)
        return f"{self.doc.file}:{line}:{column}"


class _NameCheck:
    """Tags (or categories) in the order the sources are read: the first spelling of an address
    is the one others are compared with; each problem is reported once, at its first use."""

    def __init__(self, kind: str):
        self.kind = kind
        self.folder = NAME_FOLDERS[kind]
        self.first: dict[str, _Spelling] = {}  # slug -> the spelling that has the page
        self.reported: set[str] = set()

    def check(self, doc: Document, key_path: KeyPath, name: str) -> list[Problem]:
        slug = urls.slugify(name)
        known = self.first.get(slug)
        if name in self.reported or (known is not None and known.name == name):
            return []
        self.reported.add(name)
        message = self._reserved(name, slug)
        if message is None and known is not None:
            message = (
                f"{self.kind} {name!r} has the same address ({self.folder}/{slug}/) as {self.kind} "
                f"{known.name!r} ({known.where}); use one spelling everywhere"
            )
        if message is None:
            self.first[slug] = _Spelling(name, doc, key_path)
            return []
        return [doc.problem(key_path, message)]

    def _reserved(self, name: str, slug: str) -> str | None:
        if not slug:
            return f"{self.kind} {name!r} has no letter or digit to make its page address from; add one"
        if len(slug.encode("utf-8")) > reserved_names.MAX_NAME_BYTES:
            return (
                f"{self.kind} {shown(name)} is too long to be a page address "
                f"({len(slug.encode('utf-8'))} bytes; file systems allow {reserved_names.MAX_NAME_BYTES} "
                "with room for page numbers); shorten it"
            )
        if slug == reserved_names.RESERVED_ID:
            kept = "the list of all tags" if self.kind == "tag" else "the categories/ folder's own page"
        elif (number := reserved_names.later_page_number(slug)) is not None:
            kept = f"page {number} of a long list ({self.folder}/<name>-page-<n>/)"
        else:
            return None
        return (
            f"{self.kind} {name!r} would have the address {self.folder}/{slug}/, which is kept for "
            f"{kept}; choose another name"
        )


def _names_in(item: LoadedSop) -> list[tuple[KeyPath, str, str]]:
    """(key path, kind, name) of the SOP's category and tags, as the author wrote them: a
    placeholder that stands in for a broken field is no name of the author's. Once per document
    (`sopkb serve` and `sopkb build` keep unchanged ones, with what was worked out from them)."""
    return once_per_document(item.doc, "names", lambda: list(_written_names(item)))


def _written_names(item: LoadedSop) -> Iterator[tuple[KeyPath, str, str]]:
    data = item.doc.data if isinstance(item.doc.data, dict) else {}
    if _written(data.get("category"), item.sop.category):
        yield ("category",), "category", item.sop.category
    tags = data.get("tags")
    if isinstance(tags, list) and len(tags) == len(item.sop.tags):
        for index, (raw, tag) in enumerate(zip(tags, item.sop.tags, strict=True)):
            if _written(raw, tag):
                yield ("tags", index), "tag", tag


def _written(raw: object, value: str) -> bool:
    return isinstance(raw, str) and raw.strip() == value


# Hand-written pages -------------------------------------------------------------------------


class _GeneratedPages:
    """What sopkb writes at each address, in words an author recognises."""

    def __init__(
        self,
        sops: list[LoadedSop],
        quizzes: list[LoadedQuiz],
        paths: list[LoadedLearningPath],
        names: dict[str, dict[str, _Spelling]],
    ):
        self.pages = {urls.url_of(page): what for page, what in urls.FIXED_PAGES.items()}
        self.data = {urls.CATALOG: "catalog of quizzes and learning paths"}
        for s in sops:
            self.pages.setdefault(urls.sop_url(s.sop.id), f"page of SOP {s.sop.id!r}")
            drill = urls.quiz_data_file(drill_id(s.sop.id))
            self.data.setdefault(drill, f"data file of the drill of SOP {s.sop.id!r}")
        for q in quizzes:
            self.pages.setdefault(urls.quiz_url(q.quiz.id), f"page of quiz {q.quiz.id!r}")
            self.data.setdefault(urls.quiz_data_file(q.quiz.id), f"data file of quiz {q.quiz.id!r}")
        for p in paths:
            url = urls.learning_path_url(p.learning_path.id)
            self.pages.setdefault(url, f"page of learning path {p.learning_path.id!r}")
            data_file = urls.learning_path_data_file(p.learning_path.id)
            self.data.setdefault(data_file, f"data file of learning path {p.learning_path.id!r}")
        self.names = names
        self.pages = {url.casefold(): what for url, what in self.pages.items()}

    def page_at(self, url: str) -> str | None:
        """Compared without case: IIS and shared drives serve `Sops/X/` and `sops/x/` as one."""
        url = url.casefold()
        if url in self.pages:
            return self.pages[url]
        folder, _, rest = url.rstrip("/").partition("/")
        if folder == "quizzes" and reserved_names.is_quiz_list_page(rest):
            return f"page {rest.removeprefix('page-')} of the list of all quizzes"
        if folder == urls.WHATS_NEW_DIR and reserved_names.is_list_page(rest):
            return f"page {rest.removeprefix('page-')} of What's new"
        if folder == urls.REVIEW_DIR:
            number = reserved_names.later_page_number(rest)
            section = urls.REVIEW_SECTIONS.get(rest[: rest.rfind("-page-")] if number else rest)
            listing = f"list of Needs review's section {section!r}"
            if section is not None:
                return f"page {number} of the {listing}" if number else listing
        for kind, names_folder in NAME_FOLDERS.items():
            if folder == names_folder and "/" not in rest:
                return self._listing(kind, rest)
        return None

    def _listing(self, kind: str, slug: str) -> str | None:
        spelling = self.names[kind].get(slug)
        of = "SOPs tagged" if kind == "tag" else "SOPs in category"
        if spelling is not None:
            return f"list of {of} {spelling.name!r}"
        number = reserved_names.later_page_number(slug)
        base = self.names[kind].get(slug[: slug.rfind("-page-")]) if number else None
        return f"page {number} of the list of {of} {base.name!r}" if base else None


ACTIVE = {
    ".html",
    ".htm",
    ".xhtml",
    ".xht",
    ".shtml",
    ".svg",
    ".svgz",
    ".js",
    ".mjs",
    ".cjs",
    ".xml",
    ".xsl",
    ".xslt",
}
"""Files a browser runs script from when opened: MkDocs would publish them from `docs/` as they
are, outside every page's policy (and a page's `<script src>` could load a `.js` from there)."""


def _docs_collisions(project: Project, generated: _GeneratedPages) -> list[Problem]:
    """What MkDocs would publish from `docs/`: by the sources' rules (no link out of the KB, no pipe
    or device), no file that can run script, nothing at an address sopkb or the theme writes."""
    found = walk_sources(project.docs_dir, project.root, project.display, suffixes=None)
    problems = list(found.problems)
    templates = Path(os.path.relpath(project.templates_dir, project.root)).as_posix()
    for path in found.files:
        rel = Path(os.path.relpath(path, project.docs_dir)).as_posix()
        message = _collision(rel, generated, templates) or _active(rel, templates)
        if message is not None:
            problems.append(Problem(project.display(path), 1, 1, message))
        elif path.suffix.lower() in reserved_names.MARKDOWN_SUFFIXES:
            problems += _not_utf8(path, project.display(path))
    return problems


def _not_utf8(path: Path, display: str) -> list[Problem]:
    """MkDocs reads a page as UTF-8 and stops the build with a traceback when it is not."""
    try:
        data = path.read_bytes()
        data.decode("utf-8")
    except OSError:
        return []  # what cannot be read is walk_sources' to report
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = data[exc.start]
        return [
            Problem(
                display, line, column,
                f"this page is not UTF-8 text (byte 0x{byte:02X}), which is how MkDocs reads pages: "
                "save it as UTF-8",
            )  # fmt: skip
        ]
    return []


def _active(rel: str, templates: str) -> str | None:
    if Path(rel).suffix.lower() not in ACTIVE:
        return None
    return (
        "a file that can run script when opened (HTML, SVG, JavaScript, XML) is not published from "
        "docs/: write the page in Markdown, put a diagram in as PNG, or ship a file you trust with "
        f"the theme ({templates}/theme/), which is configuration"
    )


def _collision(rel: str, generated: _GeneratedPages, templates: str) -> str | None:
    if rel.casefold() == urls.FEED:
        return f"sopkb writes the Atom feed of What's new at this address ({rel}); rename or move this file"
    if rel in reserved_names.THEME_PAGES:
        return (
            f"the theme writes the {reserved_names.THEME_PAGES[rel]} at this address ({rel}); "
            "rename or move this file"
        )
    if rel in reserved_names.theme_assets():
        return (
            f"this file would replace the theme's own {rel} on every page; give it another name "
            "(add styles and scripts with extra_css and extra_javascript in mkdocs.yml)"
        )
    folder = reserved_names.generated_dir_of(rel)
    if folder is not None:
        what = generated.data.get(rel)
        replaced = f"this file has the address of the generated {what} ({rel}); " if what else ""
        kept = urls.GENERATED_DIRS[folder]
        return f"{replaced}{folder}/ is written by sopkb ({kept}): move this file out of it"
    url = reserved_names.page_url_of_source(rel)
    what = generated.page_at(url) if url is not None else None
    if what is None:
        return None
    if url == "":
        return (
            "this file has the address of the generated home page; to change the home page, override "
            f"the template {templates}/pages/home.md.j2"
        )
    return f"this file has the address of the generated {what} ({url}); rename or move it"
