"""Where a KB keeps its sources. One object so the CLI, the plugin and tests agree on paths."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.exceptions import ConfigurationError
from mkdocs.utils import yaml_load

from ..core.errors import shown_path
from ..loading.source_files import SourceFiles, walk_sources


@dataclass(frozen=True)
class Project:
    root: Path
    sops_dir: Path
    quizzes_dir: Path
    templates_dir: Path
    paths_dir: Path
    docs_dir: Path  # MkDocs' `docs_dir`: hand-written pages, which must not take a generated page's address
    history: bool = False  # read the SOPs' earlier versions from git (the plugin's `history`, on by default)

    @classmethod
    def at(
        cls,
        root: Path,
        sops: str = "sops",
        quizzes: str = "quizzes",
        templates: str = "site_templates",
        paths: str = "paths",
        docs: str = "docs",
    ) -> Project:
        root = root.resolve()
        return cls(root, root / sops, root / quizzes, root / templates, root / paths, root / docs)

    @classmethod
    def configured(cls, root: Path, options: Any, docs_dir: str) -> Project:
        """As a KB's mkdocs.yml says: the sopkb plugin's folder options and MkDocs' `docs_dir`."""
        project = cls.at(
            root, options.sops_dir, options.quizzes_dir, options.templates_dir, options.paths_dir, docs_dir
        )
        return dataclasses.replace(project, history=bool(getattr(options, "history", True)))

    def folders(self) -> dict[str, Path]:
        """The KB's own folders by what authors call them: a build or an output written into one
        of them would overwrite sources (or be read as one)."""
        return {
            "the SOPs folder": self.sops_dir,
            "the quizzes folder": self.quizzes_dir,
            "the learning paths folder": self.paths_dir,
            "the templates folder": self.templates_dir,
            "the docs folder": self.docs_dir,
        }

    @property
    def synonyms_file(self) -> Path:
        """Optional: the KB's own search synonyms, added to the built-in ones."""
        return self.root / "synonyms.yaml"

    def scan_sources(self, folder: Path) -> SourceFiles:
        """Every `*.yaml`/`*.yml` regular file under `folder`, each once, in path order; links
        leading outside the KB, broken links, pipes and devices are refused as located problems."""
        return walk_sources(folder, self.root, self.display)

    def display(self, path: Path) -> str:
        """The path as authors type it: relative to where they stand when inside it, else absolute."""
        return shown_path(str(path))


def ensure_docs_dir(config_file: Path) -> None:
    """MkDocs refuses to start without its `docs_dir`, but a KB rarely has hand-written pages,
    and git keeps no empty folder: a KB freshly cloned from its repository has no `docs/`."""
    try:
        with config_file.open("rb") as stream:
            raw = yaml_load(stream)
    except (OSError, ConfigurationError):
        return  # load_config reports it
    docs = config_file.parent / str(raw.get("docs_dir") or "docs") if isinstance(raw, dict) else None
    if docs is not None and not docs.exists():
        try:
            docs.mkdir(parents=True)
        except OSError:
            return  # load_config reports the missing folder
