"""The files a build keeps for the next one: written whole, read back only when intact and
written by the same code, and never a reason for a build to fail."""

from __future__ import annotations

import json

import pytest
from sopkb.loading.git_history import blob_sha
from sopkb.loading.history_cache import FORMAT, CacheFiles
from sopkb.loading.yaml_reader import read_yaml, read_yaml_text

ENTRIES = {"a" * 40: ["refund", "1.10"], "b" * 40: None, "c" * 40: ["x", "ünïcode ✓"]}


def test_entries_come_back_as_written(tmp_path):
    files = CacheFiles(tmp_path / "sopkb" / "history", "stamp 1")
    assert files.read("states") == {}  # nothing written yet
    assert files.write("states", ENTRIES)
    assert CacheFiles(tmp_path / "sopkb" / "history", "stamp 1").read("states") == ENTRIES
    assert [p.name for p in (tmp_path / "sopkb" / "history").iterdir()] == ["states.json"]  # no partial left


def test_a_file_another_version_wrote_is_ignored(tmp_path):
    CacheFiles(tmp_path, "sopkb 0.1.0 abc").write("diffs", ENTRIES)
    assert CacheFiles(tmp_path, "sopkb 0.2.0 abc").read("diffs") == {}
    path = tmp_path / "diffs.json"
    data = json.loads(path.read_text())
    path.write_text(json.dumps(data | {"format": FORMAT + 1}))
    assert CacheFiles(tmp_path, "sopkb 0.1.0 abc").read("diffs") == {}


@pytest.mark.parametrize(
    "damaged",
    [
        b"",
        b"{",  # cut short
        b'{"format": 1, "stamp": "s", "entries": {"a": [1, 2]',  # cut short later
        b"\xff\xfe garbage \x00",
        b"[]",
        b'{"format": 1, "stamp": "s", "entries": []}',
        b'{"format": 1, "stamp": "s"}',
        b"[" * 100_000,  # deeper than any reader should follow
    ],
)
def test_a_damaged_file_reads_as_empty(tmp_path, damaged):
    (tmp_path / "states.json").write_bytes(damaged)
    assert CacheFiles(tmp_path, "s").read("states") == {}


def test_a_folder_that_cannot_be_written_is_no_error(tmp_path):
    (tmp_path / "sopkb").write_text("a file where the folder would go")  # fails for root too
    files = CacheFiles(tmp_path / "sopkb" / "history", "s")
    assert files.write("states", ENTRIES) is False
    assert files.read("states") == {}


def test_a_read_only_folder_is_no_error(tmp_path):
    folder = tmp_path / "history"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        files = CacheFiles(folder, "s")
        written = files.write("states", ENTRIES)
        # root writes anyway; anyone else is refused, quietly, and leaves nothing behind
        assert written is (files.read("states") == ENTRIES)
        assert all(not p.name.endswith(".partial") for p in folder.iterdir())
    finally:
        folder.chmod(0o755)


def test_no_folder_no_cache(tmp_path):
    files = CacheFiles(None, "s")
    assert files.write("states", ENTRIES) is False
    assert files.read("states") == {}


def test_a_source_read_from_a_file_knows_its_blob_id(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"id: a\nversion: '1.10'\n")
    doc, problems = read_yaml(path, "a.yaml")
    assert problems == [] and doc.blob == blob_sha(path.read_bytes())
    assert read_yaml_text("id: a\n", "draft")[0].blob is None  # text in memory: no file, no blob
