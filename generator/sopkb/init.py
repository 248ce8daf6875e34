"""`sopkb init DIR`: a new KB that builds as it is, with one small example of each source kind.

Everything a KB needs that is empty or hidden (the `docs/` folder, `.gitignore`, the editor
settings) is made here in code, not shipped as template files: packaging tools and archives
drop empty folders and dotfiles, and a KB must not depend on them surviving.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .core.errors import ProjectError
from .core.resources import init_template
from .models.json_schema import MODELS, schema_text

GITIGNORE = """\
# Built by sopkb: publish site/ on a web server, keep only the sources in git.
site/
.site-*/
.site.build-lock
report/
export/
"""

SOURCE_FOLDERS = {"sop": "sops", "quiz": "quizzes", "path": "paths"}


def create_kb(directory: Path) -> Path:
    directory = directory.resolve()
    if (directory / "mkdocs.yml").exists():
        raise ProjectError(f"{directory}: already holds a mkdocs.yml; choose an empty folder")
    if directory.exists() and not directory.is_dir():
        raise ProjectError(f"{directory}: exists and is not a folder")
    try:
        _write_kb(directory)
    except OSError as exc:
        raise ProjectError(f"cannot create a KB in {directory}: {exc.strerror}") from None
    return directory


def _write_kb(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copytree(init_template(), directory, dirs_exist_ok=True)
    (directory / "docs").mkdir(exist_ok=True)  # MkDocs needs it; hand-written pages may go there
    (directory / "schemas").mkdir(exist_ok=True)
    for kind in MODELS:
        (directory / "schemas" / f"{kind}.schema.json").write_text(schema_text(kind), encoding="utf-8")
    if not (directory / ".gitignore").exists():
        (directory / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    _editor_settings(directory)


def _editor_settings(directory: Path) -> None:
    """VS Code's YAML extension checks every source against its schema, in sub-folders too (the
    `$schema` line at the top of each example only works at the depth it was written for)."""
    settings = directory / ".vscode" / "settings.json"
    if settings.exists():
        return
    schemas = {
        f"./schemas/{kind}.schema.json": [f"{folder}/**/*.yaml", f"{folder}/**/*.yml"]
        for kind, folder in SOURCE_FOLDERS.items()
    }
    schemas["./schemas/synonyms.schema.json"] = ["synonyms.yaml"]
    settings.parent.mkdir(exist_ok=True)
    settings.write_text(json.dumps({"yaml.schemas": schemas}, indent=2) + "\n", encoding="utf-8")
