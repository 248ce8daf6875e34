"""Versions in order, and the history an SOP keeps in its own `changes:` list."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sopkb.domain.history import SopHistory, Version, changes_only, is_lower, read_earlier, version_key
from sopkb.domain.project import Project
from sopkb.pipeline import load_knowledge_base

from tests.git_kb import refund_history

from .sop_data import sop


@pytest.mark.parametrize(
    ("lower", "higher"),
    [
        ("1.9", "1.10"), ("1.10", "2.0"), ("2", "2.1"), ("0.9", "1"), ("1.2.3", "1.2.10"), ("v1.2", "v1.10"),
        ("2.0 rc1", "2.0"), ("2.0-rc1", "2.0-rc2"), ("2.0rc2", "2.0"), ("2.0-beta", "2.0-rc1"), ("2.0", "2.0.1"),
        ("1.9", "v2"), ("v2", "2.1"), ("Version 3", "3.1"), ("Rev A", "Rev B"), ("Rev B", "1"), ("<b>", "0.1"),
        ("../x", "1.0"), ("2.0-rc1", "2.0.1"), ("9", "10"), ("1." + "9" * 5000, "1." + "1" + "0" * 5000),
        ("٣", "4"), ("1²", "1.1"), ("①", "1"),
    ],
)  # fmt: skip
def test_versions_compare_as_people_read_them(lower, higher):
    assert is_lower(lower, higher)
    assert not is_lower(higher, lower)


def test_trailing_zeros_make_the_same_version():
    assert version_key("1.0") == version_key("1") == version_key("1.0.0") == version_key("v1") == version_key("V 1.0")
    assert not is_lower("1.0", "1")


@pytest.mark.parametrize("version", ["unknown", "?", "—"])
def test_unknown_versions_compare_with_nothing(version):
    assert version_key(version) is None
    assert not is_lower(version, "1.0") and not is_lower("1.0", version)


def test_an_sop_outside_git_has_the_history_it_lists():
    current = sop(
        version="1.10",
        effective="2026-03-01",
        changes=[
            {"version": "1.9", "date": "2026-01-05", "summary": "Ask for the order number first."},
            {"version": "1.10", "date": "2026-03-01", "summary": "Refunds within **30 days**."},
            {"version": "1.2", "date": "2025-06-01", "summary": "First version."},
        ],
    )
    history = changes_only(current)
    assert history.versions == [
        Version("1.10", dt.date(2026, 3, 1), "Refunds within **30 days**."),
        Version("1.9", dt.date(2026, 1, 5), "Ask for the order number first."),
        Version("1.2", dt.date(2025, 6, 1), "First version."),
    ]
    assert history.previous == history.versions[1]
    assert history.diff(0) is None  # no content for 1.9: nothing to compare
    assert not history.from_git


def test_without_changes_an_sop_has_only_its_current_version():
    history = changes_only(sop(version="2"))
    assert history.versions == [Version("2", dt.date(2026, 1, 1), None)]
    assert history.previous is None and history.diff(0) is None


def test_what_changed_since_an_earlier_version_is_one_comparison_with_the_current(tmp_path):
    """1.10 → 1.11 added `find-order`, 2.0 moved it: from 1.10 it is one step added, not added
    then moved; from 1.12 (the version before) it is the latest diff itself."""
    kb = refund_history(tmp_path / "kb")
    history = load_knowledge_base(dataclasses.replace(Project.at(kb.root), history=True)).history["refund"]
    assert [v.version for v in history.versions] == ["2.0", "1.12", "1.11", "1.10"]
    assert history.diff_since(1) is history.diff(0)
    since = history.diff_since(3)
    assert (since.before_version, since.after_version) == ("1.10", "2.0")
    assert [(s.kind, s.step_id, s.moved) for s in since.steps if s.step_id == "find-order"] == [
        ("added", "find-order", False)
    ]
    assert history.diff_since(3) is since  # compared once
    assert history.diff_since(0) is None and history.diff_since(4) is None


def test_an_earlier_version_without_content_has_nothing_to_compare():
    history = changes_only(
        sop(version="2", changes=[{"version": "1", "date": "2026-01-01", "summary": "First."}])
    )
    assert history.diff_since(1) is None


def test_earlier_contents_are_read_in_one_batch_per_source():
    class Source:
        def __init__(self):
            self.batches: list[list[str]] = []

        def sop(self, ref):
            raise AssertionError("not read one by one")

        def fetch(self, refs):
            self.batches.append(list(refs))

    source = Source()
    current = sop(version="3")
    versions = [Version("3", None, None)] + [Version(str(n), None, None, content=f"blob{n}") for n in (2, 1, 0)]
    histories = [SopHistory(current, versions, source), SopHistory(current, versions[:2], source)]
    read_earlier(histories, limit=2)
    assert source.batches == [["blob2", "blob1", "blob2"]]
