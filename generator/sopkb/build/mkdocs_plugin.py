"""The MkDocs side: a thin adapter that applies the docs-tree plan (`docs_tree.py`) in memory,
so `mkdocs build` and `mkdocs serve` work on a KB folder. `sopkb generate` writes the same plan
to disk for engines that run no MkDocs plugins.

Sources are loaded and checked in `on_config`, before MkDocs cleans the site folder, so a KB
with errors never costs the previously built site its pages. While serving, a save that breaks
a source keeps the last good version on screen with the problems listed above it: a failed
rebuild would leave every request waiting until the source is fixed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pathspec
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files

from ..core import csp
from ..core.by_identity import KeptBy
from ..core.console import Progress, count
from ..core.errors import Problem, ProjectError, SourceErrors
from ..core.parallel import Beside
from ..domain.knowledge_base import KnowledgeBase
from ..domain.project import Project
from ..loading.file_stamps import Snapshot
from ..pipeline import load_knowledge_base
from ..render.pages import Page
from ..search.term_counts import TermCounts
from ..validation.source_memo import SourceMemo
from . import quick_save
from .building import Building
from .compiled_templates import compiled_templates
from .docs_tree import DocsTree, SiteSettings, own_page_templates, plan, site_settings
from .file_store import FileStore
from .html_blocks import Lifted, LiftedPage, lift_page, pack, unpack
from .page_cache import NOT_DIRTY_WARNING, PageCache, code_in_use, files_stamp, repeatable, site_stamp
from .render_cache import RenderCache
from .save_inputs import kept_pages, rest_key
from .serving import Serving, problems_banner, stale_hand_written
from .site_files import write_site_files
from .site_target import check_target, mark
from .source_cache import SourceCache
from .source_watch import SourceWatch

log = logging.getLogger("mkdocs.plugins.sopkb")


def _site_file(config, path: str) -> str:  # noqa: ANN001
    """Where MkDocs writes the page of `path` (`use_directory_urls`)."""
    return File.generated(config, path, content="").abs_dest_path


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


class SopkbPlugin(Building, Serving, BasePlugin[SopkbConfig]):
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
        self.page_memo = KeptBy()  # while serving: listings and quiz files, by the objects they show
        self.key_memo = KeptBy()  # while serving: SOP pages' keys, by the entries and histories they read
        self._last: quick_save.LastBuild | None = None  # while serving: the last full build, for quick saves
        self._inputs: Snapshot = Snapshot()  # while serving: the sources this build reads
        self._handed: dict[str, tuple[str, bytes]] = {}  # while serving: each page as handed to MkDocs
        self._nav = None  # while serving: MkDocs' navigation, templates and files of the last build
        self._env_files = None
        self._watch: SourceWatch | None = None
        self._last_stamp = ""
        self._predicted: str | None = None  # `sopkb build`: the stamp the render workers placed pages by
        self._files_stamp = b""  # `page_cache.files_stamp` as the pages were placed
        self._beside: Beside | None = None  # `sopkb build`: the site's other files, written beside MkDocs
        self._pages_beside: Beside | None = None  # `sopkb build`: every other page, made beside MkDocs
        self._store: FileStore | None = None  # `sopkb build`: the files it links into its new site
        self.published_site: Path | None = None  # `sopkb build`: the site its new one replaces
        self.source_cache: SourceCache | None = None  # `sopkb build`: its reading, to write beside MkDocs
        self.fresh_site = False  # `sopkb build`: MkDocs writes into a new folder it does not clean
        self.progress = Progress(False)  # `sopkb build` shows it on a terminal
        self._writing = [0, 0]  # pages written, pages MkDocs builds this time
        self._to_keep: list[tuple[str, Path]] = []  # pages MkDocs writes this build, to keep
        self.term_counts = TermCounts()  # each SOP's search terms, for the next save (or build: on disk)
        self._page_keys: dict[str, str] = {}

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
            folder = Path(f"{config.site_dir}-page-cache")
            with contextlib.suppress(OSError):  # one made first by another user is never used
                folder.mkdir(mode=0o700)  # private, as MkDocs' own temporary site is
            self.page_cache = PageCache(folder, code_in_use(config))
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
        settings = site_settings(self.kb, self.project)
        self._configure(config, settings)  # before the pages: the site's stamp is known as they render
        placer = self._placer(config)
        keys, reuse, remember = self._kept_pages(config, self.kb, placer)
        self._page_keys = keys  # `sopkb build`: what the kept search index is known by
        keep = lift_page
        if self.fresh_site:  # the site's other files from now on, beside the rendering and MkDocs
            keep, reuse = self._files_beside_from_the_start(Path(config.site_dir), reuse, placer)
        self.tree = plan(
            self.kb,
            self.project,
            site_name=config.site_name,
            site_url=config.site_url,
            jobs=self.render_jobs,
            keep=keep,
            progress=self.progress,
            reuse=reuse,
            remember=remember,
            memo=self.page_memo if self._serve_cache else None,
            learning_data=not self.fresh_site,
            settings=settings,
        )
        self.page_memo.finish()
        if self._serve_cache:  # for the next save: each SOP page with the key of what made it
            rendered = {page.path: page for page in self.tree.pages}
            self._rendered = {e.id: (keys[e.id], rendered[e.page_path]) for e in self.kb.sops}
        elif self.page_cache is not None:
            RenderCache(self.page_cache.folder).prune(set(keys.values()))
        if any(name in config.plugins for name in ("search", "material/search")):
            log.warning(
                "sopkb: Material's `search` plugin is enabled but unused (sopkb has its own search); "
                "remove it from `plugins:` in mkdocs.yml: it costs build time and a large index"
            )
        log.info(f"sopkb: {count(len(self.kb.sops), 'SOP')} rendered in {time.monotonic() - started:.2f} s")
        return config

    def _configure(self, config, settings: SiteSettings) -> None:  # noqa: ANN001
        if not config.nav:
            config.nav = settings.nav
        ours = pathspec.gitignore.GitIgnoreSpec.from_lines(settings.not_in_nav)
        config.not_in_nav = ours + config.not_in_nav if config.not_in_nav else ours
        self._install_theme(config, settings.theme_dirs)
        config.extra.update(settings.theme_extra)

    def _placer(self, config) -> Callable[[Page, bytes], bool] | None:  # noqa: ANN001
        """`sopkb build` with no other plugin (none can change the configuration after this): each
        unchanged page's kept HTML is linked into the new site as soon as its Markdown is known, by
        the stamp the site has now (`on_files` checks it is still the same): an SOP page's by the
        render worker that finds it kept, a listing's while this process would wait for them."""
        cache = self.page_cache
        self._predicted = None
        if not self.fresh_site or cache is None or set(config.plugins) != {"sopkb"} or not repeatable(config):
            return None
        cache.start(site_stamp(config, repr(self.problems), cache.code))
        self._predicted = cache.stamp

        def place(page: Page, digest: bytes) -> bool:  # a generated page, in a worker or here
            dest = Path(_site_file(config, page.path))
            return cache.place(cache.key(page.path, digest), dest) is not None

        return place

    def _kept_pages(self, config, kb: KnowledgeBase, placer=None):  # noqa: ANN001, ANN202
        """`save_inputs.kept_pages`: while serving, the last save's pages; for `sopkb build`, the
        render cache beside the site; else none. Never with page templates of the KB's own: one may
        read anything of the KB (every SOP, `site_name`), more than a page's key knows."""
        if not self._serve_cache and self.page_cache is None:
            return {}, None, None
        config_file = Path(config.config_file_path)
        last = self._rendered if self._serve_cache else None
        folder = None if self._serve_cache else self.page_cache.folder
        read = self.source_cache.read if self.source_cache is not None else None  # the bytes loaded
        rest = rest_key(self.project, config_file, read) + repr((config.site_name, config.site_url)).encode()
        if self._serve_cache:  # listings kept while nothing but SOPs changes (`render_site`'s memo)
            self.page_memo.start(rest)
        memo = self.key_memo if self._serve_cache else None
        found = kept_pages(
            kb, self.project, config_file, last=last, folder=folder, rest=rest, placer=placer, key_memo=memo
        )
        return (found[0], None, None) if own_page_templates(self.project) else found

    def _load(self) -> KnowledgeBase:
        try:
            memo = self._memo if self.serving else None
            files = self._inputs if self._serve_cache else None  # taken before the reading: `on_config`
            kb = load_knowledge_base(self.project, strict=self.config.strict, memo=memo, files=files)
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

    def _install_theme(self, config, ours: list[Path]) -> None:  # noqa: ANN001
        """Our template overrides and assets sit after the KB's own custom_dir, before Material's."""
        theme_dirs = config.theme.dirs
        position = 1 if config.theme.custom_dir else 0
        for folder in reversed([str(d) for d in ours]):
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
            self._files_stamp = files_stamp(config)
            cache.start(site_stamp(config, repr(self.problems), cache.code, self._files_stamp))
            if self._serve_cache and cache.stamp != self._last_stamp:
                stale_hand_written(files, paths)
            self._last_stamp = cache.stamp
            if self._predicted is not None and cache.stamp != self._predicted:
                pages = self._unplaced(pages, config)  # a theme or docs/ file saved during the build
        for page in pages:
            existing = files.get_file_from_path(page.path)
            if existing is not None:
                files.remove(existing)
            if cache is not None:
                key = cache.key(page.path, page.digest)
                kept = File.generated(config, page.path, abs_src_path=str(cache.file(key)))
                if page.placed:  # by a render worker (`_placer`)
                    cache.used.add(key)
                    files.append(kept)
                    continue
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
            self._handed = {page.path: page.digest for page in pages}
        for path, text in self.tree.data_files:
            files.append(File.generated(config, path, content=text))
        self._files_beside_once_cleaned(Path(config.site_dir))
        return files

    def _unplaced(self, pages: list[LiftedPage], config) -> list[LiftedPage]:  # noqa: ANN001
        """The pages placed by a stamp the site no longer has (`_placer`): taken out of the site, and
        made as any other; an SOP page whose Markdown was never read, read from the render cache."""
        entries = {entry.page_path: entry for entry in self.kb.sops}
        cache = RenderCache(self.page_cache.folder)
        out = []
        for page in pages:
            if not page.placed:
                out.append(page)
                continue
            Path(_site_file(config, page.path)).unlink(missing_ok=True)
            if page.content:  # rendered here: its Markdown is at hand
                out.append(dataclasses.replace(page, placed=False))
                continue
            entry = entries[page.path]
            again = cache.load(self._page_keys[entry.id], entry)
            if again is None:
                raise PluginError("sopkb: the build cache changed during the build; build again")
            out.append(lift_page(again))
        return out

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
        self._nav = nav
        return nav

    def on_env(self, env, *, config, files):  # noqa: ANN001, ANN201
        """MkDocs builds the pages next: those not kept from the last build, and (`sopkb build`)
        every other one in another process (`shared_pages.py`)."""
        env.bytecode_cache = compiled_templates("theme")
        kept = self.page_count - len(self._lifted)
        self._writing = [0, len(files.documentation_pages()) - kept]
        self._env_files = (env, files) if self._serve_cache else None
        self._share_pages(config, files, env)
        if not self._serve_cache:
            self._nav = None
        return env

    @event_priority(-100)
    def on_post_template(self, output_content: str, *, template_name: str, config) -> str:  # noqa: ANN001
        return csp.with_policy(output_content) if template_name.endswith(".html") else output_content

    def on_post_build(self, *, config) -> None:  # noqa: ANN001
        self.progress.done()
        mark(Path(config.site_dir))  # so the next build recognises the folder as a site it may replace
        if self._serve_cache:  # the index is kept for the next save
            index = write_site_files(
                self.kb, Path(config.site_dir), jobs=self.render_jobs, term_counts=self.term_counts,
                files=self.tree.sop_files,
            )  # fmt: skip
            self._remember_build(config, index)
        else:
            self._wait_beside()
        _warn_without_assets(Path(config.site_dir))  # every page made, here and beside
        if self.page_cache is not None:
            if files_stamp(config) != self._files_stamp:  # a template saved while the pages were made
                self._to_keep = []
            for key, written in self._to_keep:
                self.page_cache.keep(key, written)
            self.page_cache.prune()
        if self._store is not None:  # every file of the new site is linked by now
            self._store.prune()
        if self._serve_cache:
            self._forget_gone(config)


def _warn_without_assets(site_dir: Path) -> None:
    """sopkb's `theme/main.html` adds its script and stylesheet; a KB's own `main.html` written as
    Material's docs show (extending `base.html`) replaces it, and the site builds without them."""
    try:
        home = (site_dir / "index.html").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return
    if "assets/sopkb/sopkb.js" not in home:
        log.warning(
            "sopkb: the pages do not load sopkb's script and stylesheet (search, flowcharts, quizzes "
            "and progress will not work): a theme/main.html of the KB's own replaces sopkb's; start "
            "from a copy of sopkb's and keep its `styles` and `scripts` blocks"
        )


def release_content(page) -> None:  # noqa: ANN001 - MkDocs' Page
    """A generated page's HTML is not needed once its output is made (MkDocs keeps every page, with
    its content, to the end of the build: most of a big KB's memory). Its title stays as it was."""
    if page.file.generated_by == "sopkb":
        page.content = ""
