"""The search index kept between builds (`build/index_cache.py`): a rebuild of unchanged SOPs
writes the kept index, an edit makes it again, and either way the site is the one a build from
nothing makes; a kept file that is not one sopkb wrote (its paths outside the index, corrupt, a
link) is ignored, never trusted to say where anything is written."""

from __future__ import annotations

import json
import os
import shutil
import zlib
from pathlib import Path

import pytest
from sopkb.build import index_cache
from sopkb.build.docs_tree import DocsTree
from sopkb.build.site_build import build_site

from tests.call_log import CallLog
from tests.unit.build.test_page_cache import CACHE, site_files
from tests.unit.build.test_render_cache import cold


@pytest.fixture
def made(monkeypatch, tmp_path) -> CallLog:
    """One entry each time a build works the index out (not takes it from the cache), in whichever
    process it does."""
    seen = CallLog(tmp_path / "made")
    real = DocsTree.search_index

    def counting(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        seen.add(True)
        return real(*args, **kwargs)

    monkeypatch.setattr(DocsTree, "search_index", staticmethod(counting))
    return seen


def kept_files(root: Path) -> list[Path]:
    return sorted((root / CACHE / index_cache.FOLDER).rglob("*.json.z"))


def test_an_unchanged_rebuild_writes_the_kept_index_and_an_edit_makes_it_again(kb, made):
    first = cold(kb, kb / "site")
    assert made.calls == [True] and len(kept_files(kb)) == 1
    build_site(kb, kb / "site")
    assert made.calls == [True]  # taken from the cache
    assert site_files(kb / "site") == first
    refund = kb / "sops" / "refund.yaml"
    refund.write_text(refund.read_text().replace("Note the refund amount.", "Note the parcel number."))
    build_site(kb, kb / "site")
    assert made.calls == [True, True] and len(kept_files(kb)) == 1  # the old index let go
    index = (kb / "site" / "search-index").rglob("*.json")
    assert any("parcel" in path.read_text() for path in index)
    assert site_files(kb / "site") == cold(kb, kb / "site")


def plant(root: Path, files: object) -> None:
    for kept in kept_files(root):
        kept.write_bytes(zlib.compress(json.dumps(files).encode()))


@pytest.mark.parametrize(
    "path",
    [
        "../../escaped.json", "search-index/../../escaped.json", "{absolute}", "search-index/t/../x.json",
        "index.html", "search-index/t/" + "a" * 300 + ".json",  # no file system takes that name
    ],  # fmt: skip
)
def test_a_kept_index_naming_a_file_outside_the_index_is_ignored(kb, made, path, tmp_path):
    first = cold(kb, kb / "site")
    path = path.format(absolute=tmp_path / "escaped.json")
    plant(kb, {"search-index/manifest.json": "{}", path: "planted"})
    build_site(kb, kb / "site")
    assert made.calls == [True, True]  # made again, not taken
    assert site_files(kb / "site") == first
    assert not (kb / "escaped.json").exists() and not (tmp_path / "escaped.json").exists()


@pytest.mark.parametrize(
    "payload",
    [
        b"not zlib", zlib.compress(b"[1, 2]"), zlib.compress(b'{"a": '),
        zlib.compress(b'{"search-index/manifest.json": "\\ud800"}'),  # a lone surrogate: no file holds it
    ],
)  # fmt: skip
def test_a_corrupt_kept_index_is_ignored(kb, made, payload):
    first = cold(kb, kb / "site")
    for kept in kept_files(kb):
        kept.write_bytes(payload)
    build_site(kb, kb / "site")
    assert made.calls == [True, True] and site_files(kb / "site") == first


def test_a_kept_index_folder_that_is_a_link_is_never_used(kb, made, tmp_path):
    first = cold(kb, kb / "site")
    elsewhere = tmp_path / "elsewhere"
    shutil.move(kb / CACHE / index_cache.FOLDER, elsewhere)
    os.symlink(elsewhere, kb / CACHE / index_cache.FOLDER)
    build_site(kb, kb / "site")
    assert made.calls == [True, True] and site_files(kb / "site") == first
