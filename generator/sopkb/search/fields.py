"""What an agent's query is matched against, per SOP, and how much each part counts.

Read from the model, not from the rendered page: the page's layout can change without
changing what search finds, and fields are known exactly instead of guessed from headings.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..models.sop import Sop

WEIGHTS = {
    "keywords": 8.0,  # the customers' and agents' own phrasings: the strongest signal there is
    "title": 6.0,
    "summary": 4.0,
    "tags": 3.0,
    "headings": 2.5,  # step and section titles, decision questions, branch answers
    "body": 1.0,
}

_NOT_TEXT = {
    "id",
    "goto",
    "next",
    "status",
    "owner",
    "version",
    "effective",
    "review_by",
    "channel",  # a message's channel: "email" or "sms" is no customer's problem
    "duration",  # "2 minutes": a wait's `until` and a limit's `what` carry what it is about
    "source",
    "number",
    "key",
    "step",
    "speaker",
    "sop",
    "review",
}
"""Fields that are identifiers, dates or care metadata (and review notes, which are about the
source, not the procedure): never matched against what a customer says."""


def sop_fields(sop: Sop) -> dict[str, list[str]]:
    headings: list[str] = []
    for section in sop.sections or []:
        headings.append(section.title)
    for step in sop.all_steps():
        headings.append(step.title)
        if step.decision:
            headings.append(step.decision.question)
            headings += [b.answer for b in step.decision.branches]
    exclude = {"title", "summary", "keywords", "tags", "category"}
    body = list(_strings(sop.model_dump(exclude=exclude, warnings=False), headings_to_skip=set(headings)))
    return {
        "keywords": list(sop.keywords),
        "title": [sop.title],
        "summary": [sop.summary],
        "tags": [*sop.tags, sop.category],
        "headings": headings,
        "body": body,
    }


def _strings(value: Any, headings_to_skip: set[str], key: str = "") -> Iterator[str]:
    if key in _NOT_TEXT:
        return
    if isinstance(value, str):
        if key not in ("title", "question", "answer") or value not in headings_to_skip:
            yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, headings_to_skip, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, headings_to_skip, key)
