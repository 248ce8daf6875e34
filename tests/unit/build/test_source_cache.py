"""Sources kept between builds (`build/source_cache.py`): a reading that takes unchanged files from
the cache finds exactly what a reading from nothing finds (the same models, flows, drills, warnings
and problems, at the same places), after any edit, on a new day and with other code; a cache file
that is not one sopkb wrote for that very source is ignored and the source read."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import zlib
from pathlib import Path

import pytest
from sopkb.build import source_cache
from sopkb.build.site_build import build_site, project_of
from sopkb.build.source_cache import SourceCache
from sopkb.core.errors import SourceErrors
from sopkb.domain.knowledge_base import KnowledgeBase
from sopkb.pipeline import load_knowledge_base

from tests.unit.build.test_page_cache import CACHE, site_files
from tests.unit.validation.test_kb_checks import TODAY, load, problems, step, write_sop
from tests.unit.validation.test_source_memo import same

BRANCH = ("decision:", "  question: Hand off?", "  branches:", "    - answer: Yes", "      goto: sop:target#second",
          "    - answer: No", "      goto: end")  # fmt: skip
SPLIT = "do: [Send the link, then end the call.]"  # a warning of the SOP alone (`split_items`)


@pytest.fixture
def kb(kb_copy, monkeypatch) -> Path:
    root = kb_copy("kb-small")
    monkeypatch.chdir(root)
    write_sop(root, "target", title="Target", steps=step("first") + step("second", SPLIT))
    write_sop(
        root,
        "caller",
        tags="[calls, Test]",
        steps=step("a", "do: ['See [Target](sop:target#first).']") + step("b", *BRANCH),
    )
    return root


def cache(root: Path) -> SourceCache:
    return SourceCache(root / CACHE)


def read(root: Path, memo: SourceCache | None = None, today: dt.date = TODAY) -> KnowledgeBase:
    return load_knowledge_base(project_of(root), today=today, memo=memo or cache(root))


def kept_files(root: Path) -> list[Path]:
    return sorted((root / CACHE / source_cache.FOLDER).rglob("*.json.z"))


def kept_file(root: Path, display: str) -> Path:
    """The one kept file of the source shown as `display`."""
    found = [f for f in kept_files(root) if json.loads(zlib.decompress(f.read_bytes()))["file"] == display]
    assert len(found) == 1
    return found[0]


def test_a_kept_reading_parses_nothing_and_equals_a_reading_from_nothing(kb, monkeypatch):
    first = read(kb)
    assert len(kept_files(kb)) == 6  # 4 SOPs, a quiz, a learning path
    from sopkb import pipeline

    parsed: list[str] = []
    real = pipeline.read_yaml_bytes
    monkeypatch.setattr(
        pipeline, "read_yaml_bytes", lambda raw, shown, **kw: parsed.append(shown) or real(raw, shown, **kw)
    )
    memo = cache(kb)
    again = read(kb, memo)
    assert parsed == [] and memo.read_again == 0
    fresh = load(kb)
    same(again, fresh)
    same(first, fresh)
    assert [str(w) for w in again.warnings] == [str(w) for w in fresh.warnings]
    assert any("sops/target.yaml" in str(w) for w in again.warnings)  # kept with the file, not lost
    assert [(e.source, e.blob) for e in again.sops] == [(e.source, e.blob) for e in fresh.sops]
    assert [q.quiz for q in again.quizzes] == [q.quiz for q in fresh.quizzes]  # drills included


def test_an_edit_reads_only_the_edited_file_and_its_errors_in_kept_files_are_located(kb):
    read(kb)
    write_sop(kb, "target", title="Target", steps=step("first"))  # the step the caller names is gone
    memo = cache(kb)
    with pytest.raises(SourceErrors) as caught:
        read(kb, memo)
    assert memo.read_again == 1
    assert [str(p) for p in caught.value.problems] == problems(kb)
    assert any(p.file == "sops/caller.yaml" and p.line > 1 for p in caught.value.problems)
    write_sop(kb, "target", title="Renamed", steps=step("first") + step("second", SPLIT))
    again = read(kb)
    same(again, load(kb))
    assert "Renamed" in repr(again.drill_for["caller"])  # the kept caller's drill names the new title


def count_drills(monkeypatch) -> list[str]:
    from sopkb import pipeline

    worked_out: list[str] = []
    real = pipeline.drill_for
    monkeypatch.setattr(pipeline, "drill_for", lambda sop, *a: worked_out.append(sop.id) or real(sop, *a))
    return worked_out


def test_a_kept_drill_is_not_worked_out_again_until_a_title_it_shows_changes(kb, monkeypatch):
    read(kb)
    worked_out = count_drills(monkeypatch)
    again = read(kb)
    assert worked_out == []
    assert [q.quiz for q in again.quizzes] == [q.quiz for q in load(kb).quizzes]
    worked_out.clear()
    write_sop(kb, "target", title="Renamed", steps=step("first") + step("second", SPLIT))
    renamed = read(kb)
    assert sorted(worked_out) == ["caller", "target"]  # the edited SOP's, and the one naming its title
    assert "Renamed" in repr(renamed.drill_for["caller"])


def test_a_kept_drill_that_is_no_quiz_is_worked_out_again_and_the_source_still_kept(kb, monkeypatch):
    read(kb)
    file = kept_file(kb, "sops/caller.yaml")
    data = json.loads(zlib.decompress(file.read_bytes()))
    assert data["drill"][1]["id"]
    data["drill"][1]["scenarios"] = "not a list of scenarios"
    file.write_bytes(zlib.compress(json.dumps(data).encode()))
    worked_out = count_drills(monkeypatch)
    memo = cache(kb)
    again = read(kb, memo)
    assert memo.read_again == 0 and worked_out == ["caller"]
    assert [q.quiz for q in again.quizzes] == [q.quiz for q in load(kb).quizzes]


def test_a_broken_file_is_never_kept_and_gives_the_same_problems_each_time(kb):
    read(kb)
    broken = kb / "sops" / "broken.yaml"
    broken.write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    write_sop(kb, "salvaged", steps=step("one", "colour: red"))  # an unknown key: salvaged, with today's date
    for _ in range(2):
        memo = cache(kb)
        with pytest.raises(SourceErrors) as caught:
            read(kb, memo)
        assert memo.read_again == 2
        assert [str(p) for p in caught.value.problems] == problems(kb)
    broken.unlink()
    (kb / "sops" / "salvaged.yaml").unlink()
    read(kb)
    assert len(kept_files(kb)) == 6


def test_a_new_day_sees_a_review_fall_due_in_a_kept_file(kb):
    path = write_sop(kb, "dated", steps=step("one"))
    path.write_text(path.read_text().replace("review_by: 2099-01-01", f"review_by: {TODAY}"))
    assert not any("dated" in str(w) for w in read(kb).warnings)
    tomorrow = TODAY + dt.timedelta(days=1)
    memo = cache(kb)
    later = read(kb, memo, tomorrow)
    assert memo.read_again == 0
    fresh = load_knowledge_base(project_of(kb), today=tomorrow)
    assert [str(w) for w in later.warnings] == [str(w) for w in fresh.warnings]
    assert any("sops/dated.yaml" in str(w) for w in later.warnings)


def test_other_code_reads_every_file_again(kb):
    read(kb)
    memo = SourceCache(kb / CACHE, stamp="another sopkb")
    same(read(kb, memo), load(kb))
    assert memo.read_again == 6


def plant(kept: Path, change) -> None:  # noqa: ANN001 - a function of the kept file's JSON
    data = json.loads(zlib.decompress(kept.read_bytes()))
    kept.write_bytes(zlib.compress(json.dumps(change(data)).encode()))


@pytest.mark.parametrize(
    "change",
    [
        lambda d: {**d, "format": d["format"] - 1},  # another format version
        lambda d: {**d, "file": "sops/target.yaml"},  # names another source
        lambda d: {**d, "source": "0" * 64},
        lambda d: {**d, "kind": "Quiz"},
        lambda d: {**d, "model": {**d["model"], "id": "Not An Id"}},  # a model that does not validate
        lambda d: {**d, "model": {**d["model"], "code": "import os"}},
        lambda d: {
            **d,
            "checked": {"ids": [{"file": "sops/target.yaml", "line": 1, "column": 1, "message": "x"}]},
        },
        lambda d: {**d, "checked": {"other": []}},
        lambda d: {**d, "more": 1},
        lambda d: {**d, "names": [[["category"], "../../../etc", "../../../etc"]]},  # no kind of name
        lambda d: [d],
    ],
)
def test_a_planted_cache_file_is_ignored(kb, change):
    read(kb)
    plant(kept_file(kb, "sops/caller.yaml"), change)
    memo = cache(kb)
    same(read(kb, memo), load(kb))
    assert memo.read_again == 1


def test_a_kept_file_of_another_source_is_ignored(kb):
    read(kb)
    caller, target = kept_file(kb, "sops/caller.yaml"), kept_file(kb, "sops/target.yaml")
    caller.write_bytes(target.read_bytes())
    memo = cache(kb)
    same(read(kb, memo), load(kb))
    assert memo.read_again == 1


def test_corrupt_truncated_huge_and_linked_cache_files_are_ignored(kb, tmp_path, monkeypatch):
    read(kb)
    files = kept_files(kb)
    files[0].write_bytes(b"\x00not zlib")
    files[1].write_bytes(files[1].read_bytes()[:40])
    elsewhere = tmp_path / "elsewhere.json.z"
    planted = b"\x00" + files[2].read_bytes()
    elsewhere.write_bytes(planted)
    files[2].unlink()
    os.symlink(elsewhere, files[2])
    memo = cache(kb)
    same(read(kb, memo), load(kb))
    assert memo.read_again == 3
    assert elsewhere.read_bytes() == planted  # never followed, never written through
    assert not files[2].is_symlink()  # replaced by the file read again
    monkeypatch.setattr(source_cache, "MAX_BYTES", 10)
    memo = cache(kb)
    same(read(kb, memo), load(kb))
    assert memo.read_again == 6


def test_a_linked_cache_folder_is_never_used(kb, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (kb / CACHE).mkdir()
    os.symlink(elsewhere, kb / CACHE / source_cache.FOLDER)
    memo = cache(kb)
    read(kb, memo)
    assert list(elsewhere.iterdir()) == []
    same(read(kb, cache(kb)), load(kb))


def test_a_site_built_warm_is_the_site_built_cold(kb):
    build_site(kb, kb / "site")
    assert kept_files(kb)
    warm = build_site(kb, kb / "site")
    warm_files = site_files(kb / "site")
    shutil.rmtree(kb / CACHE)
    build_site(kb, kb / "site")
    assert warm.sops == 4 and warm_files == site_files(kb / "site")


def test_a_source_whose_file_name_is_no_text_is_read_every_time_and_builds(kb):
    """A name of bytes no encoding reads (`\\xff`) is shown as Python keeps it, which no kept file
    can hold: that source is read each time, the others kept, the build as before."""
    odd = kb / os.fsdecode(b"sops/odd\xffname.yaml")
    odd.write_text((kb / "sops" / "target.yaml").read_text().replace("id: target", "id: odd-name"))
    build_site(kb, kb / "site")
    assert len(kept_files(kb)) == 6  # every source (five SOPs, a quiz, a path) but the odd one
    memo = cache(kb)
    same(read(kb, memo), load(kb))
    assert memo.read_again == 1


def test_a_build_keeps_what_it_read_and_one_that_fails_on_a_source_keeps_the_others(kb):
    """`sopkb build` writes its reading beside MkDocs' work (`site_files.py`), or, when a source
    has a problem, as it reports it: the next build reads again only the file that changed."""
    build_site(kb, kb / "site")
    assert len(kept_files(kb)) == 6
    shutil.rmtree(kb / CACHE / source_cache.FOLDER)
    refund = kb / "sops" / "refund.yaml"
    good = refund.read_text()
    refund.write_text(good.replace("title: Refund request", "title: [Refund request"))
    with pytest.raises(SourceErrors):
        build_site(kb, kb / "site")
    assert len(kept_files(kb)) == 5  # the five without a problem of their own
    refund.write_text(good)
    memo = cache(kb)
    read(kb, memo)
    assert memo.read_again == 1
