"""How steps are named to learners: "Step 2: Check eligibility" after an answer, the bare title
in a put-in-order question (where the number would give the answer away)."""

from __future__ import annotations

from ..text.markdown import plain
from .knowledge_base import KnowledgeBase


def step_labels(kb: KnowledgeBase, sop_id: str) -> dict[str, str]:
    sop = kb.by_id[sop_id].sop
    numbers = sop.step_numbers()
    return {s.id: f"Step {numbers[s.id]}: {plain(s.title)}" for s in sop.all_steps()}


def item_labels(kb: KnowledgeBase, sop_id: str) -> dict[str, str]:
    return {s.id: plain(s.title) for s in kb.by_id[sop_id].sop.all_steps()}
