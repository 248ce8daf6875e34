"""`sopkb init DIR`: a new KB that builds as it is, with one small example of each source kind."""

from __future__ import annotations

import shutil
from importlib.resources import files
from pathlib import Path

from .errors import ProjectError
from .json_schema import MODELS, schema_text

TEMPLATE = Path(str(files("sopkb") / "init_template"))


def create_kb(directory: Path) -> Path:
    directory = directory.resolve()
    if (directory / "mkdocs.yml").exists():
        raise ProjectError(f"{directory}: already holds a mkdocs.yml; choose an empty folder")
    if directory.exists() and not directory.is_dir():
        raise ProjectError(f"{directory}: exists and is not a folder")
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copytree(TEMPLATE, directory, dirs_exist_ok=True)
    (directory / "schemas").mkdir(exist_ok=True)
    for kind in MODELS:
        (directory / "schemas" / f"{kind}.schema.json").write_text(schema_text(kind), encoding="utf-8")
    return directory
