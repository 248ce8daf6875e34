"""The JSON Schema editors use (via `# yaml-language-server: $schema=…`) to autocomplete SOP files.

Generated from the same models the validator uses, so the editor and `sopkb validate` agree;
a test fails when the committed file is out of date (regenerate with `sopkb schema --output …`).
"""

from __future__ import annotations

import json
from pathlib import Path

from .models.sop import Sop

SOP_SCHEMA_PATH = Path(__file__).parent / "schemas" / "sop.schema.json"


def sop_schema() -> dict:
    schema = Sop.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "sopkb SOP"
    return schema


def sop_schema_text() -> str:
    return json.dumps(sop_schema(), indent=2, ensure_ascii=False) + "\n"
