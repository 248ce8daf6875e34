"""`sopkb generate OUT`: the KB as a complete docs tree (pages, assets, configuration) that any
MkDocs-compatible engine builds as it is, with no sopkb plugin.

Material for MkDocs reaches end of life in 2027 and its successor runs no MkDocs plugins, so
the plugin must not be the only way to a site: this writes the same plan the plugin applies
(`docs_tree.py`). What the plugin does beyond the plan, and what that costs an engine without
it, is in documentation/decisions/engine-neutral-output.md.

The tree is written to a staging folder and published whole, like a site: a failed run never
leaves half a tree, and the target must be new, empty or a tree this command wrote.
"""

from __future__ import annotations

import os
import shutil
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.csp import SITE_POLICY
from ..domain.project import Project
from ..pipeline import load_knowledge_base
from . import config_yaml
from .docs_tree import DocsTree, plan
from .site_build import load_project_config, project_of
from .site_swap import staged_site
from .site_target import TREE_MARKER, check_target

DOCS = "docs"
THEME = "overrides"
TREE_MARKER_TEXT = (
    "This folder is a docs tree written by `sopkb generate`. Build it with `mkdocs build` here; "
    "`sopkb generate` replaces everything in it.\n"
)


@dataclass
class GenerateResult:
    out: Path
    sops: int
    pages: int
    files: int
    seconds: float


def generate(project_dir: Path, out: Path, *, strict: bool = False) -> GenerateResult:
    started = time.monotonic()
    config = load_project_config(project_dir)
    project = project_of(project_dir, config)
    out = out.resolve()
    check_target(out, project, marker=TREE_MARKER, what="generate")
    kb = load_knowledge_base(project, strict=strict)  # SourceErrors: nothing written
    tree = plan(kb, project, site_name=config.site_name, site_url=config.site_url)
    with staged_site(out) as staging:
        files = _write_docs(staging / DOCS, project, tree, tree.search_index(kb))
        _write_theme(staging / THEME, tree, project_dir, config.theme.custom_dir)
        raw = config_yaml.load(Path(config.config_file_path).read_text(encoding="utf-8"))
        (staging / "mkdocs.yml").write_text(
            config_yaml.dump(engine_config(raw, tree, project_dir)), encoding="utf-8"
        )
        (staging / TREE_MARKER).write_text(TREE_MARKER_TEXT, encoding="utf-8")
    return GenerateResult(out, len(kb.sops), len(tree.pages), files, time.monotonic() - started)


def engine_config(raw: dict[str, Any], tree: DocsTree, project_dir: Path) -> dict[str, Any]:
    """The KB's configuration for the tree: sopkb's plugin replaced by what it would have done."""
    config = dict(raw)
    config["docs_dir"] = DOCS
    config["site_dir"] = "site"
    # With no `plugins:` key MkDocs enables its search plugin: say the list, even when empty.
    config["plugins"] = _without_sopkb(raw.get("plugins"))
    config.setdefault("nav", tree.nav)
    config["not_in_nav"] = "\n".join(filter(None, [raw.get("not_in_nav"), *tree.not_in_nav]))
    theme = raw.get("theme")
    theme = dict(theme) if isinstance(theme, dict) else {"name": theme or "material"}
    theme["custom_dir"] = THEME
    theme["font"] = False  # no web fonts from other origins
    config["theme"] = theme
    extra = dict(raw["extra"]) if isinstance(raw.get("extra"), dict) else {}
    extra.update(tree.theme_extra)
    extra["sopkb_policy"] = SITE_POLICY  # main.html puts it first in every page's <head>
    config["extra"] = extra
    if isinstance(raw.get("hooks"), list):  # relative to the KB's mkdocs.yml, which stays where it is
        config["hooks"] = [
            str((project_dir / hook).resolve()) if isinstance(hook, str) else hook for hook in raw["hooks"]
        ]
    return config


def _without_sopkb(plugins: Any) -> Any:
    if isinstance(plugins, dict):
        return {name: options for name, options in plugins.items() if name != "sopkb"}
    if isinstance(plugins, list):
        return [p for p in plugins if p != "sopkb" and not (isinstance(p, dict) and "sopkb" in p)]
    return []


def _write_docs(docs: Path, project: Project, tree: DocsTree, search_files: dict[str, str]) -> int:
    """The KB's own docs/ first; generated pages and data over it (validation has already refused
    any hand-written file at a generated address)."""
    if project.docs_dir.is_dir():
        shutil.copytree(project.docs_dir, docs, ignore=_not_regular)
    written = [(page.path, page.content) for page in tree.pages]
    written += tree.data_files + tree.sop_files
    written += list(search_files.items())
    for path, text in written:
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return len(written)


def _write_theme(theme: Path, tree: DocsTree, project_dir: Path, custom_dir: str | None) -> None:
    """One custom_dir holding every override, later folders winning: sopkb's, the KB's
    templates, then the KB's own custom_dir, the order the plugin gives MkDocs."""
    layers = list(reversed(tree.theme_dirs))
    if custom_dir:
        layers.append((project_dir / custom_dir).resolve())
    theme.mkdir(parents=True)
    for layer in layers:
        shutil.copytree(layer, theme, dirs_exist_ok=True, ignore=_not_regular)


def _not_regular(folder: str, names: list[str]) -> set[str]:
    """Pipes, sockets and devices are never copied (reading one could block forever)."""
    skipped = set()
    for name in names:
        try:
            mode = os.stat(os.path.join(folder, name)).st_mode
        except OSError:
            skipped.add(name)
            continue
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            skipped.add(name)
    return skipped
