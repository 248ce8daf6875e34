"""Seeded random SOPs that stress the flowchart: 2–5 branches, loops back and to the same step,
jumps ahead, ends, other SOPs and outside procedures, calls, waits with timeouts, several starts,
actors, sections, long labels and titles, long unbroken words and wide glyphs.

Shared by the geometry tests and bench/flowchart_bench.py. The same seed gives the same SOP.
"""

from __future__ import annotations

import random

from sopkb.domain.flow import build_flow
from sopkb.models.sop import Sop
from sopkb.render.flowchart import Changed, layout
from sopkb.render.flowchart_shapes import Chart

WORDS = (
    "customer agent refund order package verify identity transfer supervisor tier escalate wait "
    "answer callback case record address delivery driver account billing dispute agrees refuses"
).split()
ODD = [
    "x" * 70,
    "Supercalifragilisticexpialidociousnessofthewholeprocedure",
    "配送状況を確認してください 顧客",
    "العميل يرفض الانتظار",
    'Say "hi" & <b>bye</b>',
    "A --> B [x] (y) {z}",
]
OTHER_SOPS = {"other": ("../other/", "Another SOP with a rather long title about parcels")}


def _text(rng: random.Random, lo: int, hi: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    if rng.random() < 0.12:
        words.insert(rng.randrange(len(words) + 1), rng.choice(ODD))
    return " ".join(words).capitalize() or "Step"


def _goto(rng: random.Random, ids: list[str], here: int) -> str:
    roll = rng.random()
    if roll < 0.12:
        return "end"
    if roll < 0.2:
        return rng.choice(["sop:other", "sop:other#first"])
    if roll < 0.26:
        return "ext:billing"
    if roll < 0.36:
        return ids[here]  # to itself
    return rng.choice(ids)


def _step(rng: random.Random, ids: list[str], k: int) -> dict:
    step: dict = {"id": ids[k], "title": _text(rng, 1, 14)}
    if rng.random() < 0.25:
        step["actor"] = _text(rng, 1, 4)
    roll = rng.random()
    if roll < 0.5:
        branches = [
            {"answer": _text(rng, 1, 12), "goto": _goto(rng, ids, k)} for _ in range(rng.randint(2, 5))
        ]
        step["decision"] = {"question": _text(rng, 2, 16) + "?", "branches": branches}
    elif roll < 0.65:
        step["next"] = _goto(rng, ids, k)
    if rng.random() < 0.15:
        step["call"] = rng.choice(["sop:other", "ext:billing"])
    if rng.random() < 0.15:
        step["wait"] = {
            "duration": rng.choice(["30 seconds", "2 minutes", "3 business days"]),
            "until": _text(rng, 2, 6),
        }
        if rng.random() < 0.7:
            step["wait"]["timeout"] = _goto(rng, ids, k)
    return step


def random_sop(seed: int, n_steps: int | None = None) -> Sop:
    rng = random.Random(seed)
    n = n_steps or rng.randint(1, 20)
    ids = [f"s{k}" for k in range(n)]
    steps = [_step(rng, ids, k) for k in range(n)]
    data: dict = {
        "id": f"random-{seed}",
        "title": _text(rng, 2, 20),
        "summary": "s",
        "category": "c",
        "status": "draft",
        "owner": "o",
        "version": "1",
        "effective": "2026-01-01",
        "review_by": "2099-01-01",
        "source": "s",
        "objective": "o",
        "external": [{"id": "billing", "title": _text(rng, 2, 9), "identifier": "KB-1234"}],
    }
    if rng.random() < 0.25:
        data["starts"] = [
            {"when": _text(rng, 1, 6), "step": rng.choice(ids)} for _ in range(rng.randint(1, 3))
        ]
    if rng.random() < 0.3 and n > 1:
        cuts = sorted(rng.sample(range(1, n), min(n - 1, rng.randint(1, 3))))
        bounds = [0, *cuts, n]
        data["sections"] = [
            {"id": f"sec{i}", "title": _text(rng, 1, 8), "number": str(i + 1), "steps": steps[a:b]}
            for i, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False))
        ]
    else:
        data["steps"] = steps
    return Sop.model_validate(data)


def looping_sop(n_steps: int = 16) -> Sop:
    """A call flow of `n_steps` with a decision every other step: one answer goes on, one loops back
    two or three steps, one back to the same step, and now and then one to the end."""
    steps = []
    for k in range(n_steps):
        step: dict = {"id": f"s{k}", "title": f"Step {k + 1} of the procedure, with a realistic title"}
        if k % 2 == 1:
            branches = [
                {
                    "answer": "Yes, the customer confirms everything",
                    "goto": f"s{k + 1}" if k + 1 < n_steps else "end",
                },
                {"answer": "No, details do not match the account", "goto": f"s{max(0, k - 3)}"},
                {"answer": "Customer asks to repeat", "goto": f"s{k}"},
            ]
            if k % 4 == 3:
                branches.append({"answer": "Customer hangs up", "goto": "end"})
            step["decision"] = {
                "question": "Did the customer confirm the details asked for?",
                "branches": branches,
            }
        steps.append(step)
    data = {
        "id": "looping", "title": "Sixteen steps with loops", "summary": "s", "category": "c",
        "status": "draft", "owner": "o", "version": "1", "effective": "2026-01-01",
        "review_by": "2099-01-01", "source": "s", "objective": "o", "steps": steps,
    }  # fmt: skip
    return Sop.model_validate(data)


def chart_of(sop: Sop, marked: bool = False) -> Chart:
    """`marked`: every step carries a change mark, "New" and "Changed" in turn (the most crowded tops)."""
    kinds = ("added", "changed")
    changed = Changed("1.10", {s.id: kinds[n % 2] for n, s in enumerate(sop.all_steps())}) if marked else None
    return layout(sop, build_flow(sop), {**OTHER_SOPS, sop.id: ("", sop.title)}, changed)
