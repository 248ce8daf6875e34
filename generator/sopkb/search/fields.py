"""What an agent's query is matched against, per SOP, and how much each part counts.

Read from the model, not from the rendered page: the page's layout can change without
changing what search finds, and fields are known exactly instead of guessed from headings.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..models.content import Callout, Message, Table
from ..models.sop import Sop

WEIGHTS = {
    "keywords": 8.0,  # the customers' and agents' own phrasings: the strongest signal there is
    "title": 6.0,
    "summary": 4.0,
    "tags": 3.0,
    "headings": 2.5,  # step and section titles, decision questions, branch answers; the titles of
    # callouts and messages, message subjects, table captions and column names
    "body": 1.0,
}

_NOT_TEXT = {
    "id",
    "goto",
    "next",
    "call",
    "timeout",
    "url",
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
    "order",  # part names (`say`, `tables`): words of the format, not of the procedure
    "kind",  # a callout's kind: `internal` or `warning` says nothing about the subject
}
"""Fields that are identifiers, dates or care metadata (and review notes, which are about the
source, not the procedure): never matched against what a customer says."""


def sop_fields(sop: Sop) -> dict[str, list[str]]:
    headings: list[str] = []
    for section in sop.sections or []:
        headings.append(section.title)
    headings += _content_headings(sop.callouts, sop.messages, [])
    for step in sop.all_steps():
        headings.append(step.title)
        if step.decision:
            headings.append(step.decision.question)
            headings += [b.answer for b in step.decision.branches]
        headings += _content_headings(step.callouts, step.messages, step.tables)
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


def _content_headings(callouts: list[Callout], messages: list[Message], tables: list[Table]) -> list[str]:
    """What names a callout, message or table (their text, bodies and cells are body text,
    internal callouts too: an agent searches by what they read, not only by what they say)."""
    out = [c.title for c in callouts if c.title]
    for message in messages:
        out += [text for text in (message.title, message.subject) if text]
    for table in tables:
        out += [table.caption, *table.columns] if table.caption else table.columns
    return out


_HEADING_KEYS = ("title", "question", "answer", "subject", "caption", "columns")


def _strings(value: Any, headings_to_skip: set[str], key: str = "") -> Iterator[str]:
    if key in _NOT_TEXT:
        return
    if isinstance(value, str):
        if key not in _HEADING_KEYS or value not in headings_to_skip:
            yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, headings_to_skip, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, headings_to_skip, key)
