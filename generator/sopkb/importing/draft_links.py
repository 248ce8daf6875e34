"""The other procedures a draft names: those in the knowledge base become `related` (or a step's
call or hand-over, by the targets), those that are not become `external`, with a review note to
say where to find each.
"""

from __future__ import annotations

from collections.abc import Iterator

from .fields import KnownSop, linked
from .step_draft import StepDraft


def references(steps: list[StepDraft], known: list[KnownSop]) -> dict:
    """Per step and per answer (by identity), the procedures it names, to call or hand over to
    (`follow …`) or to relate (`see …`)."""
    refs = {id(step): linked(step.texts, known) for step in steps}
    for step in steps:
        for branch in step.branches:
            refs[id(branch)] = linked(list(_texts_of(branch.do)), known)
    return refs


def _texts_of(items: list) -> Iterator[str]:
    for item in items:
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            yield str(item.get("text", ""))
            yield from _texts_of(item.get("items", []))


def add_links(data: dict, refs: dict, review: list[str]) -> None:
    """`related` and `external` from what the steps name, each procedure once."""
    related, external = {}, {}
    for found in refs.values():
        for words, kind, ref_id, title in found:
            if kind == "sop":
                related.setdefault(ref_id, {"sop": ref_id, "why": f"The source says: “{words}”."})
            else:
                external.setdefault(ref_id, {"id": ref_id, "title": title})
    if related:
        data["related"] = list(related.values())
    if external:
        data["external"] = list(external.values())
        review.append(
            "Procedures the source names that are not in the KB are listed under `external`: add where "
            "to find each (url or identifier), or import them."
        )
