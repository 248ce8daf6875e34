"""Drafted steps as SOP data: ids given, "Go to Step 2" resolved to the step numbered 2 (in the
same run of numbering), every branch given a `goto`, calls to the procedures a step follows."""

from __future__ import annotations

import re

from .step_draft import BranchDraft, StepDraft, slug, unique

_CALLING = re.compile(r"^(?:follow|use|per|according to)\b", re.IGNORECASE)


def assign_ids(steps: list[StepDraft]) -> None:
    taken: set[str] = set()
    for step in steps:
        step.id = unique(slug(step.title), taken)


def steps_data(
    steps: list[StepDraft], refs: dict, first: int = 1, everything: list[StepDraft] | None = None
) -> list[dict]:
    everything = everything or steps
    return [_step(step, i, everything, refs, first + i) for i, step in enumerate(steps)]


def section_data(title: str, number: str | None, steps: list[StepDraft], refs: dict) -> dict:
    data: dict = {"id": slug(title), "title": title}
    if number:
        data["number"] = number.rstrip(".")
    data["steps"] = [_step(step, i, steps, refs, None) for i, step in enumerate(steps)]
    return data


def _step(step: StepDraft, index: int, steps: list[StepDraft], refs: dict, position: int | None) -> dict:
    data: dict = {"id": step.id, "title": step.title or "Step"}
    number = (step.number or "").rstrip(".:)").replace("Step ", "").replace("step ", "").strip()
    if number and (position is None or number != str(position)):
        data["number"] = number
    if step.actor:
        data["actor"] = step.actor
    for name in ("callouts", "do", "say", "ask", "verify", "tables", "notes"):
        values = getattr(step, name)
        if values:
            data[name] = list(dict.fromkeys(values)) if name in ("say", "ask") else values
    if step.wait:
        data["wait"] = step.wait
    if step.limit:
        data["limit"] = step.limit
    calls = [(kind, ref_id) for words, kind, ref_id, _ in refs.get(id(step), []) if _CALLING.match(words)]
    if calls and not step.branches:
        data["call"] = f"{calls[0][0]}:{calls[0][1]}"
        step.review.append("Guessed: this step follows another procedure (`call`), then goes on.")
    if len(step.branches) >= 2:
        data["decision"] = {"question": step.question or "Which applies?", "branches": []}
        answers: set[str] = set()
        for branch in step.branches:
            entry: dict = {"answer": _distinct(branch.answer or "Answer", answers)}
            if branch.do:
                entry["do"] = branch.do
            if branch.say:
                entry["say"] = list(dict.fromkeys(branch.say))
            entry["goto"] = _resolve(_handoff(branch, refs), step, index, steps, branch.review)
            if branch.review:
                entry["review"] = branch.review
            data["decision"]["branches"].append(entry)
    elif step.next:
        data["next"] = _resolve(step.next, step, index, steps, step.review)
    if step.review:
        data["review"] = list(dict.fromkeys(step.review))
    return data


def _handoff(branch: BranchDraft, refs: dict) -> str | None:
    """Where an answer goes: an answer that says to follow another procedure ("If it is unwanted,
    follow the Standard Returns SOP") continues in it, unless the source names a step to go to."""
    found = refs.get(id(branch), [])
    hands = [(kind, ref_id, words) for words, kind, ref_id, _ in found if _CALLING.match(words)]
    if not hands or branch.target not in (None, "end"):
        return branch.target
    kind, ref_id, words = hands[0]
    branch.review.append(
        f"Guessed: this answer continues in another procedure (“{words}”); if the agent comes back"
        " to this SOP afterwards, make it a step with `call` instead."
    )
    return f"{kind}:{ref_id}"


def _distinct(answer: str, taken: set[str]) -> str:
    """Answers must differ (as validation compares them, ignoring case): a repeated one gets `(2)`."""
    value, n = answer, 2
    while value.lower() in taken:
        value = f"{answer} ({n})"
        n += 1
    taken.add(value.lower())
    return value


def _resolve(
    target: str | None, step: StepDraft, index: int, steps: list[StepDraft], review: list[str]
) -> str:
    following = steps[index + 1].id if index + 1 < len(steps) else "end"
    if target is None:
        return following
    if target == "end" or target.startswith(("sop:", "ext:")):
        return target
    if target.startswith("index "):
        k = int(target.split()[1])
        return steps[k].id if 0 <= k < len(steps) else following
    wanted = target.split()[1].rstrip(".")
    same = [s for s in steps if _number(s) == wanted and s.group == step.group]
    anywhere = [s for s in steps if _number(s) == wanted]
    found = (same or anywhere or [None])[0]
    if found is None:
        review.append(
            f"The source says “{target}”, which the importer could not find; this goes on to the next step."
        )
        return following
    return found.id


def _number(step: StepDraft) -> str:
    return re.sub(r"^(?:step|stage)\s+", "", (step.number or "").lower()).rstrip(".:)-– ")
