"""Practice derived from an SOP's own structure, so every SOP has a drill before anyone writes a quiz.

Three scenarios, each built from the flow graph: put the key steps in order; what comes next after
a step; where each decision's answer leads. Choices are picked deterministically, so builds are
reproducible; the learner's page shuffles them. Steps are named by their titles only: "Step 7"
beside a choice would give away the order the drill asks about.
"""

from __future__ import annotations

from ..models.base import construct
from ..models.quiz import Quiz, Scenario
from ..models.sop import Sop
from .flow import Destination, Flow
from .question_kinds import KINDS
from .quiz_identity import drill_id

MAX_ORDER_ITEMS = 6
MAX_NEXT_QUESTIONS = 3
MAX_DECISION_QUESTIONS = 4


def drill_for(sop: Sop, flow: Flow, titles: dict[str, str]) -> Quiz | None:
    """`titles` maps other SOP ids to titles, for branches that hand off to another SOP."""
    label = {s.id: s.title for s in sop.all_steps()}
    scenarios = [
        sc for sc in (_order(sop, label), _next(sop, flow, label), _decisions(sop, label, titles)) if sc
    ]
    if not scenarios:
        return None
    return _construct(
        {
            "id": drill_id(sop.id),
            "title": f"Drill: {(sop.title)}",
            "sop": sop.id,
            "pass_mark": 80,
            "summary": "Practice generated from the SOP itself: step order, what comes next, "
            "and where each answer leads.",
            "scenarios": scenarios,
        }
    )


def _distinct(steps: list, label: dict[str, str]) -> list:
    """Steps a learner can tell apart: of two steps with the same title, only the first."""
    seen: set[str] = set()
    out = []
    for step in steps:
        title = label[step.id].casefold()
        if title not in seen:
            seen.add(title)
            out.append(step)
    return out


def _order(sop: Sop, label: dict[str, str]) -> dict | None:
    flow_steps = _distinct(sop.all_sections()[0].steps, label)
    key = [s for s in flow_steps if s.key]
    chosen = key if 3 <= len(key) <= MAX_ORDER_ITEMS else _spread(flow_steps, MAX_ORDER_ITEMS)
    if len(chosen) < 3:
        return None
    return {
        "id": "order",
        "title": "Step order",
        "situation": "A call is under way. Put these steps in the order the SOP follows.",
        "questions": [
            {
                "id": "order-steps",
                "kind": "order",
                "prompt": "Put these steps in the SOP's order.",
                "items": [s.id for s in chosen],
                "steps": [s.id for s in chosen],
                "explanation": "The order: " + "; ".join(label[s.id] for s in chosen) + ".",
            }
        ],
    }


def _spread(items: list, count: int) -> list:
    if len(items) <= count:
        return list(items)
    return [items[round(i * (len(items) - 1) / (count - 1))] for i in range(count)]


def _next(sop: Sop, flow: Flow, label: dict[str, str]) -> dict | None:
    steps = sop.all_steps()
    ids = [s.id for s in steps]
    position = {step_id: i for i, step_id in enumerate(ids)}
    candidates = []
    for step in steps:
        edges = flow.edges.get(step.id, [])
        if step.decision is None and len(edges) == 1 and edges[0].target.kind == "step":
            candidates.append((step.id, edges[0].target.step))
    questions = []
    for source, target in _spread(candidates, MAX_NEXT_QUESTIONS):
        options = [target, *_nearest(ids, position[target], {source, target}, label, count=3)]
        if len(options) < 2 or label[source].casefold() == label[target].casefold():
            continue
        questions.append(
            {
                "id": f"next-{source}",
                "kind": "single",
                "steps": [source, target],
                "prompt": f"You have just finished “{label[source]}”. What comes next?",
                "choices": [
                    {
                        "text": label[o],
                        "correct": o == target,
                        "feedback": f"Yes: after “{label[source]}” comes “{label[target]}”."
                        if o == target
                        else f"Not yet: after “{label[source]}” comes “{label[target]}”.",
                    }
                    for o in sorted(options, key=position.__getitem__)
                ],
            }
        )
    if not questions:
        return None
    return {
        "id": "next",
        "title": "What comes next",
        "situation": "You are partway through a call and have just finished a step.",
        "questions": questions,
    }


def _nearest(ids: list[str], at: int, skip: set[str], label: dict[str, str], count: int) -> list[str]:
    """Up to `count` steps closest to position `at` with titles unlike each other: the likeliest
    wrong answers to "what comes next". Walks outwards, so a 5,000-step SOP costs a few steps."""
    found: list[str] = []
    titles = {label[ids[at]].casefold()}  # the right answer's title: a look-alike would be a trick
    for distance in range(1, len(ids)):
        for i in (at - distance, at + distance):
            if 0 <= i < len(ids) and ids[i] not in skip and label[ids[i]].casefold() not in titles:
                found.append(ids[i])
                titles.add(label[ids[i]].casefold())
        if len(found) >= count:
            break
    return found[:count]


def _decisions(sop: Sop, label: dict[str, str], titles: dict[str, str]) -> dict | None:
    questions = []
    external = {e.id: e.title for e in sop.external}
    decisions = [s for s in sop.all_steps() if s.decision is not None]
    for n, step in enumerate(decisions[:MAX_DECISION_QUESTIONS]):
        branches = step.decision.branches
        asked = branches[n % len(branches)]
        options: dict[str, str] = {}
        for branch in branches:
            options.setdefault(
                _target_label(Destination.parse(branch.goto), label, titles, external), branch.goto
            )
        if len(options) < 2:
            continue
        right = _target_label(Destination.parse(asked.goto), label, titles, external)
        questions.append(
            {
                "id": f"branch-{step.id}",
                "kind": "single",
                "steps": [step.id],
                "prompt": f"At “{label[step.id]}” you ask: “{step.decision.question}” "
                f"The answer is “{asked.answer}”. What does the SOP say to do next?",
                "choices": [
                    {
                        "text": text,
                        "correct": text == right,
                        "feedback": f"Yes: if {(asked.answer)}, {right[0].lower() + right[1:]}."
                        if text == right
                        else f"That is where a different answer leads. If {(asked.answer)}: {right}.",
                    }
                    for text in options
                ],
            }
        )
    if not questions:
        return None
    return {
        "id": "decisions",
        "title": "Which branch fits",
        "situation": "The customer has just answered a question the SOP asks.",
        "questions": questions,
    }


def _target_label(
    target: Destination, label: dict[str, str], titles: dict[str, str], external: dict[str, str]
) -> str:
    if target.kind == "end":
        return "End the procedure"
    if target.kind == "external":
        return f"Follow the external procedure “{external.get(target.external or '', target.external)}”"
    if target.kind == "sop":
        return f"Continue with the SOP “{(titles.get(target.sop or '', target.sop or ''))}”"
    return f"Go to “{label[target.step or '']}”"


def _construct(data: dict) -> Quiz:
    """Build without re-validating: drills are generated here, and tests run every drill through
    the same checks as authored quizzes. Validating 1,000 drills would cost half a second."""
    scenarios = []
    for scenario in data["scenarios"]:
        questions = [KINDS[q["kind"]].construct(q) for q in scenario["questions"]]
        scenarios.append(construct(Scenario, **{**scenario, "questions": questions}))
    return construct(Quiz, **{**data, "scenarios": scenarios})
