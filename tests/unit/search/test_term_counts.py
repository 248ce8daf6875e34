"""Each SOP's search terms kept between builds (`search/term_counts.py`): the index is the same, file
for file, as one built from nothing, whatever was kept; a kept file that is damaged, planted or
linked is a miss, never a crash, and never read through the link."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from sopkb.domain.project import Project
from sopkb.pipeline import load_knowledge_base
from sopkb.search import index, term_counts
from sopkb.search.term_counts import TermCounts

from tests.conftest import FIXTURES, REPO


@pytest.fixture
def kb(tmp_path) -> Path:
    """kb-small with the bundled SOPs beside its own: ten SOPs, two of them tiny."""
    root = tmp_path / "kb"
    shutil.copytree(FIXTURES / "kb-small", root)
    shutil.copytree(REPO / "sops", root / "sops" / "bundled")
    return root


@pytest.fixture
def counted(monkeypatch) -> list[dict]:
    """The fields of each SOP whose terms were counted (not found kept) since the test began."""
    calls: list[dict] = []
    real = index.field_counts

    def count(fields):
        calls.append(fields)
        return real(fields)

    monkeypatch.setattr(index, "field_counts", count)
    return calls


def build(root: Path, kept: TermCounts | None = None) -> dict[str, str]:
    kb = load_knowledge_base(Project.at(root))
    return index.build_index(kb, index.builtin_synonyms() + kb.synonyms, kept=kept)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def terms_of(files: dict[str, str]) -> set[str]:
    return {term for path, text in files.items() if "/t/" in path for term in json.loads(text)}


def found_in(files: dict[str, str], term: str) -> set[str]:
    """The addresses of the SOPs whose postings for `term` the index holds."""
    shards = [json.loads(text) for path, text in files.items() if "/t/" in path]
    postings = next((shard[term] for shard in shards if term in shard), [0])
    buckets = sorted((p for p in files if "/d/" in p), key=lambda p: int(Path(p).stem))
    rows = [row for path in buckets for row in json.loads(files[path])]
    docs, doc = set(), 0
    for gap in postings[1::2]:
        doc += gap
        docs.add(rows[doc][1])
    return docs


def test_the_index_is_the_same_with_kept_terms_cold_warm_and_after_edits(kb, tmp_path, counted):
    folder = tmp_path / "cache" / "search"
    in_memory = TermCounts()
    cold = build(kb)
    assert build(kb, in_memory) == build(kb, TermCounts(folder)) == cold  # nothing kept yet
    assert len(list(folder.glob("*.json"))) == 10  # one file per SOP
    counted.clear()
    assert build(kb, in_memory) == build(kb, TermCounts(folder)) == cold  # everything kept
    assert counted == []

    # an edit that changes no word of one SOP's terms, only how often one occurs
    refund = kb / "sops" / "refund.yaml"
    edit(refund, "summary: The customer wants their money back", "summary: The customer wants their money back, money")
    fresh = build(kb)
    assert fresh != cold
    counted.clear()
    assert build(kb, in_memory) == build(kb, TermCounts(folder)) == fresh
    assert [f["title"] for f in counted] == [["Refund request"]] * 2  # one SOP counted, once per cache

    # one SOP gains a word and loses another: the body's length (so every impact) changes too
    edit(kb / "sops" / "escalation.yaml", "objective: Escalate consistently.", "objective: Escalate zeppelins")
    fresh = build(kb)
    assert "zeppelin" not in terms_of(cold) and found_in(fresh, "zeppelin") == {"sops/escalation/"}
    assert "sops/escalation/" in found_in(cold, "consistently") - found_in(fresh, "consistently")
    counted.clear()
    assert build(kb, in_memory) == build(kb, TermCounts(folder)) == fresh
    assert len(counted) == 2
    assert len(list(folder.glob("*.json"))) == 10  # the edited SOPs' old entries are pruned


def test_a_changed_terms_code_counts_every_sop_again(kb, tmp_path, counted, monkeypatch):
    folder = tmp_path / "search"
    cold = build(kb, TermCounts(folder))
    monkeypatch.setattr(term_counts, "code_stamp", lambda: "another version of words.py")
    counted.clear()
    assert build(kb, TermCounts(folder)) == cold
    assert len(counted) == 10


def planted(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json"))


BAD = {
    "not JSON": b"{not json",
    "not UTF-8": b'{"key": "\xff"}',
    "nested too deep": b"[" * 100_000,
    "a list": b"[]",
    "no counts": b'{"key": "KEY"}',
    "another key": b'{"key": "0000", "counts": {}}',
    "an extra member": b'{"key": "KEY", "counts": {}, "more": 1}',
    "fields missing": b'{"key": "KEY", "counts": {"title": {"refund": 1}}}',
    "counts not numbers": None,  # built from the genuine entry below
    "a count of true": None,
    "a count of 0": None,
    "a float count": None,
    "fields out of order": None,
    "a field as a list": None,
}


def damaged(genuine: dict, how: str) -> bytes:
    key, counts = genuine["key"], dict(genuine["counts"])
    if BAD[how] is not None:
        return BAD[how].replace(b"KEY", key.encode())
    name = next(iter(counts))
    if how == "fields out of order":
        counts = dict(reversed(list(counts.items())))
    elif how == "a field as a list":
        counts[name] = list(counts[name])
    else:
        value = {"counts not numbers": "2", "a count of true": True, "a count of 0": 0, "a float count": 1.0}[how]
        counts[name] = {"refund": value}
    return json.dumps({"key": key, "counts": counts}).encode()


@pytest.mark.parametrize("how", list(BAD))
def test_a_damaged_file_is_a_miss_and_is_written_again(how, kb, tmp_path, counted):
    folder = tmp_path / "search"
    cold = build(kb, TermCounts(folder))
    files = planted(folder)
    genuine = json.loads(files[0].read_bytes())
    files[0].write_bytes(damaged(genuine, how))
    counted.clear()
    assert build(kb, TermCounts(folder)) == cold
    assert len(counted) == 1
    assert json.loads(files[0].read_bytes()) == genuine


def test_an_oversized_file_is_not_read(kb, tmp_path, counted, monkeypatch):
    folder = tmp_path / "search"
    cold = build(kb, TermCounts(folder))
    sizes = sorted(p.stat().st_size for p in planted(folder))
    monkeypatch.setattr(term_counts, "MAX_BYTES", sizes[5])
    counted.clear()
    assert build(kb, TermCounts(folder)) == cold
    assert len(counted) == 4  # the files over the limit
    assert sorted(p.stat().st_size for p in planted(folder)) == sizes  # none written again: unreadable


def test_a_kept_file_that_is_a_link_is_never_read_and_what_it_points_at_is_left_alone(kb, tmp_path, counted):
    folder = tmp_path / "search"
    cold = build(kb, TermCounts(folder))
    files = planted(folder)
    elsewhere = tmp_path / "elsewhere.json"
    shutil.copyfile(files[0], elsewhere)  # the genuine entry, even: through a link it is not read
    files[0].unlink()
    files[0].symlink_to(elsewhere)
    stranger = folder / ("f" * 64 + ".json")  # a link of the entries' names no build uses
    stranger.symlink_to(elsewhere)
    counted.clear()
    assert build(kb, TermCounts(folder)) == cold
    assert len(counted) == 1
    assert not files[0].is_symlink() and json.loads(files[0].read_bytes()) == json.loads(elsewhere.read_bytes())
    assert stranger.is_symlink()  # left alone, not pruned through
    assert elsewhere.exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_or_a_folder_in_place_of_a_file_is_a_miss_and_never_waited_on(kb, tmp_path, counted):
    folder = tmp_path / "search"
    cold = build(kb, TermCounts(folder))
    fifo, made_folder = planted(folder)[:2]
    fifo.unlink()
    os.mkfifo(fifo)
    made_folder.unlink()
    made_folder.mkdir()
    counted.clear()
    assert build(kb, TermCounts(folder)) == cold
    assert len(counted) == 2
    assert made_folder.is_dir()  # it could not be replaced; the other entry was written all the same
    assert json.loads(fifo.read_bytes())["key"] == fifo.stem


@pytest.mark.parametrize("linked", ["search", "cache"])
def test_a_link_planted_as_the_folder_is_never_followed(linked, kb, tmp_path, counted):
    cache = tmp_path / "cache"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    if linked == "cache":
        cache.symlink_to(elsewhere, target_is_directory=True)
    else:
        cache.mkdir()
        (cache / "search").symlink_to(elsewhere, target_is_directory=True)
    cold = build(kb)
    counted.clear()
    assert build(kb, TermCounts(cache / "search")) == cold
    assert build(kb, TermCounts(cache / "search")) == cold
    assert len(counted) == 20  # nothing kept, either time
    assert list(elsewhere.iterdir()) == []


def test_a_folder_that_cannot_be_written_only_costs_time(kb, tmp_path, counted, monkeypatch):
    def full(*args):
        raise OSError(28, "No space left on device")

    folder = tmp_path / "search"
    cold = build(kb)
    monkeypatch.setattr(term_counts.os, "replace", full)
    assert build(kb, TermCounts(folder)) == cold
    assert list(folder.iterdir()) == []  # not even a temporary file left behind


def test_the_kept_words_are_trusted_as_the_kept_pages_are(kb, tmp_path):
    """documentation/safety.md: whoever can write the cache can put words in the index, as whoever
    can write kept pages can change what they say; what is kept is never more than words."""
    folder = tmp_path / "search"
    build(kb, TermCounts(folder))
    for path in planted(folder):
        entry = json.loads(path.read_bytes())
        entry["counts"]["title"]["planted"] = 1
        path.write_text(json.dumps(entry), encoding="utf-8")
    assert "planted" in terms_of(build(kb, TermCounts(folder)))


def test_in_serve_an_index_file_no_save_touched_keeps_its_json_and_the_index_is_as_fresh(kb, monkeypatch):
    """As `sopkb serve` reads (the memo hands back an unchanged SOP's very model): a save that
    changes one SOP makes again only the files it touched, and every file is as a fresh index's."""
    from sopkb.validation.source_memo import SourceMemo

    memo, in_memory = SourceMemo(), TermCounts()

    def served() -> dict[str, str]:
        kb_read = load_knowledge_base(Project.at(kb), memo=memo)
        return index.build_index(kb_read, index.builtin_synonyms() + kb_read.synonyms, kept=in_memory)

    assert served() == build(kb)
    made: list[object] = []
    real = index._json
    monkeypatch.setattr(index, "_json", lambda value: made.append(value) or real(value))
    edit(kb / "sops" / "escalation.yaml", "objective: Escalate consistently.", "objective: Escalate zeppelins")
    again = served()
    assert again == build(kb)
    made_by_serve = len(made) - len(again)  # `build(kb)` writes every file
    assert 0 < made_by_serve < len(again) / 2
    assert any("zeppelin" in json.dumps(value) for value in made[:made_by_serve])
