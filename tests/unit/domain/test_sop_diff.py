"""The structural diff between two versions of an SOP, and its words."""

from __future__ import annotations

from sopkb.domain.change_words import describe, summary
from sopkb.domain.sop_diff import BranchChange, FieldChange, MetadataChange, StepChange, sop_diff
from sopkb.domain.text_diff import LineChange, WordRun, line_changes, word_diff

from .sop_data import decision, sop, step


def test_word_diff_marks_only_the_words_that_changed():
    assert word_diff("Refunds take 14 days.", "Refunds take 30 business days.") == (
        WordRun("equal", "Refunds take "),
        WordRun("delete", "14 "),
        WordRun("insert", "30 business "),
        WordRun("equal", "days."),
    )


def test_word_diff_keeps_punctuation_apart_and_joins_back_to_the_texts():
    runs = word_diff("Note the amount.", "Note the amount and the reason.")
    assert runs == (
        WordRun("equal", "Note the amount "),
        WordRun("insert", "and the reason"),
        WordRun("equal", "."),
    )
    assert "".join(r.text for r in runs if r.op != "delete") == "Note the amount and the reason."


def test_line_changes_pair_a_reworded_line_and_list_the_rest():
    found = line_changes(
        ["Greet.", "Ask for the order number.", "Log it."], ["Greet.", "Ask for the order id.", "Thank them."]
    )
    assert [(c.kind, c.before, c.after) for c in found] == [
        ("changed", "Ask for the order number.", "Ask for the order id."),
        ("removed", "Log it.", None),
        ("added", None, "Thank them."),
    ]


def test_an_unchanged_sop_has_no_diff_even_when_its_version_moved():
    before = sop(version="1.0")
    diff = sop_diff(before, sop(version="1.1"))
    assert (diff.steps, diff.parts, diff.metadata) == ((), (), ())
    assert not diff.content_changed
    assert summary(diff) == "no change to the content"


def test_a_reworded_say_line_is_diffed_word_by_word():
    before = sop(steps=[step("greet", say=["Hello, how can I help?"])])
    after = sop(steps=[step("greet", say=["Hello, how can I help you today?"])])
    diff = sop_diff(before, after)
    assert diff.steps == (
        StepChange(
            "changed",
            "greet",
            "Step greet",
            "1",
            "1",
            fields=(
                FieldChange(
                    "say",
                    (
                        LineChange(
                            "changed",
                            "Hello, how can I help?",
                            "Hello, how can I help you today?",
                            (
                                WordRun("equal", "Hello, how can I help "),
                                WordRun("insert", "you today"),
                                WordRun("equal", "?"),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    )
    assert summary(diff) == "1 step reworded"


def test_steps_added_removed_and_moved_are_told_apart():
    before = sop(steps=[step("a"), step("b"), step("c"), step("d")])
    after = sop(steps=[step("c"), step("a"), step("b"), step("e")])
    diff = sop_diff(before, after)
    assert [(s.kind, s.step_id, s.moved, s.number_before, s.number_after) for s in diff.steps] == [
        ("changed", "c", True, "3", "1"),  # a and b kept their order: only c moved
        ("removed", "d", False, "4", None),  # where it stood: after c
        ("added", "e", False, None, "4"),
    ]
    assert summary(diff) == "1 step added, 1 removed, 1 moved"
    assert describe(diff) == [
        "Step 1 “Step c”: moved (was step 3)",
        "Step 4 “Step d”: removed",
        "Step 4 “Step e”: added",
    ]


def test_branches_retargeted_added_removed_and_reworded():
    steps_before = [
        step("ask", decision=decision(("Yes", "done"), ("No", "end"), ("Later", "other"))),
        step("done"),
        step("other"),
    ]
    steps_after = [
        step("ask", decision=decision(("Yes", "other"), ("Not at all", "end"), ("Maybe", "done"))),
        step("done"),
        step("other"),
    ]
    diff = sop_diff(sop(steps=steps_before), sop(steps=steps_after))
    (ask,) = diff.steps
    assert ask.fields == () and not ask.reworded
    assert [(b.kind, b.answer, b.goto_before, b.goto_after) for b in ask.branches] == [
        ("retargeted", "Yes", "done", "other"),
        ("reworded", "Not at all", "end", "end"),
        ("added", "Maybe", None, "done"),
        ("removed", "Later", "other", None),
    ]
    assert ask.branches[0].where_after == "step 3 “Step other”"
    assert ask.branches[1].fields == (
        FieldChange(
            "answer",
            (
                LineChange(
                    "changed", "No", "Not at all", (WordRun("delete", "No"), WordRun("insert", "Not at all"))
                ),
            ),
        ),
    )
    assert summary(diff) == "1 branch retargeted, 1 added, 1 removed, 1 reworded"
    assert describe(diff) == [
        "Step 1 “Step ask”: answer “Yes” now leads to step 3 “Step other” (was step 2 “Step done”); "
        "answer “Not at all” reworded (answer); new answer “Maybe” → step 2 “Step done”; "
        "answer “Later” removed (it went to step 3 “Step other”)"
    ]


def test_a_step_sent_elsewhere_is_retargeted_not_reworded():
    before = sop(steps=[step("a"), step("b"), step("c")])
    after = sop(steps=[step("a", next="c"), step("b"), step("c")])
    (change,) = sop_diff(before, after).steps
    assert change.retargeted is not None and not change.reworded
    assert summary(sop_diff(before, after)) == "1 step retargeted"
    assert describe(sop_diff(before, after)) == [
        "Step 1 “Step a”: now goes on to step 3 “Step c” (was the next step)"
    ]


def test_documentation_and_dispositions_are_parts_and_details_are_metadata():
    before = sop(
        documentation={"dispositions": [{"label": "Resolved", "code": "RES"}], "record": ["The date"]}
    )
    after = sop(
        documentation={"dispositions": [{"label": "Resolved", "code": "RES-1"}], "record": ["The date"]},
        owner="Billing",
        tags=["new"],
    )
    diff = sop_diff(before, after)
    assert [p.name for p in diff.parts] == ["dispositions"]
    assert diff.parts[0].lines[0].words == (
        WordRun("equal", "Resolved — RES"),
        WordRun("insert", "-1"),
    )
    assert diff.metadata == (MetadataChange("tags", "", "new"), MetadataChange("owner", "Ops", "Billing"))
    assert diff.content_changed
    assert summary(diff) == "dispositions changed"
    assert describe(diff)[-2:] == ["Tags: — → new", "Owner: Ops → Billing"]


def test_metadata_alone_is_no_change_to_the_content():
    diff = sop_diff(sop(), sop(owner="Someone else", review_by="2030-01-01"))
    assert not diff.content_changed
    assert summary(diff) == "only details changed: owner and review date"


def test_key_flags_numbers_and_review_notes_are_not_content():
    before = sop(steps=[step("a", key=True, number="4.1", review=["Check this."])])
    after = sop(steps=[step("a", number="4.2")])
    assert sop_diff(before, after).steps == ()


def test_changed_step_ids_name_the_steps_a_quiz_may_test():
    before = sop(steps=[step("a", do=["One."]), step("b")])
    after = sop(steps=[step("a", do=["Two."]), step("b"), step("c")])
    assert sop_diff(before, after).changed_step_ids == {"a"}


def test_a_branch_change_is_one_branch_change_not_a_step_rewording():
    steps = [step("a", decision=decision(("Yes", "b"), ("No", "end"))), step("b")]
    moved_branch = [step("a", decision=decision(("Yes", "end"), ("No", "end"))), step("b")]
    diff = sop_diff(sop(steps=steps), sop(steps=moved_branch))
    assert [b.kind for s in diff.steps for b in s.branches] == ["retargeted"]
    assert isinstance(diff.steps[0].branches[0], BranchChange)
