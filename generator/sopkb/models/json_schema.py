"""The JSON Schemas editors use (via `# yaml-language-server: $schema=…`) to autocomplete sources.

Generated from the same models the validator uses, so the editor and `sopkb validate` agree;
a test fails when the committed file is out of date (regenerate with `sopkb schema --output …`).
"""

from __future__ import annotations

import json
from pathlib import Path

from .learning_path import LearningPath
from .quiz import Quiz
from .sop import Sop
from .synonyms import Synonyms

SCHEMAS = Path(__file__).parents[1] / "schemas"
MODELS = {"sop": Sop, "quiz": Quiz, "path": LearningPath, "synonyms": Synonyms}


def schema_path(kind: str) -> Path:
    return SCHEMAS / f"{kind}.schema.json"


def schema_text(kind: str) -> str:
    schema = MODELS[kind].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"sopkb {kind}"
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
