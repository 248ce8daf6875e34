"""Where a KB keeps its sources. One object so the CLI, the plugin and tests agree on paths."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Project:
    root: Path
    sops_dir: Path
    quizzes_dir: Path
    templates_dir: Path
    paths_dir: Path

    @classmethod
    def at(
        cls,
        root: Path,
        sops: str = "sops",
        quizzes: str = "quizzes",
        templates: str = "site_templates",
        paths: str = "paths",
    ) -> Project:
        root = root.resolve()
        return cls(root, root / sops, root / quizzes, root / templates, root / paths)

    @property
    def synonyms_file(self) -> Path:
        """Optional: the KB's own search synonyms, added to the built-in ones."""
        return self.root / "synonyms.yaml"

    def sources(self, folder: Path) -> list[Path]:
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())

    def display(self, path: Path) -> str:
        """The path as authors type it: relative to where they stand when inside it, else absolute."""
        try:
            rel = os.path.relpath(path, Path.cwd())
        except ValueError:
            return str(path)
        return str(path) if rel.startswith("..") else rel
