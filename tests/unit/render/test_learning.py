"""The learning pages' data files: their shapes, and the small KB's files against golden files.

Regenerate after an intended change with `.venv/bin/python -m pytest tests/unit --update-golden`.
"""

from __future__ import annotations

import json

from sopkb.domain.quiz_identity import fingerprint
from sopkb.render.learning import catalog, data_files, learning_path_info, quiz_info, sop_info

from tests.golden_files import check_golden


def test_learning_data_files_match_golden_files(small_kb, update_golden):
    files = data_files(small_kb)
    assert len({path for path, _ in files}) == len(files)  # no file written twice
    check_golden("kb-small-learning-data", dict(files), update_golden)


def test_data_files_are_the_catalog_then_one_per_quiz_then_one_per_path(small_kb):
    assert [path for path, _ in data_files(small_kb)] == [
        "learning/data/catalog.json",
        "learning/data/quiz/refund-basics.json",
        "learning/data/quiz/drill-refund.json",
        "learning/data/path/billing-basics.json",
    ]


def test_catalog_names_each_quiz_and_path_and_counts_a_paths_items(small_kb):
    assert catalog(small_kb) == {
        "paths": [{"id": "billing-basics", "title": "Billing basics", "items": 2}],
        "quizzes": [
            {"id": "refund-basics", "title": "Refund basics", "sop": "Refund request", "drill": False},
            {"id": "drill-refund", "title": small_kb.quiz_by_id["drill-refund"].quiz.title,
             "sop": "Refund request", "drill": True},
        ],
    }  # fmt: skip


def test_quiz_info_of_a_written_quiz(small_kb):
    entry = small_kb.quiz_by_id["refund-basics"]
    assert quiz_info(small_kb, entry) == {
        "kind": "quiz",
        "id": "refund-basics",
        "title": "Refund basics",
        "href": "quizzes/refund-basics/",
        "sop": "refund",
        "sopTitle": "Refund request",
        "fingerprint": fingerprint(entry.quiz),
        "passMark": 75,
        "questions": 5,
        "drill": False,
    }


def test_quiz_info_of_a_drill_points_at_the_end_of_its_sops_page(small_kb):
    info = quiz_info(small_kb, small_kb.quiz_by_id["drill-refund"])
    assert (info["href"], info["sop"], info["drill"]) == ("sops/refund/#drill", "refund", True)


def test_sop_info_keeps_the_version_as_written(small_kb):
    assert sop_info(small_kb, "refund") == {
        "kind": "sop",
        "id": "refund",
        "title": "Refund request",
        "href": "sops/refund/",
        "version": "1.10",
    }


def test_learning_path_info_lists_modules_with_their_items_in_order(small_kb):
    entry = small_kb.learning_paths[0]
    info = learning_path_info(small_kb, entry)
    assert {k: v for k, v in info.items() if k != "modules"} == {
        "id": "billing-basics",
        "title": "Billing basics",
        "summary": "Refunds, from the first call to the quiz.",
        "href": "paths/billing-basics/",
    }
    assert info["modules"] == [
        {
            "id": "refunds",
            "title": "Refunds",
            "items": [
                sop_info(small_kb, "refund"),
                quiz_info(small_kb, small_kb.quiz_by_id["refund-basics"]),
            ],
        }
    ]


def test_data_files_are_compact_json_of_the_same_shapes(small_kb):
    files = dict(data_files(small_kb))
    text = files["learning/data/path/billing-basics.json"]
    assert json.loads(text) == learning_path_info(small_kb, small_kb.learning_paths[0])
    assert text == json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))  # compact
    assert json.loads(files["learning/data/catalog.json"]) == catalog(small_kb)
