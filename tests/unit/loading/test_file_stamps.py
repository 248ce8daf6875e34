"""The stamps of a KB's files (`loading/file_stamps.py`): what tells `sopkb serve` that the last
listing of the sources still holds. Each way a listing can change without a source's own bytes
changing must be seen."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sopkb.loading.file_stamps import snapshot


@pytest.fixture
def sops(tmp_path) -> Path:
    folder = tmp_path / "sops"
    (folder / "billing").mkdir(parents=True)
    (folder / "a.yaml").write_text("id: a\n")
    (folder / "billing" / "b.yaml").write_text("id: b\n")
    return folder


def look(sops: Path):
    return snapshot([sops], [], within=sops.parent)


def test_an_edit_keeps_the_listing(sops):
    before = look(sops)
    (sops / "a.yaml").write_text("id: a\ntitle: Edited, and longer\n")
    after = look(sops)
    assert after != before
    assert after.same_listing(before, sops)


@pytest.mark.parametrize(
    "change",
    [
        lambda sops: (sops / "c.yaml").write_text("id: c\n"),
        lambda sops: (sops / "a.yaml").unlink(),
        lambda sops: (sops / "a.yaml").rename(sops / "billing" / "a.yaml"),
        lambda sops: (sops / "billing").rename(sops / "refunds"),
    ],
    ids=["added", "deleted", "moved", "folder renamed"],
)
def test_a_file_that_came_or_went_ends_the_listing(sops, change):
    before = look(sops)
    change(sops)
    assert not look(sops).same_listing(before, sops)


def test_a_file_swapped_for_a_pipe_ends_the_listing(sops):
    """Its reading would block on it: the walk must see it and refuse it unopened."""
    before = look(sops)
    (sops / "a.yaml").unlink()
    os.mkfifo(sops / "a.yaml")
    assert not look(sops).same_listing(before, sops)


def test_a_file_swapped_for_a_link_to_itself_elsewhere_ends_the_listing(sops, tmp_path):
    """Its stamp (what it leads to) is the same inode, time and size; only the link shows it."""
    outside = tmp_path / "outside.yaml"
    os.link(sops / "a.yaml", outside)
    before = look(sops)
    (sops / "a.yaml").unlink()
    (sops / "a.yaml").symlink_to(outside)
    after = look(sops)
    assert after[str(sops / "a.yaml")] == before[str(sops / "a.yaml")]
    assert after.linked and not after.same_listing(before, sops)


def test_with_a_link_anywhere_the_listing_is_never_kept(sops):
    (sops / "also").symlink_to(sops / "billing", target_is_directory=True)
    before = look(sops)
    assert before.linked and not look(sops).same_listing(before, sops)


def test_only_a_folder_it_looked_at_is_vouched_for(sops, tmp_path):
    (tmp_path / "quizzes").mkdir()
    before = look(sops)
    assert look(sops).same_listing(before, sops)
    assert not look(sops).same_listing(before, tmp_path / "quizzes")
    assert not look(sops).same_listing(None, sops)


def test_a_walk_that_saw_other_than_the_stamps_does_not_vouch_for_its_listing(sops, tmp_path):
    """The stamps are taken before the walk: a file gone, or a pipe swapped for a file, in
    between. The listing kept with stamps it does not match would be kept wrong for good."""
    from sopkb.loading.source_files import walk_sources

    def walked():  # noqa: ANN202
        return walk_sources(sops, tmp_path, str).files

    assert look(sops).listed(sops, walked())
    before = look(sops)
    os.rename(sops / "a.yaml", tmp_path / "a.keep")
    assert not before.listed(sops, walked())  # gone at the walk
    os.mkfifo(sops / "a.yaml")
    with_pipe = look(sops)
    (sops / "a.yaml").unlink()
    os.rename(tmp_path / "a.keep", sops / "a.yaml")
    assert not with_pipe.listed(sops, walked())  # a regular file at the walk, a pipe in the stamps


def test_an_unreadable_folder_is_never_vouched_for(sops, monkeypatch):
    real = os.scandir

    def scandir(path):  # noqa: ANN001, ANN202
        if str(path).endswith("billing"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    before = look(sops)
    monkeypatch.setattr(os, "scandir", scandir)
    now = look(sops)
    assert now.unreadable and not now.same_listing(before, sops) and not now.listed(sops, [])
