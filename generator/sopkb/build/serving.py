"""`sopkb serve`'s side of the plugin: what it keeps between saves and how a save is made.

A save that changes only SOP sources is made without a full MkDocs build (`quick_save.py`); the
KB's own folders are watched so a save is seen at once (`source_watch.py`); after each full build
the plugin remembers what the quick path starts from, and lets go of the pages and files of SOPs
that are gone. A mixin of `SopkbPlugin` (`mkdocs_plugin.py`), whose state it reads and sets: one
plugin object is what MkDocs keeps across the rebuilds of `serve`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from pathlib import Path

from markupsafe import escape
from mkdocs.structure.files import File, Files

from ..core import csp
from ..core.collector import collector_paused
from ..core.console import count
from ..core.errors import Problem, SourceErrors
from ..core.template_errors import template_problem
from ..loading.file_stamps import Snapshot, snapshot
from ..loading.git_history import head_files
from ..pipeline import load_knowledge_base
from . import quick_save
from .docs_tree import DocsTree, plan
from .html_blocks import LiftedPage, lift_page
from .source_watch import SourceWatch, asks_rebuild

log = logging.getLogger("mkdocs.plugins.sopkb")


class TemplateMistake(SystemExit, Exception):
    """A mistake in one of the KB's templates while serving: MkDocs' server prints an exit's words
    alone (any other error with its traceback) and serves the last pages built until it is fixed."""


class Serving:
    """Serve-only behaviour of the plugin (attributes set up in `SopkbPlugin.__init__`)."""

    def _remember_build(self, config, index: dict[str, str]) -> None:  # noqa: ANN001
        """After a full build: what a quick save starts from."""
        if self._env_files is None:
            return
        env, files = self._env_files
        written = {**dict(self.tree.data_files), **dict(self.tree.sop_files), **index}
        shape = site_shape(self.tree)
        self._last = quick_save.LastBuild(
            config, files, self._nav, env, self._inputs, shape, self._handed, written
        )
        quick_save.settle()

    def _forget_gone(self, config) -> None:  # noqa: ANN001
        """An SOP deleted or renamed since the last save: its page and files go too."""
        site = Path(config.site_dir)
        now = {site / File(p, "", "", config.use_directory_urls).dest_uri for p in self._page_paths}
        now |= {site / path for path, _ in [*self.tree.sop_files, *self.tree.data_files]}
        for gone in self._generated - now:
            gone.unlink(missing_ok=True)
        self._generated = now

    def _watched_folders(self, config) -> list[Path]:  # noqa: ANN001
        """The KB's own folders a save may change (MkDocs watches `docs/` and mkdocs.yml itself;
        `theme.custom_dir` only with --watch-theme, which sopkb serve has not)."""
        project = self.project
        folders = [project.sops_dir, project.quizzes_dir, project.paths_dir, project.templates_dir]
        return folders + ([Path(config.theme.custom_dir)] if config.theme.custom_dir else [])

    def _stamps(self, folders: list[Path], leave_out: Path | None = None, extra: list[Path] = ()) -> dict:
        """The stamps of the files in `folders` (those there now) and beside mkdocs.yml."""
        root = self.project.root
        top = [p for p in (root / name for name in os.listdir(root)) if p.is_file() and p != leave_out]
        folders = list(dict.fromkeys(f for f in folders if f.is_dir()))
        return snapshot(folders, [*top, *extra], within=root)

    def _snapshot(self, config) -> Snapshot:  # noqa: ANN001
        """The files a save may change: the sources, `docs/`, templates, the KB's top-level files."""
        return self._stamps([*self._watched_folders(config), self.project.docs_dir])

    def quick_save(self) -> bool:
        """A save that changed only SOP sources, made without a full MkDocs build (`quick_save.py`).
        False when it needs the full build: then nothing has been written. The cycle collector
        waits until it is done: a save at 10,000 SOPs makes a million short-lived objects, and the
        passes they set off over what the last saves kept made one save in two a second slower."""
        with collector_paused():
            return self._quick_save()

    def _quick_save(self) -> bool:
        last = self._last
        if last is None or self.problems or not quick_save.AVAILABLE:
            return False
        started = time.monotonic()
        inputs = self._snapshot(last.config)
        changed = quick_save.changed_files(last.inputs, inputs)
        sops = f"{self.project.sops_dir}{os.sep}"
        if changed is None or not all(path.startswith(sops) for path in changed):
            return False
        try:
            kb = load_knowledge_base(self.project, strict=self.config.strict, memo=self._memo, files=inputs)
        except SourceErrors:
            return False  # the full build reports the problems, and keeps the last good version on screen
        read = time.monotonic()
        config = last.config
        keys, reuse, _ = self._kept_pages(config, kb)
        site = {"site_name": config.site_name, "site_url": config.site_url}
        tree = plan(kb, self.project, **site, keep=lift_page, reuse=reuse, memo=self.page_memo)
        self.page_memo.finish()
        pages: dict[str, LiftedPage] = {page.path: page for page in tree.take_pages()}  # type: ignore[misc]
        if site_shape(tree) != last.shape or pages.keys() != last.pages.keys():
            return False
        planned = time.monotonic()
        for warning in kb.warnings:
            log.warning(str(warning))
        self.kb, self.tree = kb, tree
        self._rendered = {e.id: (keys[e.id], pages[e.page_path]) for e in kb.sops}
        handed = {path: page.digest for path, page in pages.items()}
        remade = {path: page for path, page in pages.items() if handed[path] != last.pages[path]}
        self._lifted = {path: page.lifted for path, page in remade.items()}
        quick_save.build_pages(last, {path: page.content for path, page in remade.items()})
        built = time.monotonic()
        index = tree.search_index(kb, kept=self.term_counts)
        written = {**dict(tree.data_files), **dict(tree.sop_files), **index}
        rewritten = quick_save.write_changed(Path(config.site_dir), last.written, written)
        last.inputs, last.pages, last.written = inputs, handed, written
        done = time.monotonic()
        log.info(
            f"sopkb: {count(len(changed), 'source') + ' saved' if changed else 'history changed'}: "
            f"{count(len(remade), 'page')} and "
            f"{count(rewritten, 'file')} made again in {done - started:.2f} s"
        )
        log.info(
            f"sopkb: read {read - started:.2f} s, planned {planned - read:.2f} s, pages built "
            f"{built - planned:.2f} s, search and files {done - built:.2f} s"
        )
        return True

    def on_serve(self, server, *, config, builder):  # noqa: ANN001, ANN201
        full_build = server.builder

        def build() -> None:
            with self._watch.held() if self._watch is not None else contextlib.nullcontext():
                quick_or_full()

        def quick_or_full() -> None:
            try:
                quick = self.quick_save()
            except Exception as exc:  # noqa: BLE001 - whatever it is, the full build meets and reports it
                log.debug(f"sopkb: a quick save failed ({exc!r}); building the whole site")
                quick = False
            if not quick:
                try:
                    full_build()
                except Exception as exc:
                    problem = template_problem(exc)
                    if problem is None:
                        raise
                    raise TemplateMistake(str(problem)) from None

        server.builder = build
        project = self.project
        folders = self._watched_folders(config)
        rebuild = asks_rebuild(server)
        if rebuild is not None:  # seen at once (`source_watch.py`); MkDocs watches docs/ and mkdocs.yml
            config_file = Path(config.config_file_path)
            # a commit changes no source, but the history pages show (the quick save reads it again)
            git = head_files(project.root) if self.config.history else []
            self._watch = SourceWatch(lambda: self._stamps(folders, config_file, git), rebuild)
            self._watch.start([str(f) for f in folders if f.is_dir()], str(project.root))
            # MkDocs names only what it watches itself (docs/, mkdocs.yml): say the sources are watched too
            shown = [f.relative_to(project.root) if f.is_relative_to(project.root) else f for f in folders]
            names = ", ".join(f"'{f}'" for f, real in zip(shown, folders, strict=True) if real.is_dir())
            log.info(f"sopkb: watching {names} and the files beside mkdocs.yml for changes")
        else:
            for folder in folders:
                if folder.is_dir():
                    server.watch(str(folder))
            # synonyms.yaml sits at the top of the KB and may not exist yet: watch the top, not below it
            server.watch(str(project.root), recursive=False)
        inject = server._inject_js_into_html  # MkDocs 1.6 adds its live-reload script here

        def inject_allowed(content: bytes, epoch: int) -> bytes:
            page = inject(content, epoch)
            at = content.rfind(b"</body>")  # where MkDocs puts it: what it added is exactly here
            at = len(content) if at < 0 else at
            added = page[at : len(page) - (len(content) - at)]
            return csp.allow_injected_script(page, added)

        server._inject_js_into_html = inject_allowed
        return server


def site_shape(tree: DocsTree) -> tuple:
    """What every page's frame is made from: when it changes, every page is made again."""
    return (tree.nav, tree.not_in_nav, tree.theme_dirs, tree.theme_extra)


def stale_hand_written(files: Files, generated: set[str]) -> None:
    """While serving, after a change of navigation or theme: MkDocs' dirty build would keep the
    hand-written pages (their sources are older than their output) with the old navigation, so
    their output goes, and they are built again."""
    for file in files.documentation_pages():
        if file.src_uri not in generated and file.abs_dest_path:
            Path(file.abs_dest_path).unlink(missing_ok=True)


def problems_banner(problems: list[Problem], showing_last_good: bool) -> str:
    """Shown at the top of every page while a save has broken the sources (serve only)."""
    shown = "the last version that built" if showing_last_good else "nothing yet: no version has built"
    items = "".join(f"<li><code>{escape(str(p))}</code></li>" for p in problems[:50])
    more = f"<li>… and {len(problems) - 50} more (see the terminal)</li>" if len(problems) > 50 else ""
    return (
        f'<div class="sopkb-serve-problems" role="alert"><p><strong>The sources have '
        f"{count(len(problems), 'problem')}</strong>, so this preview shows "
        f"{shown}. Fix them and save: the page reloads.</p><ul>{items}{more}</ul></div>"
    )
