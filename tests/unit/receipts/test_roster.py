"""The trainer's roster (CSV and HTML) for three receipts of the small KB, against golden files.

The receipts are made as tests/unit/receipts/test_report.py makes them (fixed dates throughout), and the
roster's "generated at" clock is fixed, so the output is the same on every run.
Regenerate after an intended change with `.venv/bin/python -m pytest tests/unit --update-golden`.
"""

from __future__ import annotations

import datetime as dt
import json
import types

import pytest
from sopkb.receipts import roster
from sopkb.receipts.verify import check_receipt, read_receipts

from tests.golden_files import check_golden
from tests.unit.receipts.test_report import make_receipt

GENERATED = dt.datetime(2026, 11, 23, 9, 30)


class _FixedClock(dt.datetime):
    @classmethod
    def now(cls, tz=None):  # noqa: ANN001, ANN206
        return GENERATED


@pytest.fixture
def checked(small_kb, tmp_path, monkeypatch):  # noqa: ANN201
    """Ana all right, Ben one wrong, Chen three wrong and his receipt altered after issue."""
    monkeypatch.setattr(roster, "dt", types.SimpleNamespace(datetime=_FixedClock))
    receipts = [
        make_receipt(wrong=w, learner=name)
        for w, name in ((0, "Ana Silva"), (1, "Ben Okafor"), (3, "Chen Wei"))
    ]
    receipts[2]["learner"] = "Chen W."
    paths = []
    for n, receipt in enumerate(receipts):
        paths.append(tmp_path / f"r{n}.json")
        paths[-1].write_text(json.dumps(receipt, indent=2))
    found, problems = read_receipts(paths, lambda path: f"receipts/{path.name}")
    assert problems == []
    return [check_receipt(source, model, raw, small_kb) for source, model, raw in found]


def test_roster_files_match_golden_files(checked, small_kb, update_golden):
    assert [c.verified for c in checked] == [True, True, False]
    files = {
        "roster.csv": roster.roster_csv(checked),
        "roster.html": roster.roster_html(checked, small_kb, "Small KB"),
    }
    assert "generated 2026-11-23 09:30" in files["roster.html"]
    check_golden("kb-small-roster", files, update_golden)
