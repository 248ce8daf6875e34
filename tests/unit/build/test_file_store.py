"""The files a build writes beside MkDocs' pages, kept by their contents (`build/file_store.py`): an
unchanged rebuild links its data files and search index from the store (no new inode each), only
while the store's file holds exactly what the site needs, and the site is the same as a build from
nothing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sopkb.build import file_store
from sopkb.build.file_store import FileStore
from sopkb.build.site_build import build_site

from tests.unit.build.test_page_cache import CACHE, cold_build, site_files

DATA = Path("learning/data/sop/refund.json")
INDEX = Path("search-index/manifest.json")
QUIZ = Path("learning/data/catalog.json")


def stored(root: Path) -> list[Path]:
    return sorted(p for p in (root / CACHE / file_store.FOLDER).rglob("*") if p.is_file())


def linked(site: Path, path: Path, root: Path) -> bool:
    return any(os.path.samefile(site / path, kept) for kept in stored(root))


def test_an_unchanged_rebuild_links_the_data_files_and_the_index_from_the_store(kb):
    first = cold_build(kb, kb / "site")
    assert (kb / "site" / DATA).is_file() and (kb / "site" / INDEX).is_file()
    build_site(kb, kb / "site")
    for path in (DATA, INDEX, QUIZ):
        assert linked(kb / "site", path, kb), path
    assert site_files(kb / "site") == first
    written = [p for p in (kb / "site" / "learning" / "data").rglob("*.json") if p.stat().st_nlink == 1]
    assert written == []  # every data file a link: no new inode


def test_a_stored_file_changed_through_the_site_is_not_linked_again(kb):
    """The store shares its inodes with the sites: a file edited in place through the published
    site's name changes the store's too, which then no longer holds what its name says."""
    first = cold_build(kb, kb / "site")
    build_site(kb, kb / "site")
    with open(kb / "site" / DATA, "r+b") as stream:  # in place: the store's inode
        stream.write(b"{}")
    build_site(kb, kb / "site")
    assert site_files(kb / "site") == first


@pytest.mark.parametrize("how", ["mode", "link", "another-users"])
def test_a_stored_file_that_is_not_the_builds_own_is_never_linked(kb, tmp_path, how):
    first = cold_build(kb, kb / "site")
    build_site(kb, kb / "site")
    store = FileStore(kb / CACHE)
    kept = store.file((kb / "site" / DATA).read_bytes())
    assert kept.is_file()
    if how == "mode":
        os.chmod(kept, 0o666)  # others may write it
    elif how == "link":
        elsewhere = tmp_path / "elsewhere.json"
        elsewhere.write_bytes(kept.read_bytes())
        kept.unlink()
        kept.symlink_to(elsewhere)
    else:
        os.chown(kept, os.getuid() + 1, -1)
    planted = os.stat(kept).st_ino  # what the store holds now (for a link: what it leads to)
    build_site(kb, kb / "site")
    assert site_files(kb / "site") == first
    assert (kb / "site" / DATA).stat().st_ino != planted  # written anew, and kept in its place
    assert (kb / "site" / DATA).stat().st_mode & 0o002 == 0


def test_stored_files_no_site_links_are_let_go(kb):
    cold_build(kb, kb / "site")
    build_site(kb, kb / "site")
    shard = kb / CACHE / file_store.FOLDER / "ab"
    shard.mkdir(exist_ok=True)
    unused = shard / ("ab" + "0" * 62)
    unused.write_text("a file of a site long gone")
    stranger = shard / "notes.txt"
    stranger.write_text("not the store's")
    strangers = shard / ("ab" + "2" * 62)  # named as the store names its files, another user's
    strangers.write_text("another user's")
    os.chown(strangers, os.getuid() + 1, -1)
    linked_away = shard / ("ab" + "1" * 62)
    linked_away.symlink_to(kb / "mkdocs.yml")
    shutil.rmtree(kb / "site")  # no site links any kept file: all but what this build links go
    build_site(kb, kb / "site")
    assert not unused.exists() and stranger.exists() and strangers.exists() and linked_away.is_symlink()
    assert (kb / "mkdocs.yml").exists()
    ours = [p for p in stored(kb) if len(p.name) == 64 and not p.is_symlink() and p != strangers]
    assert all(p.stat().st_nlink > 1 for p in ours)


def test_a_store_that_cannot_be_written_still_builds_the_site(kb):
    first = cold_build(kb, kb / "site")
    (kb / CACHE / file_store.FOLDER).mkdir(exist_ok=True)
    shutil.rmtree(kb / CACHE / file_store.FOLDER)
    (kb / CACHE / file_store.FOLDER).write_text("a file where the store's folder goes")
    build_site(kb, kb / "site")
    assert site_files(kb / "site") == first


def test_a_file_already_at_its_place_is_replaced_never_written_through(tmp_path):
    """A file at the place a new one goes may be a link to the store, and so to the published site:
    the new file takes its place, and the published one is untouched."""
    store = FileStore(tmp_path / "cache")
    published, staged = tmp_path / "site", tmp_path / "staging"
    published.mkdir()
    staged.mkdir()
    store.write(published, "a.json", b"one")  # written, and kept
    store.write(staged, "a.json", b"one")  # linked from the store: the published file's inode
    assert os.path.samefile(published / "a.json", staged / "a.json")
    store.write(staged, "a.json", b"two")
    assert (published / "a.json").read_bytes() == b"one" and (staged / "a.json").read_bytes() == b"two"
    store.write(staged, "a.json", b"one")
    assert os.path.samefile(published / "a.json", staged / "a.json")


def test_an_edit_undone_is_published_with_a_time_after_the_edits(kb):
    """Undone, an edit's data file is the one the store kept two builds ago, with that build's time:
    its time is moved on, or a browser that fetched the edited file would be told it is unchanged
    (`If-Modified-Since`, all a server without ETags such as `python -m http.server` answers by)."""
    source = kb / "sops" / "refund.yaml"
    original = source.read_text()
    cold_build(kb, kb / "site")
    first = os.stat(kb / "site" / DATA).st_mtime_ns
    source.write_text(original.replace("title: Refund request", "title: Refund request edited", 1))
    build_site(kb, kb / "site")
    edited = os.stat(kb / "site" / DATA).st_mtime_ns
    assert edited > first
    source.write_text(original)
    build_site(kb, kb / "site")
    assert linked(kb / "site", DATA, kb)  # the file of the first build, from the store
    assert os.stat(kb / "site" / DATA).st_mtime_ns >= edited
