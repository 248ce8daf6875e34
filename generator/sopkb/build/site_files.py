"""What a build writes into the site beside MkDocs' pages: the search index and each SOP's data
files (and, for `sopkb build`, the sources it read, kept for the next build).

None of it depends on MkDocs' pages, and MkDocs builds those on one core: `sopkb build` writes
these files in a forked process meanwhile (`core.parallel.Beside`), which took a fifth of a cold
build of 1,000 SOPs off its time. `sopkb serve` writes them after the pages, in its own process
(it keeps the index for the next save).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from ..domain.knowledge_base import KnowledgeBase
from ..search.index import write_index
from ..search.term_counts import TermCounts
from .docs_tree import DocsTree
from .index_cache import index_files
from .source_cache import SourceCache

log = logging.getLogger("mkdocs.plugins.sopkb")


def write_site_files(
    tree: DocsTree,
    kb: KnowledgeBase,
    site_dir: Path,
    *,
    jobs: int,
    term_counts: TermCounts,
    cache: Path | None = None,
    page_keys: dict[str, str] | None = None,
    sources: SourceCache | None = None,
) -> dict[str, str]:
    """The search index (kept in `cache` by the SOPs' `page_keys`, when there is one) and the
    SOPs' data files, written into `site_dir`; `sources`: the build's reading, written to its
    cache. Returns the index's files."""
    started = time.monotonic()
    if sources is not None:
        sources.write()
    if cache is not None:
        term_counts.folder = cache / "search"
    make = lambda: tree.search_index(kb, jobs=jobs, kept=term_counts)  # noqa: E731
    index = index_files(make, cache, kb, page_keys or {})
    write_index(index, site_dir)
    log.info(f"sopkb: search index ({len(index)} files) written in {time.monotonic() - started:.2f} s")
    write_files(tree.sop_files, site_dir)
    return index


def write_files(files: list[tuple[str, str]], site_dir: Path) -> None:
    """Files MkDocs need not handle one by one (as it does a page's assets, at about 0.7 ms each):
    thousands of small data files, written as they are."""
    made: set[Path] = set()
    for path, text in files:
        target = site_dir / path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_text(text, encoding="utf-8")
