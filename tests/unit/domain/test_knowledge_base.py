"""The knowledge base's indexes and entries, built from SOPs, quizzes and paths written inline."""

from __future__ import annotations

from pathlib import Path

from sopkb.domain.flow import build_flow
from sopkb.domain.knowledge_base import KnowledgeBase, LearningPathEntry, QuizEntry, SopEntry
from sopkb.domain.project import Project
from sopkb.models.learning_path import LearningPath
from sopkb.models.sop import Sop

from .sop_data import decision, quiz, sop, step


def entry(model: Sop) -> SopEntry:
    return SopEntry(model, build_flow(model), Path(f"/kb/sops/{model.id}.yaml"), f"sops/{model.id}.yaml")


def path(path_id: str, title: str) -> LearningPathEntry:
    modules = [{"id": "m", "title": "M", "items": [{"sop": "a"}]}]
    model = LearningPath.model_validate({"id": path_id, "title": title, "summary": "S.", "modules": modules})
    return LearningPathEntry(model, f"paths/{path_id}.yaml")


def knowledge_base(sops: list[Sop], quizzes: list[QuizEntry] = (), paths: list[LearningPathEntry] = ()):  # noqa: ANN201
    return KnowledgeBase(
        Project.at(Path("/kb")), [entry(s) for s in sops], list(quizzes), [], [], list(paths)
    )


def test_sops_are_sorted_by_category_then_title_ignoring_case():
    kb = knowledge_base(
        [
            sop("z", title="apple", category="billing"),
            sop("y", title="Banana", category="Accounts"),
            sop("x", title="Cherry", category="Billing"),
            sop("w", title="avocado", category="Accounts"),
        ]
    )
    assert [e.id for e in kb.sops] == ["w", "y", "z", "x"]
    assert kb.by_id["x"].sop.title == "Cherry" and sorted(kb.by_id) == ["w", "x", "y", "z"]


def test_categories_and_tags_list_their_sops_in_order_and_are_sorted_ignoring_case():
    kb = knowledge_base(
        [
            sop("a", title="A", category="Shipping", tags=["refund", "Urgent"]),
            sop("b", title="B", category="accounts", tags=["urgent-2", "refund"]),
            sop("c", title="C", category="Shipping"),
        ]
    )
    assert {name: [e.id for e in entries] for name, entries in kb.categories.items()} == {
        "accounts": ["b"],
        "Shipping": ["a", "c"],
    }
    assert list(kb.categories) == ["accounts", "Shipping"]
    assert {name: [e.id for e in entries] for name, entries in kb.tags.items()} == {
        "refund": ["b", "a"],  # in the SOPs' order (category "accounts" first)
        "Urgent": ["a"],
        "urgent-2": ["b"],
    }
    assert list(kb.tags) == ["refund", "Urgent", "urgent-2"]


def test_linked_from_counts_related_sops_and_branches_into_other_sops_once_each():
    kb = knowledge_base(
        [
            sop("a", title="A", related=[{"sop": "b"}, {"sop": "a"}],
                steps=[step("ask", decision=decision(("Yes", "sop:b#start"), ("No", "sop:c")))]),
            sop("b", title="B", steps=[step("start", next="sop:c")]),
            sop("c", title="C", related=[{"sop": "missing"}]),
        ]
    )  # fmt: skip
    linked = {target: [e.id for e in sources] for target, sources in kb.linked_from.items()}
    assert linked == {"b": ["a"], "c": ["a", "b"], "missing": ["c"]}  # never from itself


def test_written_quizzes_and_drills_are_kept_apart_and_sorted_by_sop_then_title():
    quizzes = [
        QuizEntry(quiz("drill-b", "b", "Drill B"), None),
        QuizEntry(quiz("zeta", "a", "zeta"), "quizzes/zeta.yaml"),
        QuizEntry(quiz("quiz-b", "b", "Quiz B"), "quizzes/quiz-b.yaml"),
        QuizEntry(quiz("alpha", "a", "Alpha"), "quizzes/alpha.yaml"),
        QuizEntry(quiz("drill-a", "a", "A drill"), None),
    ]
    kb = knowledge_base([sop("b", title="B"), sop("a", title="A")], quizzes)
    assert [q.id for q in kb.quizzes] == ["alpha", "zeta", "drill-a", "quiz-b", "drill-b"]
    assert {s: [q.id for q in qs] for s, qs in kb.quizzes_for.items()} == {
        "a": ["alpha", "zeta"],
        "b": ["quiz-b"],
    }
    assert {s: q.id for s, q in kb.drill_for.items()} == {"a": "drill-a", "b": "drill-b"}
    assert kb.quiz_by_id["drill-b"] is quizzes[0] and kb.quiz_by_id["zeta"] is quizzes[1]
    assert sorted(kb.quiz_by_id) == sorted(q.id for q in quizzes)


def test_learning_paths_are_sorted_by_title_ignoring_case():
    kb = knowledge_base(
        [sop("a")], paths=[path("p1", "billing"), path("p2", "Accounts"), path("p3", "Claims")]
    )
    assert [p.id for p in kb.learning_paths] == ["p2", "p1", "p3"]


def test_entries_know_their_page_and_address():
    one = entry(sop("refund"))
    written = QuizEntry(quiz("basics", "refund"), "quizzes/basics.yaml")
    drill = QuizEntry(quiz("drill-refund", "refund"), None)
    assert (one.id, one.page_path) == ("refund", "sops/refund.md")
    assert (written.generated, written.page_path, written.href) == (
        False,
        "quizzes/basics.md",
        "quizzes/basics/",
    )
    assert (drill.generated, drill.page_path, drill.href) == (True, None, "sops/refund/#drill")
    assert (path("new", "New").id, path("new", "New").page_path) == ("new", "paths/new.md")


def test_review_points_count_every_note_in_an_sop():
    note = ["Check this."]
    model = sop(
        "a",
        review=note * 2,
        documentation={"review": note},
        steps=[
            step("s", review=note, decision={"question": "Q?", "branches": [
                {"answer": "Y", "goto": "end", "review": note * 3}, {"answer": "N", "goto": "end"}]}),
        ],
    )  # fmt: skip
    assert entry(model).review_points == 2 + 1 + 1 + 3
    sectioned = sop(
        "b", sections=[{"id": "x", "title": "X", "review": note, "steps": [step("s", review=note)]}]
    )
    assert entry(sectioned).review_points == 2
    assert entry(sop("c")).review_points == 0
