"""Checks that turn source documents into models, or into located problems: schema, references, flow."""

from __future__ import annotations

from ..errors import Problem
from ..loading.yaml_reader import Document


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
        first.setdefault(source_id, doc.path)
    return problems
