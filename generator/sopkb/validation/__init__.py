"""Checks that turn source documents into models, or into located problems: schema, references, flow."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from typing import Any

from ..core.errors import Problem
from ..loading.document import Document


def duplicate_ids(sources: list[tuple[str, Document]], kind: str) -> list[Problem]:
    """One problem per source whose `id` an earlier source already uses; the first one counts."""
    first: dict[str, str] = {}
    problems = []
    for source_id, doc in sources:
        if source_id in first:
            problems.append(
                doc.problem(
                    ("id",), f"duplicate {kind} id {source_id!r} (already used in {first[source_id]})"
                )
            )
        first.setdefault(source_id, doc.file)
    return problems


def once_per_document(doc: Document, name: str, check: Callable[[], Any]) -> Any:
    """What a check of one source alone found, worked out once per document: `sopkb serve` keeps
    an unchanged source's document, so a save checks again only the sources it changed."""
    if name not in doc.worked_out:
        doc.worked_out[name] = check()
    return doc.worked_out[name]


LISTED = 12  # choices named in full; past this, the closest to what was written


def one_of(choices: Sequence[str], written: str = "") -> str:
    """The choices for `expected one of: …`, one readable line however big the KB: a KB of 10,000
    SOPs would otherwise print 10,000 ids for one typo. Past `LISTED` choices, the ones closest
    to what was written come first, then how many others there are."""
    if len(choices) <= LISTED:
        return ", ".join(choices)
    close = difflib.get_close_matches(written, choices, n=LISTED // 2, cutoff=0.5)
    shown = close or list(choices[: LISTED // 2])
    return f"{', '.join(shown)} … ({len(choices) - len(shown):,} others)"
