"""The Moodle XML export of the small KB against its golden file.

Regenerate after an intended change with `.venv/bin/python -m pytest tests/unit --update-golden`.
"""

from __future__ import annotations

from sopkb.export import DEFAULT_NAMES

from tests.golden_files import check_golden


def test_moodle_xml_export_matches_its_golden_file(exported, update_golden):
    name = DEFAULT_NAMES["moodle-xml"]
    check_golden("kb-small-export-moodle-xml", {name: exported("moodle-xml")}, update_golden)
