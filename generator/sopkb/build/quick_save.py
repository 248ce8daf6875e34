"""`sopkb serve`: a save that changes only SOP sources rebuilds only the pages and files it changed,
without a MkDocs build of the whole site.

With every page kept, a MkDocs build still costs about 0.6 s at 1,000 SOPs per save (reading the
configuration and the theme, listing files, the navigation, a pass over every page, the static
files, the sitemap), and the search index and every SOP's data files were written again (1.5 s).
Here, after a full build, the plugin keeps what MkDocs made of the site (configuration, files,
navigation, template environment) and what sopkb handed it (each page's content, the data and
search files). A save then plans the site again (sources read again only where they changed:
`validation/source_memo.py`; SOP pages rendered again only where their inputs changed:
`save_inputs.py`), and if the site's shape is the same (the same pages, navigation and theme),
MkDocs builds only the pages whose content changed, with the same events as a full build, and only
the changed files are written. Anything else (a new, renamed or deleted source, a quiz, a template,
mkdocs.yml, a page of `docs/`, a save that breaks the sources) takes the full build.

This uses two functions MkDocs does not document (`_populate_page`, `_build_page`, MkDocs 1.6);
without them every save takes the full build.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..loading.file_stamps import Snapshot

try:
    from mkdocs.commands.build import _build_page, _populate_page
    from mkdocs.structure.files import InclusionLevel

    AVAILABLE = True
except ImportError:  # another MkDocs: every save takes the full build
    AVAILABLE = False

def changed_files(before: Snapshot, after: Snapshot) -> set[str] | None:
    """The files whose stamp changed; None when a file came or went."""
    if before.keys() != after.keys():
        return None
    return {path for path, stamp in after.items() if before[path] != stamp}


@dataclass
class LastBuild:
    """What the last full build made of the site, and what sopkb handed MkDocs for it."""

    config: Any  # MkDocs' config, files, navigation and template environment of that build
    files: Any
    nav: Any
    env: Any
    inputs: Snapshot
    shape: Any  # the plan's navigation, pages out of it, theme folders and values: same or full build
    pages: dict[str, bytes]  # page path → the digest of its Markdown (`html_blocks.markdown_digest`)
    written: dict[str, str] = field(default_factory=dict)  # path under the site → text, sopkb's own files


def build_pages(last: LastBuild, pages: dict[str, Any]) -> None:
    """MkDocs makes each of `pages` (path → the File's new content) again, as in a full build:
    every plugin event runs. The page's output gets a new file: in `serve`'s site it may be a kept
    page's (linked), which must not change with it."""
    config, files = last.config, last.files
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
    for path, content in pages.items():
        file = files.get_file_from_path(path)
        file.content_string = content
        Path(file.abs_dest_path).unlink(missing_ok=True)
        _populate_page(file.page, config, files, dirty=False)
        _build_page(file.page, config, doc_files, last.nav, last.env, dirty=False)


def write_changed(site_dir: Path, before: dict[str, str], now: dict[str, str]) -> int:
    """Write the files whose text changed (each to a new file: never into a linked one), and remove
    those no longer made (a search shard whose last term went, an SOP's changes at an old version)."""
    count = 0
    for gone in before.keys() - now.keys():
        (site_dir / gone).unlink(missing_ok=True)
        count += 1
    for path, text in now.items():
        if before.get(path) != text:
            target = site_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.unlink(missing_ok=True)
            target.write_text(text, encoding="utf-8")
            count += 1
    return count


def settle() -> None:
    """After a full build: what it made and keeps (the KB, MkDocs' pages and navigation: millions
    of objects at 1,000 SOPs) is set aside from Python's cycle collector, whose full passes over
    all of it now and then doubled a quick save. Set back (`unsettle`) before the next full build,
    so that what the build replaces can be collected."""
    gc.collect()
    gc.freeze()


def unsettle() -> None:
    gc.unfreeze()
