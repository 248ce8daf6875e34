"""The question-kind registry: every kind's right answer, scoring, options, page view and checks,
and one behaviour for each kind in the models' union."""

from __future__ import annotations

import datetime as dt
import typing
from dataclasses import dataclass, field

import pytest
from sopkb.core.resources import builtin_templates
from sopkb.domain.project import Project
from sopkb.domain.question_kinds import KINDS, Finding, Option, kind_of
from sopkb.export import gift, moodle_xml, qti
from sopkb.models.quiz import Choice, Question, Scenario
from sopkb.pipeline import load_knowledge_base
from sopkb.receipts.scoring import score
from sopkb.render.quiz import question_view, quiz_data

from tests.conftest import FIXTURES

LABELS = {"greet": "Greet the customer", "verify": "Verify identity", "refund": "Issue the refund"}


def question(kind: str, **fields: typing.Any) -> typing.Any:
    """A validated question of `kind`, as a quiz file would give it."""
    data = {"id": "q", "prompt": "What now?", "steps": ["greet"], "kind": kind, **fields}
    return Scenario.model_validate(
        {"id": "s", "title": "S", "situation": "A call.", "questions": [data]}
    ).questions[0]


def choices(*correct: bool) -> list[dict]:
    return [{"text": f"Choice {i}", "correct": c, "feedback": f"Because {i}."} for i, c in enumerate(correct)]


SINGLE = question("single", choices=choices(False, True, False))
MULTIPLE = question("multiple", choices=choices(True, False, True))
SAY = question("say", choices=choices(False, False, True))
TRUE = question("true-false", answer=True, if_true="Yes.", if_false="No.")
FALSE = question("true-false", answer=False, if_true="No.", if_false="Yes.")
ORDER = question("order", items=["greet", "verify", "refund"])


# --- the registry and the models' union ---------------------------------------------------------


def union_models() -> dict[str, type]:
    """`kind` -> model, read from the discriminated union in models/quiz.py."""
    members = typing.get_args(typing.get_args(Question)[0])
    return {typing.get_args(m.model_fields["kind"].annotation)[0]: m for m in members}


def test_every_kind_in_the_models_union_has_a_behaviour_and_every_behaviour_a_model():
    models = union_models()
    assert sorted(models) == sorted(KINDS)
    for name, behaviour in KINDS.items():
        assert behaviour.name == name
        assert behaviour.model is models[name]


def test_kind_of_finds_the_behaviour_for_each_question():
    for q, name in (
        (SINGLE, "single"),
        (MULTIPLE, "multiple"),
        (SAY, "say"),
        (TRUE, "true-false"),
        (ORDER, "order"),
    ):
        assert isinstance(q, KINDS[name].model)
        assert kind_of(q) is KINDS[name]


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_kind_has_its_page_partial_and_an_entry_in_every_exporters_table(name):
    behaviour = KINDS[name]
    assert (builtin_templates() / "pages" / f"_question_{behaviour.template}.html.j2").is_file()
    assert behaviour.shape in gift._BODIES
    assert behaviour.shape in moodle_xml._TYPES
    assert behaviour.shape in qti._INTERACTIONS


# --- the right answer: the one computation --------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "correct"),
    [
        (SINGLE, ["c1"]),
        (MULTIPLE, ["c0", "c2"]),
        (SAY, ["c2"]),
        (TRUE, ["true"]),
        (FALSE, ["false"]),
        (ORDER, ["greet", "verify", "refund"]),
    ],
    ids=["single", "multiple", "say", "true", "false", "order"],
)
def test_correct_ids(q, correct):
    assert kind_of(q).correct_ids(q) == correct
    assert kind_of(q).answers(q, LABELS).correct == tuple(correct)


# --- scoring: the answers the page records and receipts carry -----------------------------------

MALFORMED = [None, "c1", ("c1",), {"c1": True}, [1], ["c1", None], [["c1"]]]


@pytest.mark.parametrize(
    ("q", "right", "wrong", "partial"),
    [
        (SINGLE, [["c1"]], [["c0"], ["c2"], ["nonsense"], []], [["c1", "c0"], ["c1", "c1"]]),
        (SAY, [["c2"]], [["c0"], ["c1"], ["true"], []], [["c2", "c0"]]),
        (
            MULTIPLE,
            [["c0", "c2"], ["c2", "c0"]],
            [["c1"], ["c1", "c0"], []],
            [["c0"], ["c2"], ["c0", "c1", "c2"], ["c0", "c0"]],
        ),
        (TRUE, [["true"]], [["false"], ["c0"], []], [["true", "false"], ["true", "true"]]),
        (FALSE, [["false"]], [["true"], []], [["false", "true"]]),
        (
            ORDER,
            [["greet", "verify", "refund"]],
            [["refund", "verify", "greet"], ["verify", "greet", "refund"], []],
            [["greet", "verify"], ["greet", "verify", "refund", "refund"], ["greet", "greet", "refund"]],
        ),
    ],
    ids=["single", "say", "multiple", "true", "false", "order"],
)
def test_scoring_right_wrong_partial_and_malformed(q, right, wrong, partial):
    behaviour = kind_of(q)
    for answer in right:
        assert behaviour.is_right(q, answer), answer
    for answer in wrong + partial:
        assert not behaviour.is_right(q, answer), answer
    for answer in [*MALFORMED, tuple(behaviour.correct_ids(q)), {a: True for a in behaviour.correct_ids(q)}]:
        assert not behaviour.is_right(q, answer), answer


def test_only_an_ordered_kind_cares_about_order():
    assert [k for k, b in KINDS.items() if b.ordered] == ["order"]
    assert not kind_of(MULTIPLE).is_right(MULTIPLE, ["c0"])
    assert kind_of(MULTIPLE).is_right(MULTIPLE, ["c2", "c0"])
    assert not kind_of(ORDER).is_right(ORDER, ["verify", "greet", "refund"])


# --- options and the neutral description exporters map -----------------------------------------


def test_choice_kinds_offer_their_authored_choices_with_feedback():
    for q, multiple in ((SINGLE, False), (SAY, False), (MULTIPLE, True)):
        answers = kind_of(q).answers(q, LABELS)
        assert (answers.shape, answers.multiple, answers.ordered) == ("choice", multiple, False)
        assert answers.options == tuple(
            Option(f"c{i}", c.text, True, c.correct, c.feedback) for i, c in enumerate(q.choices)
        )


def test_true_false_offers_true_then_false_with_their_own_feedback():
    for q in (TRUE, FALSE):
        answers = kind_of(q).answers(q, LABELS)
        assert (answers.shape, answers.multiple, answers.ordered) == ("truefalse", False, False)
        assert answers.options == (
            Option("true", "True", False, q.answer, q.if_true),
            Option("false", "False", False, not q.answer, q.if_false),
        )


def test_order_offers_the_steps_by_title_in_the_right_order():
    answers = kind_of(ORDER).answers(ORDER, LABELS)
    assert (answers.shape, answers.multiple, answers.ordered) == ("order", False, True)
    assert answers.options == tuple(Option(s, LABELS[s], False, True) for s in ORDER.items)
    with pytest.raises(KeyError):
        kind_of(ORDER).options(ORDER, {})  # a step without a title is a bug, not a blank label


# --- the page -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "template", "input_type", "hint"),
    [
        (SINGLE, "choices", "radio", None),
        (MULTIPLE, "choices", "checkbox", "select all that apply"),
        (SAY, "choices", "radio", "best thing to say next"),
        (TRUE, "choices", "radio", "true or false"),
        (ORDER, "order", None, None),
    ],
    ids=["single", "multiple", "say", "true-false", "order"],
)
def test_page_view_of_each_kind(q, template, input_type, hint):
    view = question_view(q, LABELS)
    assert (view.template, view.input_type, view.hint) == (template, input_type, hint)
    ids = [c.id for c in view.choices]
    authored = [o.id for o in kind_of(q).options(q, LABELS)]
    assert sorted(ids) == sorted(authored)
    if kind_of(q).shuffled:
        assert ids != authored  # never the authored order: the right answer is not always first
    else:
        assert ids == authored


def test_page_labels_script_lines_in_quotes_and_steps_by_title():
    assert [str(c.label) for c in question_view(SAY, LABELS).choices if c.id == "c2"] == ["“Choice 2”"]
    assert [str(c.label) for c in question_view(SINGLE, LABELS).choices if c.id == "c1"] == ["Choice 1"]
    assert {c.id: c.label for c in question_view(ORDER, LABELS).choices} == LABELS
    assert [c.label for c in question_view(TRUE, LABELS).choices] == ["True", "False"]


# --- each kind's own checks -----------------------------------------------------------------------


@dataclass
class Steps:
    """A StepIndex for four steps, two of them with the same title (`greet` and `again`)."""

    ids: list[str] = field(default_factory=lambda: ["greet", "verify", "refund", "again"])
    titles: dict[str, str] = field(
        default_factory=lambda: {"greet": "Greet", "verify": "Verify", "refund": "Refund", "again": "greet"}
    )

    @property
    def position(self) -> dict[str, int]:
        return {s: i for i, s in enumerate(self.ids)}

    @property
    def numbers(self) -> dict[str, str]:
        return {s: str(i + 1) for i, s in enumerate(self.ids)}

    def unknown(self, step: str) -> str:
        return f"no step {step!r}"


def test_valid_questions_of_every_kind_pass_their_checks():
    for q in (SINGLE, MULTIPLE, SAY, TRUE, FALSE, ORDER):
        assert kind_of(q).check(q, Steps()) == []


@pytest.mark.parametrize(
    ("kind", "correct", "message"),
    [
        (
            "single",
            (True, True),
            "a single-choice question needs exactly one correct choice; 2 marked `correct: true`",
        ),
        (
            "single",
            (False, False),
            "a single-choice question needs exactly one correct choice; 0 marked `correct: true`",
        ),
        (
            "say",
            (False, False),
            "a best-thing-to-say question needs exactly one correct choice; 0 marked `correct: true`",
        ),
        (
            "multiple",
            (False, False),
            "a multiple-select question needs at least one correct choice; none marked `correct: true`",
        ),
    ],
)
def test_choice_kinds_check_how_many_choices_are_correct(kind, correct, message):
    q = question(kind, choices=choices(*correct))
    assert kind_of(q).check(q, Steps()) == [Finding(("choices",), message)]


def test_multiple_select_may_have_every_choice_correct():
    q = question("multiple", choices=choices(True, True))
    assert kind_of(q).check(q, Steps()) == []


def test_choice_kinds_refuse_duplicate_choices_whatever_their_case():
    q = question("say", choices=[*choices(True, False), {"text": "CHOICE 0", "feedback": "Again."}])
    assert kind_of(q).check(q, Steps()) == [Finding(("choices", 2, "text"), "duplicate choice 'CHOICE 0'")]


def test_order_items_are_known_steps_listed_once_told_apart_and_in_the_sops_order():
    q = question("order", items=["verify", "greet", "nowhere", "verify", "again"])
    assert kind_of(q).check(q, Steps()) == [
        Finding(("items", 2), "no step 'nowhere'"),
        Finding(("items", 3), "step 'verify' is listed twice"),
        Finding(
            ("items", 4),
            "steps 'greet' and 'again' have the same title; learners see only titles when putting "
            "steps in order, so they cannot tell them apart",
        ),
        Finding(
            ("items", 1),
            "the SOP has 'greet' (step 1) before 'verify' (step 2); list the items in the SOP's order",
        ),
    ]


# --- drills: built without validation, equal to what validation gives ---------------------------


@pytest.mark.parametrize("q", [SINGLE, MULTIPLE, SAY, TRUE, ORDER], ids=lambda q: q.kind)
def test_construct_gives_what_validation_gives(q):
    built = kind_of(q).construct(q.model_dump())
    assert type(built) is type(q)
    assert built == q
    if hasattr(q, "choices"):
        assert all(type(c) is Choice for c in built.choices)


# --- one key: the page's answer key is the registry's, and receipts are scored by it ------------


def test_the_emitted_key_carries_each_kinds_right_answer_and_receipts_score_by_it():
    kb = load_knowledge_base(Project.at(FIXTURES / "kb-small"), today=dt.date(2026, 11, 23))
    kinds = set()
    for entry in kb.quizzes:
        key = {q["id"]: q for q in quiz_data(entry, kb, "")["questions"]}
        answers = {}
        for q in entry.quiz.questions():
            kinds.add(q.kind)
            assert key[q.id]["kind"] == q.kind
            assert key[q.id]["correct"] == kind_of(q).correct_ids(q)
            answers[q.id] = key[q.id]["correct"]
        result = score(entry.quiz, answers)
        assert (result.right, result.missed) == (len(entry.quiz.questions()), ())
    assert kinds == set(KINDS)  # the fixture exercises every kind
