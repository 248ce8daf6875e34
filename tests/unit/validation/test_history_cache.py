"""What a build keeps for the next under `.git/sopkb/history/`: each state's id and version, and
each diff, by blob id. The next build asks git only for new states and reads no earlier version
whose diff it has; a changed file, a damaged or foreign cache, or a folder it cannot write only
means working things out again, never a different answer or a failed build."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from sopkb.briefing import Since, entries
from sopkb.domain.change_words import summary
from sopkb.domain.history import prepare_diffs, read_earlier
from sopkb.domain.project import Project
from sopkb.loading.git_history import GitLog, read_git_log
from sopkb.pipeline import load_knowledge_base
from sopkb.validation import history as history_module
from sopkb.validation import history_cache

from tests.git_kb import REFUND, refund_history

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def kb(tmp_path):
    return refund_history(tmp_path / "kb")


class Reads:
    """Counts what a build reads: earlier versions as SOPs, and blobs asked of git."""

    def __init__(self, monkeypatch):
        self.sops: list[str] = []
        self.blobs: list[str] = []
        read_sop, blobs = history_module.read_sop, GitLog.blobs

        def counting_read(raw, name):
            self.sops.append(name)
            return read_sop(raw, name)

        def counting_blobs(log, shas):
            shas = list(shas)
            self.blobs += shas
            return blobs(log, shas)

        monkeypatch.setattr(history_module, "read_sop", counting_read)
        monkeypatch.setattr(GitLog, "blobs", counting_blobs)

    def reset(self):
        self.sops.clear()
        self.blobs.clear()


def build(root):
    """What a build does with history: read the KB, then the diffs its pages show."""
    kb = load_knowledge_base(dataclasses.replace(Project.at(root), history=True), today=TODAY)
    prepare_diffs(kb.history.values())
    return kb


def pages(kb) -> dict[str, str | None]:
    """Each SOP's page diff, in words (None: nothing to compare)."""
    out = {}
    for sop_id, history in kb.history.items():
        found = history.diff(0)
        out[sop_id] = found if isinstance(found, str) or found is None else summary(found)
    return out


def cache_dir(kb):
    return kb.root / ".git" / "sopkb" / "history"


def test_a_second_build_reads_no_earlier_version(kb, monkeypatch):
    reads = Reads(monkeypatch)
    first = build(kb.root)
    assert pages(first)["refund"] == "1 step moved"
    assert reads.sops  # the previous version of refund, read and compared
    assert sorted(p.name for p in cache_dir(kb).iterdir()) == ["diffs.json", "states.json"]
    reads.reset()
    second = build(kb.root)
    assert pages(second) == pages(first)
    assert second.history["refund"].diff(0) == first.history["refund"].diff(0)  # the same data
    assert reads.sops == [] and reads.blobs == []  # neither read nor even asked of git
    assert [v.version for v in second.history["refund"].versions] == ["2.0", "1.12", "1.11", "1.10"]


def test_a_new_commit_asks_git_for_its_states_only(kb, monkeypatch):
    build(kb.root)
    reads = Reads(monkeypatch)
    kb.edit(REFUND, "version: 2.0", "version: 2.1")
    kb.edit(REFUND, "Note the refund amount.", "Note the refund amount and the reason.")
    kb.commit("Refund: record the reason", "2026-05-01")
    head = kb.git("rev-parse", "HEAD:" + REFUND)
    loaded = build(kb.root)
    assert reads.blobs[0] == head and head not in reads.blobs[1:]  # the new state's id and version
    assert summary(loaded.history["refund"].diff(0)) == "1 step reworded"
    assert reads.sops == [kb.git("rev-parse", "HEAD~1:" + REFUND)[:7]]  # 2.0, compared with 2.1


def test_a_file_changed_since_is_compared_anew(kb, monkeypatch):
    build(kb.root)
    kb.edit(REFUND, "version: 2.0", "version: 2.1")
    kb.edit(REFUND, "Note the refund amount.", "Note the refund amount and the reason.")
    reads = Reads(monkeypatch)
    changed = build(kb.root)
    assert summary(changed.history["refund"].diff(0)) == "1 step reworded"  # not the cached "moved"
    assert reads.sops  # the committed 2.0, read to compare with the file as it is now
    kb.edit(REFUND, "and the reason.", "and why.")
    assert summary(build(kb.root).history["refund"].diff(0)) == "1 step reworded"
    assert (
        build(kb.root).history["refund"].diff(0).steps[0].fields[0].lines[0].after
        == "Note the refund amount and why."
    )


@pytest.mark.parametrize("name", ["states", "diffs"])
@pytest.mark.parametrize("damage", [b"", b"\x00\xff{", b'{"format": 1', b"[]"])
def test_a_damaged_cache_is_ignored_and_written_anew(kb, monkeypatch, name, damage):
    expected = pages(build(kb.root))
    (cache_dir(kb) / f"{name}.json").write_bytes(damage)
    reads = Reads(monkeypatch)
    assert pages(build(kb.root)) == expected
    assert reads.blobs  # what the damaged file held, worked out again
    json.loads((cache_dir(kb) / f"{name}.json").read_bytes())  # and kept again, whole
    reads.reset()
    assert pages(build(kb.root)) == expected
    assert reads.sops == [] and reads.blobs == []


def test_a_damaged_entry_is_worked_out_again(kb, monkeypatch):
    expected = pages(build(kb.root))
    path = cache_dir(kb) / "diffs.json"
    data = json.loads(path.read_text())
    data["entries"] = {key: [1, 2, 3] for key in data["entries"]}  # well-formed JSON, no diff
    path.write_text(json.dumps(data))
    reads = Reads(monkeypatch)
    assert pages(build(kb.root)) == expected
    assert reads.sops


def test_a_cache_that_cannot_be_written_costs_only_time(kb, monkeypatch):
    (kb.root / ".git" / "sopkb").write_text("not a folder")  # no folder can be made there, even by root
    expected = pages(build(kb.root))
    reads = Reads(monkeypatch)
    assert pages(build(kb.root)) == expected
    assert reads.sops  # nothing kept: compared again
    assert (kb.root / ".git" / "sopkb").read_text() == "not a folder"


def test_another_sopkb_ignores_the_cache(kb, monkeypatch):
    expected = pages(build(kb.root))
    monkeypatch.setattr(history_cache, "code_stamp", lambda: "sopkb 9.9 another")
    reads = Reads(monkeypatch)
    assert pages(build(kb.root)) == expected
    assert reads.sops  # the diffs of another version are not trusted
    stamp = json.loads((cache_dir(kb) / "diffs.json").read_text())["stamp"]
    assert stamp == "sopkb 9.9 another"


def test_the_stamp_moves_with_the_version_and_the_code(monkeypatch):
    stamp = history_cache.code_stamp.__wrapped__
    before = stamp()
    assert before.startswith(history_cache.__version__ + " ")
    monkeypatch.setattr(history_cache, "__version__", "99.0")
    assert stamp() != before
    monkeypatch.undo()
    monkeypatch.setattr(history_cache, "_source", lambda path: b"edited " + path.name.encode())
    assert stamp() != before


def test_the_cache_is_the_repositorys_for_every_work_tree(kb, tmp_path):
    build(kb.root)
    other = tmp_path / "other-tree"
    kb.git("worktree", "add", "-q", str(other), "HEAD~1")
    log = read_git_log(other, [other / "sops"])
    assert log.git_dir == (kb.root / ".git").resolve()
    assert pages(build(other))["refund"] == "1 branch retargeted, 1 removed"  # its own version's diff
    assert pages(build(kb.root))["refund"] == "1 step moved"


def test_the_briefing_keeps_the_older_diffs_it_works_out(kb, monkeypatch):
    since = Since("the start", date=dt.date(2026, 1, 1))
    first = [(e.version.version, e.diff) for e in entries(build(kb.root), since)]
    assert [version for version, diff in first if diff] == ["2.0", "1.12", "1.11"]
    reads = Reads(monkeypatch)
    again = [(e.version.version, e.diff) for e in entries(build(kb.root), since)]
    assert again == first
    assert reads.sops == [] and reads.blobs == []


def test_diffs_are_kept_by_the_bytes_the_sop_was_read_from(kb, monkeypatch):
    """A file saved again while a build runs must not get the diff of what the build read."""
    kb.edit(REFUND, "version: 2.0", "version: 2.1")
    kb.edit(REFUND, "Note the refund amount.", "Note the refund amount and the reason.")
    working_sha = history_module._working_sha
    monkeypatch.setattr(
        history_module,
        "_working_sha",
        lambda path: "f" * 40 if path.name == "refund.yaml" else working_sha(path),
    )
    loaded = build(kb.root)
    assert loaded.history["refund"].current_ref == kb.git("hash-object", REFUND)


def test_the_diffs_since_each_earlier_version_are_kept_too(kb, monkeypatch):
    """Signing again shows what changed since the version signed: one comparison per version."""
    first = load_knowledge_base(dataclasses.replace(Project.at(kb.root), history=True), today=TODAY)
    prepare_diffs(first.history.values(), since=3)
    expected = [summary(first.history["refund"].diff_since(i)) for i in (1, 2, 3)]
    assert expected[:2] == ["1 step moved", "1 step moved, 1 branch retargeted, 1 removed"]
    reads = Reads(monkeypatch)
    again = load_knowledge_base(dataclasses.replace(Project.at(kb.root), history=True), today=TODAY)
    read_earlier(again.history.values(), 3)
    prepare_diffs(again.history.values(), since=3)
    assert [summary(again.history["refund"].diff_since(i)) for i in (1, 2, 3)] == expected
    assert reads.sops == [] and reads.blobs == []
