"""The receipt checksum, computed exactly as pure/checksum.js computes it in the browser.

Canonical JSON: keys sorted, no spaces, non-ASCII kept as UTF-8. It detects a receipt changed
after it was issued (by hand, or by a tool that does not recompute it); it cannot stop someone
who recomputes it, because the recipe is in the site. The re-scoring is what checks the scores.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def checksum(receipt: dict[str, Any]) -> str:
    body = {k: v for k, v in receipt.items() if k != "checksum"}
    return "sha256:" + hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()


def assignment_id(spec: dict[str, Any]) -> str:
    """The id the browser gives an assignment: its spec (without the id) hashed."""
    body = {k: v for k, v in spec.items() if k != "id"}
    return hashlib.sha256(canonical(body).encode("utf-8")).hexdigest()[:12]
