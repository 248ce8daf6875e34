"""Build-only behaviour of the plugin (`sopkb build`, `mkdocs build`): the work that runs beside
MkDocs on the second core, started, waited for, and ended when a build fails. `Serving` is the
serve-only half; the attributes are set up in `SopkbPlugin.__init__`."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable
from pathlib import Path

from ..core.console import Progress
from ..core.parallel import Beside
from .file_store import FileStore
from .html_blocks import lift_page
from .shared_pages import share_pages
from .site_files import with_files_written, write_site_files


class Building:
    def _files_beside_from_the_start(
        self, site_dir: Path, reuse: Callable | None, placer: Callable | None = None
    ) -> tuple[Callable, Callable | None]:
        """`sopkb build` (a new staging folder MkDocs does not clean): the site's other files start
        now, and the render workers write each SOP's data files; (keep, reuse) for `plan`. A page
        `placer` finds kept is placed as soon as it is rendered (its Markdown kept with it)."""
        cache, published = self.page_cache, self.published_site
        store = self._store = FileStore(cache.folder, published) if cache is not None else None
        self._beside = Beside(functools.partial(self._write_beside, site_dir, (), True, store))

        def keep(page):  # noqa: ANN001, ANN202
            lifted = lift_page(with_files_written(page, site_dir, store))
            placed = placer is not None and placer(lifted, lifted.digest)
            return dataclasses.replace(lifted, placed=True) if placed else lifted

        if reuse is None:
            return keep, None

        def kept(entry):  # noqa: ANN001, ANN202
            page = reuse(entry)
            return None if page is None else with_files_written(page, site_dir, store)

        return keep, kept

    def _files_beside_once_cleaned(self, site_dir: Path) -> None:
        """`mkdocs build`: MkDocs has cleaned the site folder by `on_files`: the files start now."""
        if self._serve_cache or self._beside is not None:
            return
        write = functools.partial(self._write_beside, site_dir, self.tree.sop_files, False, None)
        self._beside = Beside(write)
        if self._beside.forked:  # the child has them: this process need not hold them
            self.tree.sop_files = []

    def _share_pages(self, config, files, env) -> None:  # noqa: ANN001
        """`sopkb build`: every other page MkDocs makes, made in another process (`shared_pages.py`)."""
        shared = share_pages(config, files, self._nav, env, then=self._quiet) if self.fresh_site else None
        if shared is None:
            return
        self._pages_beside, theirs = shared
        self._writing[1] -= len(theirs)
        for page in theirs:  # this process makes none of them: their HTML is the other's
            self._parked.pop(page.file.src_uri, None)
            self._lifted.pop(page.file.src_uri, None)
            page.content = ""

    def _quiet(self) -> None:
        """In the process that makes the other pages: this one shows the progress."""
        self.progress = Progress(False)

    def _wait_beside(self) -> None:
        for beside in (self._pages_beside, self._beside):
            if beside is not None:
                beside.wait()

    def on_build_error(self, *, error) -> None:  # noqa: ANN001
        self.abandon()

    def abandon(self) -> None:
        """The build failed: what was being written beside MkDocs stops (never into a folder that
        is going away)."""
        for beside in (self._pages_beside, self._beside):
            if beside is not None:
                beside.stop()

    def _write_beside(
        self, site_dir: Path, files: Iterable, learning_data: bool, store: FileStore | None, forked: bool
    ) -> None:
        """The site's other files, while this process renders and MkDocs makes its pages."""
        cache = self.page_cache.folder if self.page_cache is not None else None
        jobs = 1 if forked else self.render_jobs
        write_site_files(
            self.kb, site_dir, jobs=jobs, term_counts=self.term_counts, files=files,
            learning_data=learning_data, cache=cache, page_keys=self._page_keys, sources=self.source_cache,
            store=store,
        )  # fmt: skip
