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
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    from mkdocs.commands.build import _build_page, _populate_page
    from mkdocs.structure.files import InclusionLevel

    AVAILABLE = True
except ImportError:  # another MkDocs: every save takes the full build
    AVAILABLE = False

Stamp = tuple[int, int, int]


def snapshot(folders: Iterable[Path], files: Iterable[Path], within: Path | None = None) -> dict[str, Stamp]:
    """Each file under `folders` (and each of `files`) by its time, size and inode: what tells
    which sources a save changed. As the reading of sources does (`loading/source_files.py`), a
    link counts as what it leads to: a linked file by its target's stamp, and a linked folder whose
    target is inside `within` (the KB) or the walked folder's own target is walked too, each folder
    once (a file saved there sends no event from the folder of the link: only this look sees it)."""
    found: dict[str, Stamp] = {}
    bound = os.path.realpath(within) if within is not None else None
    walked: set[str] = set()

    def add(path: str) -> None:
        try:
            st = os.stat(path)
        except OSError:  # a broken link: the reading reports it; its own stamp tells when it changes
            try:
                st = os.lstat(path)
            except OSError:
                return
        found[path] = (st.st_mtime_ns, st.st_size, st.st_ino)

    for folder in folders:
        allowed = (bound, os.path.realpath(folder))  # the folder itself may be a link (a shared drive)
        for top, dirs, names in os.walk(folder, followlinks=bound is not None):
            if bound is not None:
                real = os.path.realpath(top)
                if real in walked or not any(os.path.commonpath([real, a]) == a for a in allowed):
                    dirs.clear()
                    continue
                walked.add(real)
            dirs.sort()
            for name in names:
                add(os.path.join(top, name))
    for path in files:
        add(str(path))
    return found


def changed_files(before: dict[str, Stamp], after: dict[str, Stamp]) -> set[str] | None:
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
    inputs: dict[str, Stamp]
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
