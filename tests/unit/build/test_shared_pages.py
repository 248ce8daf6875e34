"""MkDocs' pages on two cores (`build/shared_pages.py`): `sopkb build` has every other page made
in a forked process, and the site is the one a single process makes; where another process could
make a difference (another plugin, MkDocs' strict mode) every page is made here; a page that fails
there fails the build, which leaves the previous site as it was."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import mkdocs.commands.build
import mkdocs.utils
import pytest
from sopkb.build import building
from sopkb.build.site_build import build_site
from sopkb.core.errors import ProjectError

from tests.call_log import CallLog
from tests.unit.build.test_site_build import edit_title, leftovers
from tests.unit.cli.test_cli import tree_digest


@pytest.fixture
def made_by(monkeypatch, tmp_path) -> CallLog:
    """Each page MkDocs makes, with the process that made it."""
    log = CallLog(tmp_path / "made")
    real = mkdocs.commands.build._build_page

    def spying(page, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if page.file.is_modified():  # else MkDocs' dirty build skips it: made elsewhere, or kept
            log.add([os.getpid(), page.file.src_uri])
        return real(page, *args, **kwargs)

    monkeypatch.setattr(mkdocs.commands.build, "_build_page", spying)
    return log


def unshared(monkeypatch, root: Path, site: Path) -> str:
    """The site as one process makes it: the digest of every file."""
    with monkeypatch.context() as patch:
        patch.setattr(building, "share_pages", lambda *args, **kwargs: None)
        build_site(root, site)
    return tree_digest(site)


def test_every_other_page_is_made_in_another_process_and_the_site_is_the_same(kb_copy, made_by, monkeypatch):
    root = kb_copy("kb-small")
    build_site(root, root / "site")
    by_process: dict[int, list[str]] = {}
    for pid, page in made_by.calls:
        by_process.setdefault(pid, []).append(page)
    assert len(by_process) == 2 and os.getpid() in by_process
    mine = by_process.pop(os.getpid())
    (theirs,) = by_process.values()
    assert not set(mine) & set(theirs) and abs(len(mine) - len(theirs)) <= 1  # each page once, halves
    assert tree_digest(root / "site") == unshared(monkeypatch, root, root / "one")


@pytest.mark.parametrize(
    "setting", ["plugins:\n  - sopkb\n  - search\n", "strict: true\n"], ids=["another plugin", "strict"]
)
def test_with_another_plugin_or_in_strict_mode_every_page_is_made_here(kb_copy, made_by, setting):
    root = kb_copy("kb-small")
    config = root / "mkdocs.yml"
    text = config.read_text()
    config.write_text(text.replace("plugins:\n  - sopkb\n", setting) if "plugins" in setting else text + setting)
    build_site(root, root / "site")
    assert {pid for pid, _ in made_by.calls} == {os.getpid()} and len(made_by.calls) > 5


def test_a_page_failing_in_the_other_process_fails_the_build_and_leaves_the_site_alone(kb_copy, monkeypatch):
    root = kb_copy("kb-small")
    build_site(root, root / "site")
    before = tree_digest(root / "site")
    here, real_write = os.getpid(), mkdocs.utils.write_file

    def full_there(content, output_path):  # noqa: ANN001, ANN202
        if os.getpid() != here:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), output_path)
        real_write(content, output_path)

    monkeypatch.setattr(mkdocs.utils, "write_file", full_there)
    edit_title(root)
    with pytest.raises(ProjectError, match="No space left on device"):
        build_site(root, root / "site")
    assert tree_digest(root / "site") == before and leftovers(root, root / "site") == []
