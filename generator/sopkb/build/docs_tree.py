"""Everything sopkb adds to a KB's MkDocs project, computed once: the generated pages, the data
and search-index files, the navigation, the pages kept out of it, and the theme folders.

Two consumers apply it: the MkDocs plugin (in memory, during `mkdocs build`/`serve`) and
`sopkb generate` (written out as a complete docs tree any MkDocs-compatible engine builds
without the plugin). One plan means the two cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.by_identity import KeptBy
from ..core.console import Progress
from ..domain import urls
from ..domain.history import prepare_diffs
from ..domain.knowledge_base import KnowledgeBase, SopEntry
from ..domain.project import Project
from ..render.environment import BUILTIN_DIR, make_environment
from ..render.history import EARLIER_SHOWN, SinceFiles
from ..render.learning import data_files
from ..render.pages import Page, navigation, render_site
from ..render.whats_new import changes, feed_xml
from ..search.index import build_index, builtin_synonyms
from ..search.term_counts import TermCounts
from .compiled_templates import compiled_templates


@dataclass
class DocsTree:
    pages: list[Page]  # generated Markdown pages, by path under docs_dir
    data_files: list[tuple[str, str]]  # learning data: path under the site root, JSON text
    sop_files: list[tuple[str, str]]  # each SOP's data file and its file of what changed since its
    # earlier versions: thousands of small files, which the plugin writes straight to the site after MkDocs
    nav: list[Any]  # used when the KB's mkdocs.yml has no `nav:` of its own
    not_in_nav: list[str]  # gitignore patterns of generated pages reached by links only
    theme_dirs: list[Path]  # template overrides and assets, first wins: the KB's, then sopkb's
    theme_extra: dict[str, str]  # values sopkb's theme templates read from `config.extra`

    def take_pages(self) -> list[Page]:
        """The pages, handed over: the tree keeps none of them (a big KB's pages are most of a
        build's memory, and their consumer lets go of each when it is done with it)."""
        pages, self.pages = self.pages, []
        return pages

    @staticmethod
    def search_index(kb: KnowledgeBase, jobs: int = 1, kept: TermCounts | None = None) -> dict[str, str]:
        """Built on demand, from the KB alone: the plugin writes it beside MkDocs' work (`kept`: the
        SOPs' terms it keeps between builds), `generate` beside the pages."""
        return build_index(kb, builtin_synonyms() + kb.synonyms, jobs=jobs, kept=kept)


@dataclass(frozen=True)
class SiteSettings:
    """What sopkb sets in MkDocs' configuration, known from the KB before any page is rendered (so
    `sopkb build` knows the site's stamp while its pages are rendered: `page_cache.site_stamp`)."""

    nav: list[Any]
    not_in_nav: list[str]
    theme_dirs: list[Path]
    theme_extra: dict[str, str]


def site_settings(kb: KnowledgeBase, project: Project) -> SiteSettings:
    theme_dirs = [p / "theme" for p in (project.templates_dir, BUILTIN_DIR) if (p / "theme").is_dir()]
    return SiteSettings(
        nav=navigation(kb),
        not_in_nav=list(urls.NOT_IN_NAV),
        theme_dirs=list(dict.fromkeys(theme_dirs)),
        theme_extra={
            "sopkb_search_index": f"{urls.SEARCH_INDEX_DIR}/",  # partials/search.html
            "sopkb_feed": urls.FEED,  # main.html: every page's <link rel="alternate">
        },
    )


def own_page_templates(project: Project) -> bool:
    """The KB has page templates of its own (`site_templates/pages/`)."""
    if project.templates_dir == BUILTIN_DIR:
        return False
    return any(p.is_file() for p in (project.templates_dir / "pages").rglob("*"))


def plan(
    kb: KnowledgeBase,
    project: Project,
    *,
    site_name: str,
    site_url: str | None = None,
    jobs: int = 1,
    keep: Callable[[Page], Page] | None = None,
    progress: Progress | None = None,
    reuse: Callable[[SopEntry], Page | None] | None = None,
    remember: Callable[[SopEntry, Page], None] | None = None,
    memo: KeptBy | None = None,
    learning_data: bool = True,
    settings: SiteSettings | None = None,
) -> DocsTree:
    """`site_url` (mkdocs.yml's, ending in `/`) makes the feed's links absolute. `keep`: what to
    keep of each page as soon as it is rendered (see `render_site`); `progress` is shown the SOP
    pages as they are rendered; `reuse`: an SOP's page from an earlier plan, when unchanged, and
    `remember`: each SOP page rendered anew (see `render_site`). `memo` (`sopkb serve`): listings
    and quiz files kept by what they show, when the KB's templates are sopkb's own (a KB's own page
    template may read anything of the KB). `learning_data=False`: the learning scripts' data files
    are the caller's to write (`sopkb build` writes them beside MkDocs: `site_files.py`).
    `settings`: `site_settings`, when the caller has them already."""
    kb_templates = project.templates_dir if project.templates_dir != BUILTIN_DIR else None
    # the pages' diffs (the latest, and since each earlier version): the last build's, or worked out
    # (not those whose files of changes an earlier build rendered and kept: see SinceFiles)
    env = make_environment(kb_templates)
    env.bytecode_cache = compiled_templates("pages")
    if own_page_templates(project):
        memo = None
    since_files = SinceFiles(env)
    prepare_diffs(kb.history.values(), since=EARLIER_SHOWN, jobs=jobs, skip=since_files.skip)
    shown = (lambda n: progress.show("Rendering SOPs", n, len(kb.sops))) if progress else None
    pages = render_site(
        kb, env, site_name=site_name, jobs=jobs, since_files=since_files, keep=keep, progress=shown,
        reuse=reuse, remember=remember, memo=memo,
    )  # fmt: skip
    if progress:
        progress.done()
    newest = changes(kb)[: urls.LISTING_PAGE_SIZE]  # the first page of What's new
    feed = feed_xml(newest, site_name=site_name, site_url=site_url or None, today=dt.date.today())
    settings = settings or site_settings(kb, project)
    return DocsTree(
        pages=pages,
        data_files=[*(data_files(kb, memo) if learning_data else []), (urls.FEED, feed)],
        sop_files=[file for page in pages for file in page.files],
        nav=settings.nav,
        not_in_nav=settings.not_in_nav,
        theme_dirs=settings.theme_dirs,
        theme_extra=settings.theme_extra,
    )
