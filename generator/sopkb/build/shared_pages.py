"""MkDocs makes a site's pages one after the other, on one core: at 1,000 SOPs about 1,900 pages
(the SOPs, their tag and category listings), a third of a cold build. `sopkb build` hands every
other page MkDocs is about to make to a forked process that makes it exactly as MkDocs would (its
own `_build_page`, with the same navigation, templates and plugin events), and MkDocs skips it.

Only where nothing can tell the difference: MkDocs 1.6 (whose `_build_page` this calls: pinned in
pyproject.toml), no plugin but sopkb's (another plugin's page events in that process would not
reach its state in this one: a sitemap or blog plugin would miss pages), MkDocs not `strict` (a
warning logged in that process would not be counted in this one), and forking safe (see
`core.parallel`). The build waits for that process before it keeps or publishes any page.
"""

from __future__ import annotations

from collections.abc import Callable

from jinja2 import Environment
from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..core.parallel import Beside


def share_pages(
    config: MkDocsConfig, files: Files, nav: Navigation, env: Environment, *, then: Callable[[], None]
) -> tuple[Beside, list[Page]] | None:
    """Every other page MkDocs would make now, made in another process (`then()` first, there);
    None where that is not safe. Returns the process and the pages it makes."""
    if set(config.plugins) != {"sopkb"} or config.strict or not hasattr(mkdocs_build, "_build_page"):
        return None
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
    theirs = [f.page for f in doc_files if f.page is not None and f.is_modified()][1::2]
    if not theirs:
        return None

    def make(forked: bool) -> None:
        then()
        for page in theirs:
            excluded = page.file.inclusion.is_excluded()
            mkdocs_build._build_page(page, config, doc_files, nav, env, dirty=True, excluded=excluded)

    beside = Beside(make, low_priority=False)
    if not beside.forked:
        beside.stop()
        return None
    for page in theirs:  # MkDocs' dirty build skips a page whose output is not older than its source
        page.file.is_modified = _made_elsewhere
    return beside, theirs


def _made_elsewhere() -> bool:
    return False
