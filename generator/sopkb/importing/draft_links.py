"""The other procedures a draft names: those in the knowledge base become `related` (or a step's
call or hand-over, by the targets), those that are not become `external`, with a review note to
say where to find each.
"""

from __future__ import annotations

from .fields import KnownSop, linked
from .sentences import texts_in
from .step_draft import StepDraft


def references(steps: list[StepDraft], known: list[KnownSop]) -> dict:
    """Per step and per answer (by identity), the procedures it names, to call or hand over to
    (`follow …`) or to relate (`see …`)."""
    refs = {id(step): linked(step.texts, known) for step in steps}
    for step in steps:
        for branch in step.branches:
            refs[id(branch)] = linked(list(texts_in(branch.do)), known)
    return refs


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
