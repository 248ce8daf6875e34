"""The MkDocs side: a thin adapter that applies the docs-tree plan (`docs_tree.py`) in memory,
so `mkdocs build` and `mkdocs serve` work on a KB folder. `sopkb generate` writes the same plan
to disk for engines that run no MkDocs plugins.

Sources are loaded and checked in `on_config`, before MkDocs cleans the site folder, so a KB
with errors never costs the previously built site its pages. While serving, a save that breaks
a source keeps the last good version on screen with the problems listed above it: a failed
rebuild would leave every request waiting until the source is fixed.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path

import pathspec
from markupsafe import escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files

from ..core import csp
from ..core.console import Progress, count
from ..core.errors import Problem, ProjectError, SourceErrors
from ..domain.knowledge_base import KnowledgeBase, SopEntry
from ..domain.project import Project
from ..pipeline import load_knowledge_base
from ..search.index import write_index
from ..search.term_counts import TermCounts
from ..validation.source_memo import SourceMemo
from . import quick_save
from .docs_tree import DocsTree, plan
from .html_blocks import Lifted, LiftedPage, lift_page, pack, unpack
from .page_cache import NOT_DIRTY_WARNING, PageCache, site_stamp
from .render_cache import RenderCache, code_stamp
from .save_inputs import page_keys
from .site_target import check_target, mark
from .source_watch import SourceWatch, asks_rebuild

log = logging.getLogger("mkdocs.plugins.sopkb")


class SourcesInvalid(PluginError):
    """The KB's sources have problems; carries them so the CLI can print its own clean report."""

    def __init__(self, errors: SourceErrors):
        self.errors = errors
        super().__init__("sopkb: the sources have problems:\n" + errors.report())


class SopkbConfig(Config):
    sops_dir = c.Type(str, default="sops")
    quizzes_dir = c.Type(str, default="quizzes")
    templates_dir = c.Type(str, default="site_templates")
    paths_dir = c.Type(str, default="paths")
    strict = c.Type(bool, default=False)
    history = c.Type(bool, default=True)  # earlier versions from git: "What changed" and the guard rails


class SopkbPlugin(BasePlugin[SopkbConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.kb: KnowledgeBase | None = None
        self.page_count = 0  # generated pages handed to MkDocs in the last build
        self.tree: DocsTree | None = None
        self.project: Project | None = None
        self._preloaded: KnowledgeBase | None = None
        self._lifted: dict[str, Lifted] = {}  # a generated page's blocks, until they are back in it
        self._parked: dict[str, bytes] = {}  # a generated page's HTML, from read to written
        self.render_jobs = 1  # `sopkb build` raises this for big KBs
        self.serving = False
        self.problems: list[Problem] = []  # while serving: what the last save broke
        self._built_once = False
        self.page_cache: PageCache | None = None  # `sopkb build` sets it, and builds "dirty"
        self._serve_cache = False  # `sopkb serve` builds "dirty" with a cache of its own
        self._generated: set[Path] = set()  # while serving: the generated pages and files the site holds
        self._page_paths: set[str] = set()  # while serving: the generated pages of the last build
        self._rendered: dict[str, tuple[str, LiftedPage]] = {}  # while serving: SOP id → (key, page)
        self._memo = SourceMemo()  # while serving: each unchanged source as the last save read it
        self._last: quick_save.LastBuild | None = None  # while serving: the last full build, for quick saves
        self._inputs: dict[str, quick_save.Stamp] = {}  # while serving: the sources this build reads
        self._handed: dict[str, tuple[str, bytes]] = {}  # while serving: each page as handed to MkDocs
        self._nav = None
        self._watch: SourceWatch | None = None
        self._last_stamp = ""
        self.progress = Progress(False)  # `sopkb build` shows it on a terminal
        self._writing = [0, 0]  # pages written, pages MkDocs builds this time
        self._to_keep: list[tuple[str, Path]] = []  # pages MkDocs writes this build, to keep
        self.term_counts = TermCounts()  # each SOP's search terms, for the next save (or build: on disk)

    def on_startup(self, *, command, dirty) -> None:  # noqa: ANN001 - MkDocs event signature
        """Defining this keeps one plugin object across `mkdocs serve` rebuilds (MkDocs' rule),
        which is what lets a broken save fall back to the last good knowledge base. MkDocs keeps
        that object for every later configuration loaded in the process, too: each command starts
        it afresh."""
        SopkbPlugin.__init__(self)
        self.serving = command == "serve"
        self._serve_cache = self.serving and dirty  # `sopkb serve`: a save rebuilds only what it changed
        if self._serve_cache:
            logging.getLogger("mkdocs.commands.build").addFilter(NOT_DIRTY_WARNING)

    def on_shutdown(self) -> None:
        if self._watch is not None:
            self._watch.stop()
        if self._serve_cache and self.page_cache is not None:
            shutil.rmtree(self.page_cache.folder, ignore_errors=True)

    def use_knowledge_base(self, kb: KnowledgeBase) -> None:
        """The CLI has already loaded and checked the sources; reuse them instead of reading twice."""
        self._preloaded = kb

    def on_config(self, config):  # noqa: ANN001, ANN201 - MkDocs event signature
        started = time.monotonic()
        root = Path(config.config_file_path).parent
        self.project = Project.configured(root, self.config, config.docs_dir)
        if self._serve_cache:  # before the sources are read: a save while building is seen next time
            self._last, self._inputs = None, self._snapshot(config)
            quick_save.unsettle()
        if self._serve_cache and self.page_cache is None:  # beside MkDocs' temporary site folder
            self.page_cache = PageCache(Path(f"{config.site_dir}-page-cache"), "")
        if not self.serving:  # `mkdocs build` cleans site_dir before writing: never the KB or a stranger's
            try:
                check_target(Path(config.site_dir).resolve(), self.project)
            except ProjectError as exc:
                raise PluginError(f"sopkb: {exc}") from None
        if self._preloaded is not None:
            self.kb, self._preloaded = self._preloaded, None
        else:
            self.kb = self._load()
        for warning in self.kb.warnings:
            log.warning(str(warning))
        keys, reuse, remember = self._kept_pages(Path(config.config_file_path), self.kb)
        self.tree = plan(
            self.kb,
            self.project,
            site_name=config.site_name,
            site_url=config.site_url,
            jobs=self.render_jobs,
            keep=lift_page,
            progress=self.progress,
            reuse=reuse,
            remember=remember,
        )
        if self._serve_cache:  # for the next save: each SOP page with the key of what made it
            rendered = {page.path: page for page in self.tree.pages}
            self._rendered = {e.id: (keys[e.id], rendered[e.page_path]) for e in self.kb.sops}
        elif self.page_cache is not None:
            RenderCache(self.page_cache.folder).prune(set(keys.values()))
        if not config.nav:
            config.nav = self.tree.nav
        ours = pathspec.gitignore.GitIgnoreSpec.from_lines(self.tree.not_in_nav)
        config.not_in_nav = ours + config.not_in_nav if config.not_in_nav else ours
        self._install_theme(config)
        config.extra.update(self.tree.theme_extra)
        if any(name in config.plugins for name in ("search", "material/search")):
            log.warning(
                "sopkb: Material's `search` plugin is enabled but unused (sopkb has its own search); "
                "remove it from `plugins:` in mkdocs.yml: it costs build time and a large index"
            )
        log.info(f"sopkb: {len(self.kb.sops)} SOPs rendered in {time.monotonic() - started:.2f} s")
        return config

    def _kept_pages(self, config_file: Path, kb: KnowledgeBase):  # noqa: ANN202
        """(keys, reuse, remember) for `plan`: each SOP page's key (`save_inputs.page_keys`), how to
        find its page as an earlier build made it from the same inputs, and how to keep the pages
        rendered anew. While serving: the last save's pages, in memory; for `sopkb build`: the
        render cache beside the site (`render_cache.py`); else every page is rendered."""
        if not self._serve_cache and self.page_cache is None:
            return {}, None, None
        keys = page_keys(kb, self.project, config_file, code_stamp())
        if self._serve_cache:
            last = self._rendered

            def unchanged(entry: SopEntry) -> LiftedPage | None:
                found = last.get(entry.id)
                return found[1] if found is not None and found[0] == keys[entry.id] else None

            return keys, unchanged, None
        cache = RenderCache(self.page_cache.folder)

        def kept(entry: SopEntry) -> LiftedPage | None:  # in the render workers
            page = cache.load(keys[entry.id], entry)
            return lift_page(page) if page is not None else None

        return keys, kept, lambda entry, page: cache.store(keys[entry.id], page)

    def _load(self) -> KnowledgeBase:
        try:
            memo = self._memo if self.serving else None
            kb = load_knowledge_base(self.project, strict=self.config.strict, memo=memo)
        except SourceErrors as exc:
            if not self.serving:
                raise SourcesInvalid(exc) from None
            self.problems = exc.problems
            for problem in exc.problems:
                log.error(str(problem))
            shown = "the last version that built" if self._built_once else "an empty site until fixed"
            log.error(f"sopkb: {len(exc.problems)} problem(s) in the sources; serving {shown}")
            return self.kb if self._built_once else KnowledgeBase(self.project, [])
        self.problems = []
        self._built_once = True
        return kb

    def _install_theme(self, config) -> None:  # noqa: ANN001
        """Our template overrides and assets sit after the KB's own custom_dir, before Material's."""
        theme_dirs = config.theme.dirs
        position = 1 if config.theme.custom_dir else 0
        for folder in reversed([str(d) for d in self.tree.theme_dirs]):
            if folder not in theme_dirs:
                theme_dirs.insert(position, folder)
        if config.theme.get("font") is not False:
            log.info("sopkb: theme font set to false, so the site loads no fonts from other origins")
            config.theme["font"] = False

    def on_files(self, files: Files, *, config) -> Files:  # noqa: ANN001
        self._lifted, self._parked = {}, {}
        self._to_keep = []
        pages: list[LiftedPage] = self.tree.take_pages()  # type: ignore[assignment] - `keep=lift_page`
        self.page_count = len(pages)
        paths = {page.path for page in pages}
        cache = self.page_cache
        if cache is not None:
            cache.stamp = site_stamp(config, repr(self.problems))
            if self._serve_cache and cache.stamp != self._last_stamp:
                stale_hand_written(files, paths)
            self._last_stamp = cache.stamp
        for page in pages:
            existing = files.get_file_from_path(page.path)
            if existing is not None:
                files.remove(existing)
            if cache is not None:
                key = cache.key(page.path, page.content, page.lifted.packed)
                kept = File.generated(config, page.path, abs_src_path=str(cache.file(key)))
                if cache.place(key, Path(kept.abs_dest_path)):
                    files.append(kept)  # MkDocs' dirty build skips it: its output is there already
                    continue
                dest = Path(kept.abs_dest_path)
                # MkDocs writes a page into its file in place: in `serve`'s site that file may be a
                # kept page's (linked), which must not change with it, so MkDocs gets a new file
                dest.unlink(missing_ok=True)
                self._to_keep.append((key, dest))
            self._lifted[page.path] = page.lifted
            files.append(File.generated(config, page.path, content=page.content))
        if self._serve_cache:
            self._page_paths = paths
            self._handed = {page.path: (page.content, page.lifted.packed) for page in pages}
        for path, text in self.tree.data_files:
            files.append(File.generated(config, path, content=text))
        return files

    def _restore_early_blocks(self, html: str, *, page, config, files) -> str:  # noqa: ANN001
        lifted = self._lifted.get(page.file.src_uri)
        html = lifted.restore_early(html) if lifted else html
        return problems_banner(self.problems, self._built_once) + html if self.problems else html

    @event_priority(-100)  # once every plugin has seen the page's content
    def _park_content(self, html: str, *, page, config, files) -> str:  # noqa: ANN001
        """MkDocs reads every page before it writes any: a generated page's HTML waits compressed,
        and comes back (`_unpark_content`) before any plugin's `on_page_context` sees the page."""
        if page.file.src_uri not in self._lifted:
            return html
        self._parked[page.file.src_uri] = pack(html)
        return ""

    on_page_content = CombinedEvent(_restore_early_blocks, _park_content)

    @event_priority(100)
    def _unpark_content(self, context, *, page, config, nav):  # noqa: ANN001, ANN201
        parked = self._parked.pop(page.file.src_uri, None)
        if parked is not None:
            page.content = unpack(parked)
        return context

    @event_priority(-100)  # after the search plugin has indexed the page
    def _restore_late_blocks(self, context, *, page, config, nav):  # noqa: ANN001, ANN201
        lifted = self._lifted.pop(page.file.src_uri, None)  # its last use: let go of the blocks
        if lifted:
            page.content = lifted.restore_late(page.content)
        return context

    on_page_context = CombinedEvent(_unpark_content, _restore_late_blocks)

    @event_priority(-100)  # the last word on the page: nothing may add a script after the policy
    def on_post_page(self, output: str, *, page, config) -> str:  # noqa: ANN001
        self._writing[0] += 1
        self.progress.show("Writing pages", *self._writing)
        release_content(page)
        return csp.with_policy(output)

    def on_nav(self, nav, *, config, files):  # noqa: ANN001, ANN201
        self._nav = nav if self._serve_cache else None
        return nav

    def on_env(self, env, *, config, files):  # noqa: ANN001, ANN201
        """MkDocs builds the pages next: those not kept from the last build."""
        kept = self.page_count - len(self._lifted)
        self._writing = [0, len(files.documentation_pages()) - kept]
        self._env_files = (env, files) if self._serve_cache else None
        return env

    @event_priority(-100)
    def on_post_template(self, output_content: str, *, template_name: str, config) -> str:  # noqa: ANN001
        return csp.with_policy(output_content) if template_name.endswith(".html") else output_content

    def on_post_build(self, *, config) -> None:  # noqa: ANN001
        self.progress.done()
        mark(Path(config.site_dir))  # so the next build recognises the folder as a site it may replace
        started = time.monotonic()
        if self.page_cache is not None and not self._serve_cache:  # `sopkb build`: kept beside the pages
            self.term_counts.folder = self.page_cache.folder / "search"
        index = self.tree.search_index(self.kb, jobs=self.render_jobs, kept=self.term_counts)
        write_index(index, Path(config.site_dir))
        log.info(f"sopkb: search index ({len(index)} files) written in {time.monotonic() - started:.2f} s")
        write_files(self.tree.sop_files, Path(config.site_dir))
        if self._serve_cache and self._env_files is not None:  # what a quick save starts from
            env, files = self._env_files
            written = {**dict(self.tree.data_files), **dict(self.tree.sop_files), **index}
            shape = site_shape(self.tree)
            self._last = quick_save.LastBuild(
                config, files, self._nav, env, self._inputs, shape, self._handed, written
            )
            quick_save.settle()
        if self.page_cache is not None:
            for key, written in self._to_keep:
                self.page_cache.keep(key, written)
            self.page_cache.prune()
        if self._serve_cache:  # an SOP deleted or renamed since the last save: its page and files go too
            site = Path(config.site_dir)
            now = {site / File(p, "", "", config.use_directory_urls).dest_uri for p in self._page_paths}
            now |= {site / path for path, _ in [*self.tree.sop_files, *self.tree.data_files]}
            for gone in self._generated - now:
                gone.unlink(missing_ok=True)
            self._generated = now

    def _snapshot(self, config) -> dict[str, quick_save.Stamp]:  # noqa: ANN001
        """The files a save may change: the sources, `docs/`, templates, the KB's top-level files."""
        project = self.project
        folders = [project.sops_dir, project.quizzes_dir, project.paths_dir, project.templates_dir]
        folders += [project.docs_dir] + ([Path(config.theme.custom_dir)] if config.theme.custom_dir else [])
        top = [project.root / name for name in os.listdir(project.root)]
        folders = list(dict.fromkeys(f for f in folders if f.is_dir()))
        return quick_save.snapshot(folders, [p for p in top if p.is_file()])

    def quick_save(self) -> bool:
        """A save that changed only SOP sources, made without a full MkDocs build (`quick_save.py`).
        False when it needs the full build: then nothing has been written."""
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
            kb = load_knowledge_base(self.project, strict=self.config.strict, memo=self._memo)
        except SourceErrors:
            return False  # the full build reports the problems, and keeps the last good version on screen
        read = time.monotonic()
        config = last.config
        keys, reuse, _ = self._kept_pages(Path(config.config_file_path), kb)
        site = {"site_name": config.site_name, "site_url": config.site_url}
        tree = plan(kb, self.project, **site, keep=lift_page, reuse=reuse)
        pages: dict[str, LiftedPage] = {page.path: page for page in tree.take_pages()}  # type: ignore[misc]
        if site_shape(tree) != last.shape or pages.keys() != last.pages.keys():
            return False
        planned = time.monotonic()
        for warning in kb.warnings:
            log.warning(str(warning))
        self.kb, self.tree = kb, tree
        self._rendered = {e.id: (keys[e.id], pages[e.page_path]) for e in kb.sops}
        handed = {path: (page.content, page.lifted.packed) for path, page in pages.items()}
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
            f"sopkb: {count(len(changed), 'source')} saved: {count(len(remade), 'page')} and "
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
            try:
                quick = self.quick_save()
            except Exception as exc:  # noqa: BLE001 - whatever it is, the full build meets and reports it
                log.debug(f"sopkb: a quick save failed ({exc!r}); building the whole site")
                quick = False
            if not quick:
                full_build()

        server.builder = build
        project = self.project
        folders = [project.sops_dir, project.quizzes_dir, project.paths_dir, project.templates_dir]
        rebuild = asks_rebuild(server)
        if rebuild is not None:  # seen at once (`source_watch.py`); MkDocs watches docs/ and mkdocs.yml
            config_file = Path(config.config_file_path)

            def stamps() -> dict[str, quick_save.Stamp]:
                top = [project.root / name for name in os.listdir(project.root)]
                mine = [p for p in top if p.is_file() and p != config_file]
                return quick_save.snapshot([f for f in folders if f.is_dir()], mine)

            self._watch = SourceWatch(stamps, rebuild)
            self._watch.start([str(f) for f in folders if f.is_dir()], str(project.root))
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


def release_content(page) -> None:  # noqa: ANN001 - MkDocs' Page
    """A generated page's HTML is not needed once its output is made (MkDocs keeps every page, with
    its content, to the end of the build: most of a big KB's memory). Its title stays as it was."""
    if page.file.generated_by == "sopkb":
        page.content = ""


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
