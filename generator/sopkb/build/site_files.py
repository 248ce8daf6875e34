"""What a build writes into the site beside MkDocs' pages: the search index, the learning scripts'
data files and each SOP's data files (and, for `sopkb build`, the sources it read, kept for the
next build).

None of it depends on MkDocs' pages, and MkDocs builds those on one core. `sopkb build` makes a
new staging folder that MkDocs does not clean, so it starts these files in a forked process
before the SOP pages are rendered (`core.parallel.Beside`, at a low priority: the render workers
come first, MkDocs' single core leaves it the other), and each render worker writes the data files
of the SOPs it renders; together they took a fifth or more off a cold build of 1,000 SOPs and most
of the wait for these files off an unchanged rebuild. `mkdocs build` cleans the site folder first,
so they start once it has (`on_files`); `sopkb serve` writes them after the pages, in its own
process (it keeps the index for the next save).
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Iterable
from pathlib import Path

from ..domain.knowledge_base import KnowledgeBase
from ..render.learning import data_files
from ..render.pages import Page
from ..search.index import write_index
from ..search.term_counts import TermCounts
from .docs_tree import DocsTree
from .file_store import FileStore
from .index_cache import index_files
from .source_cache import SourceCache

log = logging.getLogger("mkdocs.plugins.sopkb")


def write_site_files(
    kb: KnowledgeBase,
    site_dir: Path,
    *,
    jobs: int,
    term_counts: TermCounts,
    files: Iterable[tuple[str, str]] = (),
    learning_data: bool = False,
    cache: Path | None = None,
    page_keys: dict[str, str] | None = None,
    sources: SourceCache | None = None,
    store: FileStore | None = None,
) -> dict[str, str]:
    """The search index (kept in `cache` by the SOPs' `page_keys`, when there is one) and `files`
    written into `site_dir`, with the learning data files when `learning_data`; `sources`: the
    build's reading, written to its cache; `store`: where a new site's files are linked from.
    Returns the index's files."""
    started = time.monotonic()
    if sources is not None:
        sources.write()
    if cache is not None:
        term_counts.folder = cache / "search"
    make = lambda: DocsTree.search_index(kb, jobs=jobs, kept=term_counts)  # noqa: E731
    index = index_files(make, cache, kb, page_keys or {})
    if store is not None:  # a new staging folder: no index there to replace
        write_files(index.items(), site_dir, store)
    else:
        write_index(index, site_dir)
    log.info(f"sopkb: search index ({len(index)} files) written in {time.monotonic() - started:.2f} s")
    write_files(files, site_dir, store)
    if learning_data:
        write_files(data_files(kb), site_dir, store)
    return index


def with_files_written(page: Page, site_dir: Path, store: FileStore | None = None) -> Page:
    """The page without its data files, once they are in `site_dir` (in the render worker that
    made or found it: no file travels back to the build)."""
    write_files(page.files, site_dir, store)
    return dataclasses.replace(page, files=())


def write_files(files: Iterable[tuple[str, str]], site_dir: Path, store: FileStore | None = None) -> None:
    """Files MkDocs need not handle one by one (as it does a page's assets, at about 0.7 ms each):
    thousands of small data files, written as they are, or linked from `store` (a new site's)."""
    made: set[Path] = store.folders if store is not None else set()  # one call per folder and build
    for path, text in files:
        target = site_dir / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if store is None:
            target.write_text(text, encoding="utf-8")
        else:
            store.write(site_dir, path, text.encode("utf-8"))
