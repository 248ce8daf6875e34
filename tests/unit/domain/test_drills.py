"""Drills generated from SOPs: always valid quizzes, right according to the SOP's own flow."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sopkb.domain.drills import drill_for
from sopkb.domain.flow import build_flow
from sopkb.domain.project import Project
from sopkb.loading.document import Document
from sopkb.models.sop import Sop
from sopkb.pipeline import load_knowledge_base
from sopkb.validation.quizzes import LoadedQuiz, check_quizzes

from tests.conftest import REPO
from tests.synthetic_kb import synthetic_sops
from tests.unit.domain import sop_data


def sops_under_test() -> list[Sop]:
    kbs = [REPO, REPO / "tests" / "fixtures" / "kb-small"]
    sops = [
        e.sop for root in kbs for e in load_knowledge_base(Project.at(root), today=dt.date(2026, 11, 23)).sops
    ]
    sops += [Sop.model_validate(json.loads(json.dumps(s))) for s in synthetic_sops(20, seed=7)]
    return sops


@pytest.mark.parametrize("sop", sops_under_test(), ids=lambda s: s.id)
def test_every_drill_passes_the_checks_authors_get(sop):
    others = {"escalation": "Escalation policy", "refund": "Refund request"}
    drill = drill_for(sop, build_flow(sop), others)
    if drill is None:
        assert len(sop.all_steps()) < 3
        return
    # constructed without validation for speed: prove it is exactly what validation would give
    assert type(drill).model_validate(drill.model_dump()) == drill
    problems = check_quizzes(
        [LoadedQuiz(drill, Document("drill", None))], {sop.id: sop}, set(), authored=False
    )
    assert [str(p) for p in problems] == []
    assert all(len(getattr(q, "choices", [1, 2])) >= 2 for q in drill.questions())


def test_branch_drill_answers_follow_the_flow():
    sop = load_knowledge_base(Project.at(REPO)).by_id["leadership-request"].sop
    drill = drill_for(sop, build_flow(sop), {})
    by_id = {q.id: q for q in drill.questions()}
    asked = by_id["branch-offer-follow-up"]  # decision n asks about branch n modulo its branch count: Agrees
    assert "The answer is “Agrees to wait”" in asked.prompt
    assert [c.text for c in asked.choices if c.correct] == [
        "Go to “Gather information based on the customer's concern”"
    ]
    assert [c.text for c in asked.choices if not c.correct] == ["Go to “Warm transfer to Phone-HO Tier 2”"]
    order = next(q for q in drill.questions() if q.kind == "order")
    steps = [s.id for s in sop.all_steps()]
    assert order.items == sorted(order.items, key=steps.index)


STEP_NUMBER = re.compile(r"\bstep\s*\d", re.IGNORECASE)


@pytest.mark.parametrize("sop", sops_under_test(), ids=lambda s: s.id)
def test_no_drill_question_gives_away_a_position(sop):
    """ "Step 7" beside a choice is the answer to "what comes next" and "put these in order"."""
    drill = drill_for(sop, build_flow(sop), {"escalation": "Escalation policy", "refund": "Refund request"})
    if drill is None:
        return
    numbers = set(sop.step_numbers().values())
    for question in drill.questions():
        shown = [question.prompt, *(c.text for c in getattr(question, "choices", []))]
        for text in shown:
            assert not STEP_NUMBER.search(text), text
        if question.kind == "order":
            titles = [s.title for s in sop.all_steps() if s.id in question.items]
            assert len({t.casefold() for t in titles}) == len(titles)  # each item can be told apart
    assert numbers  # the SOP does number its steps: the drill chose not to show them


def test_order_drill_skips_steps_a_learner_cannot_tell_apart():
    data = json.loads(json.dumps(synthetic_sops(1, seed=3)[0]))
    for step in data["steps"][:4]:
        step["title"] = "Verify the account"
    sop = Sop.model_validate(data)
    drill = drill_for(sop, build_flow(sop), {})
    order = next(q for q in drill.questions() if q.kind == "order")
    titles = [s.title for s in sop.all_steps() if s.id in order.items]
    assert titles.count("Verify the account") == 1
    for question in drill.questions():
        texts = [c.text for c in getattr(question, "choices", [])]
        assert len(set(texts)) == len(texts)


def test_a_branch_to_a_procedure_outside_the_kb_is_named_by_its_title():
    data = sop_data.sop(
        "a",
        steps=[
            sop_data.step("greet"),
            sop_data.step("check", decision=sop_data.decision(("Billing", "ext:billing"), ("Other", "done"))),
            sop_data.step("done"),
        ],
        external=[{"id": "billing", "title": "Billing SOP", "url": "https://intranet.example/billing"}],
    )
    drill = drill_for(data, build_flow(data), {})
    (asked,) = [q for q in drill.questions() if q.id == "branch-check"]
    assert [c.text for c in asked.choices] == [
        "Follow the external procedure “Billing SOP”",
        "Go to “Step done”",
    ]
