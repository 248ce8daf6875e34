"""Build a KB's site so that a failure never damages the site that is already there.

MkDocs cleans `site_dir` before it writes; if a build then fails, the old site is gone. Here
MkDocs writes into a fresh staging folder, and only a complete build replaces the old site
(`site_swap` publishes it, also on mount points, one build at a time), so readers never see a
half-written or missing site.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError

from ..core.collector import alive_until_done, collector_paused
from ..core.console import Progress
from ..core.errors import ProjectError, SourceErrors
from ..domain.project import Project, ensure_docs_dir
from ..pipeline import load_knowledge_base
from .mkdocs_plugin import SopkbPlugin, SourcesInvalid
from .page_cache import PageCache, code_in_use, quiet_dirty_warning
from .site_swap import Layout, staged_site
from .site_target import check_target
from .source_cache import SourceCache

log = logging.getLogger("sopkb")
PARALLEL_FROM = 200  # SOPs; below this, starting worker processes costs more than it saves


@dataclass
class BuildResult:
    site_dir: Path
    sops: int
    pages: int
    seconds: float


def load_project_config(project_dir: Path, **overrides: object) -> MkDocsConfig:
    config_file = project_dir / "mkdocs.yml"
    if not config_file.is_file():
        raise ProjectError(f"{project_dir}: no mkdocs.yml here (create a KB with `sopkb init {project_dir}`)")
    try:
        ensure_docs_dir(config_file)
        config = load_config(config_file=str(config_file), **overrides)
    except ConfigurationError as exc:
        raise ProjectError(f"{config_file}: {exc}") from None
    except RecursionError:  # `INHERIT:` of itself, or of a file that inherits it; nesting too deep
        raise ProjectError(f"{config_file}: nested too deep (does an INHERIT: file inherit it?)") from None
    except (TypeError, ValueError, AttributeError) as exc:  # an INHERIT: file that is no mapping
        raise ProjectError(f"{config_file}: cannot be read as MkDocs' configuration ({exc})") from None
    if not isinstance(config.plugins.get("sopkb"), SopkbPlugin):
        raise ProjectError(f"{config_file}: the sopkb plugin is not enabled (add `- sopkb` under `plugins:`)")
    return config


def plugin_of(config: MkDocsConfig) -> SopkbPlugin:
    return config.plugins["sopkb"]  # type: ignore[return-value]


def project_of(project_dir: Path, config: MkDocsConfig | None = None) -> Project:
    """The KB's source folders, as its mkdocs.yml configures the plugin, and MkDocs' `docs_dir`."""
    config = config or load_project_config(project_dir)
    return Project.configured(project_dir, plugin_of(config).config, config.docs_dir)


def build_site(project_dir: Path, site_dir: Path | None = None, *, strict: bool = False) -> BuildResult:
    started = time.monotonic()
    config = load_project_config(project_dir)
    code = code_in_use(config)  # read as loaded: a hook saved during the build is the next build's
    target = (site_dir or Path(config.site_dir)).resolve()
    plugin = plugin_of(config)
    config.plugins.on_startup(command="build", dirty=True)  # as `mkdocs build` does: a fresh plugin
    project = project_of(project_dir, config)
    check_target(target, project)  # never replace the KB, its sources, or a folder that is no site
    kept = Layout.of(target).page_cache
    memo = SourceCache(kept) if kept else None  # sources read and checked alone by an earlier build
    if memo is not None:  # written beside MkDocs' work (`site_files.py`)
        memo.deferred = True
    with collector_paused():
        try:
            kb = load_knowledge_base(project, strict=strict, memo=memo)  # SourceErrors: site untouched
        except SourceErrors:
            if memo is not None:  # the sources without a problem of their own are kept all the same
                memo.write()
            raise
    plugin.use_knowledge_base(kb)
    plugin.source_cache = memo
    plugin.render_jobs = min(os.cpu_count() or 1, 4) if len(kb.sops) >= PARALLEL_FROM else 1
    plugin.page_cache = PageCache(kept, code) if kept else None
    plugin.fresh_site = True  # the staging folder below
    plugin.published_site = target
    plugin.progress = Progress.on_terminal()
    # published only if MkDocs completes (OSErrors: ProjectError); the KB lives to the end of the
    # build, so no collection need walk it
    with staged_site(target) as staging, alive_until_done():
        config.site_dir = str(staging)
        try:
            with quiet_dirty_warning():  # dirty: pages kept from the last build are not built again
                mkdocs_build(config, dirty=True)  # the plugin leaves the marker of a site sopkb built
        except SourcesInvalid as exc:  # MkDocs' wrapper for our own report: callers see only ours
            raise exc.errors from None
        finally:
            plugin.abandon()  # if the build failed, or was interrupted: nothing goes on writing
            plugin.progress.done()  # an error is printed next: on a line of its own
    sops = len(plugin.kb.sops) if plugin.kb else 0
    return BuildResult(target, sops, plugin.page_count, time.monotonic() - started)
