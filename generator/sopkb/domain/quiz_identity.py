"""Who a quiz is: drill ids derived from SOP ids, and the fingerprint receipts are checked against.

Receipts, learning data, exports and pages all name quizzes by these, so they live below every
one of them.
"""

from __future__ import annotations

import hashlib

from ..models.quiz import Quiz

DRILL_PREFIX = "drill-"
"""Ids starting with this are kept for the drills generated from each SOP's flow."""


def drill_id(sop_id: str) -> str:
    return f"{DRILL_PREFIX}{sop_id}"


def fingerprint(quiz: Quiz) -> str:
    """Changes whenever anything that affects scoring or feedback changes."""
    return hashlib.sha256(quiz.model_dump_json().encode()).hexdigest()[:16]
