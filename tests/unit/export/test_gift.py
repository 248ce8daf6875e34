"""The GIFT export of the small KB against its golden file.

Regenerate after an intended change with `.venv/bin/python -m pytest tests/unit --update-golden`.
"""

from __future__ import annotations

from sopkb.export import DEFAULT_NAMES

from tests.golden_files import check_golden


def test_gift_export_matches_its_golden_file(exported, small_kb, update_golden):
    assert [q.id for q in small_kb.quizzes] == ["refund-basics", "drill-refund"]  # a written quiz and a drill
    check_golden("kb-small-export-gift", {DEFAULT_NAMES["gift"]: exported("gift")}, update_golden)
