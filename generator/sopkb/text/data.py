"""Data the build hands to the browser: compact JSON, one spelling everywhere."""

from __future__ import annotations

import json
from typing import Any


def to_json(data: Any) -> str:
    """Plain text on purpose: the template's autoescaping makes it safe element content."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
