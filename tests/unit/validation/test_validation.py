"""Every author mistake is reported as path:line:col: key.path: message, all in one run."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from sopkb.core.errors import SourceErrors
from sopkb.domain.project import Project
from sopkb.pipeline import load_knowledge_base

from tests.conftest import REPO
from tests.unit.loading.test_yaml_reader import UNCLOSED

EXPECTED_INVALID = """\
quizzes/bad.yaml:1:5: id: ids starting with 'drill-' are kept for generated drills
quizzes/bad.yaml:4:12: pass_mark: must be at most 100 but received: 120
quizzes/bad.yaml:13:24: scenarios[0].questions[0].steps[1]: SOP 'broken' has no step 'nope'; expected one of: first, orphan, loop-a, loop-b
quizzes/bad.yaml:15:11: scenarios[0].questions[0].choices: a single-choice question needs exactly one correct choice; 2 marked `correct: true`
quizzes/bad.yaml:17:13: scenarios[0].questions[1].id: duplicate question id 'q1'
quizzes/bad.yaml:21:25: scenarios[0].questions[1].items[1]: the SOP has 'first' (step 1) before 'loop-a' (step 3); list the items in the SOP's order
quizzes/bad.yaml:21:32: scenarios[0].questions[1].items[2]: SOP 'broken' has no step 'ghost'; expected one of: first, orphan, loop-a, loop-b
quizzes/bad.yaml:21:39: scenarios[0].questions[1].items[3]: step 'first' is listed twice
quizzes/bad.yaml:27:11: scenarios[0].questions[2].choices: a multiple-select question needs at least one correct choice; none marked `correct: true`
quizzes/bad.yaml:28:20: scenarios[0].questions[2].choices[1].text: duplicate choice 'a'
quizzes/kinds.yaml:11:15: scenarios[0].questions[0].kind: expected one of: single, multiple, say, true-false, order but received: 'essay'
quizzes/kinds.yaml:14:9: scenarios[0].questions[1]: missing required key 'if_false'
quizzes/kinds.yaml:20:9: scenarios[0].questions[1].feedback: unknown key 'feedback'; expected one of: id, prompt, steps, explanation, kind, answer, if_true, if_false
quizzes/orphan.yaml:3:6: sop: unknown SOP 'no-such-sop'; expected one of: broken
sops/broken.yaml:5:9: status: expected one of: draft, approved, needs-review but received: 'final'
sops/broken.yaml:9:12: review_by: review date 2020-01-01 is before the effective date 2026-01-01
sops/broken.yaml:19:17: steps[0].decision.branches[0].goto: unknown step 'nowhere'; expected one of: first, orphan, loop-a, loop-b, end, sop:<sop-id>
sops/broken.yaml:21:17: steps[0].decision.branches[1].goto: unknown SOP 'missing'; expected one of: broken
sops/broken.yaml:24:9: steps[1].id: step 'orphan' is never reached: no step or branch leads to it
sops/broken.yaml:27:9: steps[2].id: step 'loop-a' leads nowhere: every path from it loops back without reaching `end`
sops/broken.yaml:30:9: steps[3].id: step 'loop-b' leads nowhere: every path from it loops back without reaching `end`
sops/broken.yaml:37:32: call_scripts[0].lines[0].step: unknown step 'ghost'; expected one of: first, orphan, loop-a, loop-b
sops/broken.yaml:39:11: related[0].sop: an SOP cannot be related to itself
sops/dupe.yaml:1:5: id: duplicate SOP id 'broken' (already used in sops/broken.yaml)
sops/dupe.yaml:15:9: steps[1].id: duplicate step id 'a'
sops/syntax.yaml:3:8: YAML syntax error: while parsing a flow sequence (started at line 2, column 8): {unclosed}
sops/typos.yaml:1:1: missing required key 'title'
sops/typos.yaml:2:1: titel: unknown key 'titel' (did you mean 'title'?); expected one of: id, title, summary, category, tags, keywords, status, owner, version, effective, review_by, source, background, objective, scope, responsibilities, callouts, starts, steps, sections, conclusion, documentation, call_scripts, messages, related, external, review, changes
sops/typos.yaml:3:10: summary: expected text but received: a list
sops/typos.yaml:8:12: effective: expected a date as YYYY-MM-DD or 'unknown' but received: '2026-02-30'
sops/typos.yaml:13:9: steps[0].id: expected lower-case words joined by hyphens (like 'greet-customer') but received: 'Bad Id'
sops/typos.yaml:16:9: steps[0].do[0]: missing required key 'items'
sops/typos.yaml:16:19: steps[0].do[0].itemz: unknown key 'itemz' (did you mean 'items'?); expected one of: text, items
Aborted with 33 errors.""".replace("{unclosed}", UNCLOSED)


def test_every_problem_in_every_file_at_once(kb_copy, monkeypatch):
    root = kb_copy("kb-invalid")
    monkeypatch.chdir(root)
    with pytest.raises(SourceErrors) as caught:
        load_knowledge_base(Project.at(root), today=dt.date(2026, 11, 23))
    assert caught.value.report() == EXPECTED_INVALID


def write_sop(root, text: str) -> None:
    (root / "sops" / "refund.yaml").write_text(text, encoding="utf-8")


def test_overdue_review_is_a_warning_then_an_error_in_strict_mode(kb_copy, monkeypatch):
    root = kb_copy("kb-small")
    monkeypatch.chdir(root)
    text = (root / "sops" / "refund.yaml").read_text()
    write_sop(root, text.replace("review_by: 2099-01-01", "review_by: 2026-06-01"))
    kb = load_knowledge_base(Project.at(root), today=dt.date(2026, 11, 23))
    assert [str(w) for w in kb.warnings] == [
        "sops/refund.yaml:11:12: warning: review_by: review date 2026-06-01 has passed; review the SOP and set a new date"
    ]
    with pytest.raises(SourceErrors) as caught:
        load_knowledge_base(Project.at(root), strict=True, today=dt.date(2026, 11, 23))
    assert caught.value.report().splitlines()[-1] == "Aborted: 1 warning in strict mode."  # the warning alone


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("    next: nothing", "", None),
        (
            "          goto: record",
            "          goto: recrod",
            "sops/refund.yaml:31:17: steps[1].decision.branches[0].goto: unknown step 'recrod'; "
            "expected one of: greet, eligible, record, end, sop:<sop-id>\n"
            "sops/refund.yaml:36:9: steps[2].id: step 'record' is never reached: no step or branch leads to it",
        ),
        (
            "          goto: sop:escalation#listen",
            "          goto: sop:escalation#nope",
            "sops/refund.yaml:33:17: steps[1].decision.branches[1].goto: SOP 'escalation' has no step 'nope'; "
            "expected one of: escalate, listen",
        ),
        (
            "  - {sop: escalation, why: The customer is not eligible.}",
            "  - {sop: escalaton}",
            "sops/refund.yaml:51:11: related[0].sop: unknown SOP 'escalaton'; expected one of: escalation, refund",
        ),
        (
            '        - answer: "No"',
            '        - answer: "yes"',
            "sops/refund.yaml:32:19: steps[1].decision.branches[1].answer: duplicate answer 'yes'",
        ),
        (
            "    key: true",
            "    key: true\n    next: record",
            "sops/refund.yaml:22:11: steps[1].next: a step with a decision goes where its branches say; remove `next`",
        ),
        (
            "status: approved",
            "status: final",
            "sops/refund.yaml:7:9: status: expected one of: draft, approved, needs-review but received: 'final'",
        ),
    ],
)
def test_single_mistakes_give_exact_messages(kb_copy, monkeypatch, old, new, expected):
    root = kb_copy("kb-small")
    monkeypatch.chdir(root)
    text = (root / "sops" / "refund.yaml").read_text()
    if expected is None:
        load_knowledge_base(Project.at(root), today=dt.date(2026, 11, 23))  # the fixture itself is valid
        return
    assert old in text
    write_sop(root, text.replace(old, new))
    with pytest.raises(SourceErrors) as caught:
        load_knowledge_base(Project.at(root), today=dt.date(2026, 11, 23))
    assert "\n".join(str(p) for p in caught.value.problems) == expected


def test_steps_and_sections_together_are_refused(kb_copy, monkeypatch):
    root = kb_copy("kb-small")
    monkeypatch.chdir(root)
    path = root / "sops" / "escalation.yaml"
    path.write_text(path.read_text() + "steps:\n  - {id: x, title: X}\n")
    with pytest.raises(SourceErrors) as caught:
        load_knowledge_base(Project.at(root), today=dt.date(2026, 11, 23))
    # refund.yaml links to escalation: it still exists, so no "unknown SOP" cascade
    assert [str(p) for p in caught.value.problems] == [
        "sops/escalation.yaml:1:1: an SOP has either `steps` (a call flow) or `sections` (a policy), not both or neither"
    ]


@pytest.mark.parametrize("empty", ["steps", "sections"])
def test_an_sop_with_no_steps_is_a_located_problem_not_a_crash(empty, kb_copy, monkeypatch):
    """An empty flow has no first step: the flowchart and the drill could not start (a traceback)."""
    root = kb_copy("kb-small")
    monkeypatch.chdir(root)
    path = root / "sops" / "refund.yaml"
    text = path.read_text()
    path.write_text(text[: text.index("\nsteps:")] + f"\n{empty}: []\n")
    with pytest.raises(SourceErrors) as caught:
        load_knowledge_base(Project.at(root), today=dt.date(2026, 11, 23))
    shown = [str(p) for p in caught.value.problems]
    line = text[: text.index("\nsteps:")].count("\n") + 2
    assert f"sops/refund.yaml:{line}:{len(empty) + 3}: {empty}: needs at least 1 item(s) but has 0" in shown


def test_two_broken_ids_do_not_collide(kb_copy, monkeypatch):
    root = kb_copy("kb-small")
    monkeypatch.chdir(root)
    for name in ("refund.yaml", "escalation.yaml"):
        path = root / "sops" / name
        text = path.read_text()
        path.write_text(text.replace(f"id: {name[:-5]}", "id: Not An Id", 1))
    with pytest.raises(SourceErrors) as caught:
        load_knowledge_base(Project.at(root), today=dt.date(2026, 11, 23))
    messages = [str(p) for p in caught.value.problems]
    assert not any("duplicate SOP id" in m for m in messages)
    assert messages == [
        "paths/billing-basics.yaml:11:14: modules[0].items[0].sop: unknown SOP 'refund'",
        "quizzes/refund-basics.yaml:3:6: sop: unknown SOP 'refund'",
        "sops/escalation.yaml:1:5: id: expected lower-case words joined by hyphens (like 'greet-customer') but received: 'Not An Id'",
        "sops/refund.yaml:1:5: id: expected lower-case words joined by hyphens (like 'greet-customer') but received: 'Not An Id'",
    ]


def test_order_mistake_names_steps_by_their_shown_numbers(tmp_path, monkeypatch):
    repo = REPO
    shutil.copytree(repo / "sops", tmp_path / "sops")
    (tmp_path / "quizzes").mkdir()
    (tmp_path / "quizzes" / "order.yaml").write_text(
        "id: order\ntitle: Order\nsop: customer-service-standards\npass_mark: 50\nscenarios:\n"
        "  - id: s\n    title: S\n    situation: x\n    questions:\n"
        "      - id: q\n        kind: order\n        prompt: p\n        steps: [investigation]\n"
        "        items: [investigation, complaint-reception, escalation-process]\n"
    )
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SourceErrors) as caught:
        load_knowledge_base(Project.at(tmp_path), today=dt.date(2026, 11, 23))
    assert [str(p) for p in caught.value.problems] == [
        "quizzes/order.yaml:14:32: scenarios[0].questions[0].items[1]: the SOP has 'complaint-reception' "
        "(step 4.1) before 'investigation' (step 4.2); list the items in the SOP's order"
    ]


def test_order_items_a_learner_cannot_tell_apart_are_refused(kb_copy, monkeypatch):
    """Order items show only the steps' titles (a number would give the order away), so two
    steps with one title, in any case, cannot both be items."""
    root = kb_copy("kb-small")
    monkeypatch.chdir(root)
    source = root / "sops" / "refund.yaml"
    source.write_text(source.read_text().replace("title: Record the refund", "title: greet THE customer"))
    with pytest.raises(SourceErrors) as caught:
        load_knowledge_base(Project.at(root), today=dt.date(2026, 11, 23))
    assert [str(p) for p in caught.value.problems] == [
        "quizzes/refund-basics.yaml:29:34: scenarios[0].questions[2].items[2]: steps 'greet' and 'record' have "
        "the same title; learners see only titles when putting steps in order, so they cannot tell them apart"
    ]


def test_a_typo_in_a_big_kb_names_the_closest_choices_not_all_of_them():
    from sopkb.validation import one_of

    ids = [f"sop-{n:05d}" for n in range(10_000)] + ["refund-request"]
    assert one_of(sorted(ids), "refund-reqest") == "refund-request … (10,000 others)"
    assert one_of(["a", "b", "c"], "x") == "a, b, c"  # a short list is named in full
    assert len(one_of(sorted(ids), "zzzz")) < 100  # nothing close: a few, and how many others


def test_an_unreadable_sop_is_not_also_reported_as_unknown_where_it_is_named(kb_copy, monkeypatch):
    """A syntax error in refund.yaml must not make the quiz and path that train it fail too."""
    root = kb_copy("kb-small")
    monkeypatch.chdir(root)
    (root / "sops" / "refund.yaml").write_text("id: [unclosed\n")
    with pytest.raises(SourceErrors) as caught:
        load_knowledge_base(Project.at(root), today=dt.date(2026, 11, 23))
    assert [p.file for p in caught.value.problems] == ["sops/refund.yaml"]


def test_an_unreadable_sop_does_not_cascade_into_the_drill_a_path_names(tmp_path, monkeypatch):
    from sopkb.init import create_kb

    kb = create_kb(tmp_path / "kb")
    monkeypatch.chdir(kb)
    (kb / "sops" / "password-reset.yaml").write_text("id: [unclosed\n")
    path = kb / "paths" / "onboarding.yaml"
    path.write_text(path.read_text() + "      - quiz: drill-password-reset\n")  # the broken SOP's drill
    with pytest.raises(SourceErrors) as caught:
        load_knowledge_base(Project.at(kb), today=dt.date(2026, 11, 23))
    assert {p.file for p in caught.value.problems} == {"sops/password-reset.yaml"}


def test_a_number_where_an_id_belongs_is_named_plainly(kb_copy, monkeypatch):
    """Numbers remember how they were written (`version: 1.10`); the class that does it is not
    the author's business: `'1' (int)`, never `'1' (intaswritten)`."""
    root = kb_copy("kb-small")
    monkeypatch.chdir(root)
    source = root / "sops" / "refund.yaml"
    source.write_text(
        source.read_text().replace("id: refund", "id: 1", 1).replace("  - id: greet", "  - id: 1.50", 1)
    )
    with pytest.raises(SourceErrors) as caught:
        load_knowledge_base(Project.at(root), today=dt.date(2026, 11, 23))
    messages = [str(p) for p in caught.value.problems]
    assert "sops/refund.yaml:1:5: id: expected text but received: '1' (int)" in messages
    assert "sops/refund.yaml:15:9: steps[0].id: expected text but received: '1.50' (float)" in messages
