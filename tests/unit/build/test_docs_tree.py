"""The docs-tree plan: what sopkb adds to a KB's MkDocs project."""

from __future__ import annotations

import json
import shutil

from sopkb.build import mkdocs_plugin
from sopkb.build.docs_tree import plan
from sopkb.build.generate import generate
from sopkb.build.html_blocks import LiftedPage, lift, lift_page
from sopkb.build.site_build import build_site
from sopkb.domain import urls

from tests.conftest import FIXTURES


def test_every_sop_has_its_data_file_among_the_sites_files(small_kb):
    tree = plan(small_kb, small_kb.project, site_name="Small KB")
    files = dict(tree.sop_files)
    assert len(files) == len(tree.sop_files)  # no file written twice
    assert not files.keys() & dict(tree.data_files).keys()
    for entry in small_kb.sops:
        data = json.loads(files[urls.sop_data_file(entry.id)])
        assert (data["id"], data["version"], data["href"]) == (
            entry.id,
            entry.sop.version,
            urls.sop_url(entry.id),
        )


def test_the_sop_files_reach_the_built_site_and_the_generated_tree(small_kb, tmp_path):
    """The plugin writes them after MkDocs, `generate` beside the pages: both publish them."""
    build_site(FIXTURES / "kb-small", tmp_path / "site")
    generate(FIXTURES / "kb-small", tmp_path / "tree")
    for root in (tmp_path / "site", tmp_path / "tree" / "docs"):
        data = json.loads((root / urls.sop_data_file("refund")).read_text(encoding="utf-8"))
        assert (data["id"], data["version"]) == ("refund", "1.10")


def test_keep_sees_every_page_as_rendered_and_the_tree_hands_its_pages_over(small_kb):
    whole = plan(small_kb, small_kb.project, site_name="Small KB").pages
    tree = plan(small_kb, small_kb.project, site_name="Small KB", keep=lift_page)
    kept = tree.take_pages()
    assert tree.pages == [] and all(isinstance(p, LiftedPage) for p in kept)
    assert [p.path for p in kept] == [p.path for p in whole]
    for page, lifted in zip(whole, kept, strict=True):
        assert "<div" not in lifted.content and lifted.files == page.files
        assert lifted.lifted.blocks == lift(page.content).blocks


def test_the_plugin_lets_go_of_each_generated_page_once_it_is_written(tmp_path, monkeypatch):
    """A generated page's HTML waits compressed between reading and writing; the plugin lets go of
    its blocks once they are back in it, and of its HTML once its output is made. A hand-written
    page keeps its content, and every page keeps its title."""
    kb = tmp_path / "kb"
    shutil.copytree(FIXTURES / "kb-small", kb)
    (kb / "docs" / "about.md").write_text("# About us\n\nHand-written.\n", encoding="utf-8")
    seen = []
    release = mkdocs_plugin.release_content

    def spy(page):
        seen.append((page, page.title, len(page.content)))
        release(page)

    waiting = {}
    post_build = mkdocs_plugin.SopkbPlugin.on_post_build

    def all_read(self, env, **kwargs):  # MkDocs' event between reading every page and writing any
        waiting["read"] = (len(self._lifted), dict(self._parked))
        return env

    def at_the_end(self, **kwargs):
        waiting["end"] = (len(self._lifted), dict(self._parked))
        post_build(self, **kwargs)

    monkeypatch.setattr(mkdocs_plugin, "release_content", spy)
    monkeypatch.setattr(mkdocs_plugin.SopkbPlugin, "on_env", all_read, raising=False)
    monkeypatch.setattr(mkdocs_plugin.SopkbPlugin, "on_post_build", at_the_end)
    build_site(kb, tmp_path / "site")
    lifted, parked = waiting["read"]
    assert lifted == len(parked) > 5 and "about.md" not in parked  # the generated pages wait compressed
    assert waiting["end"] == (0, {})
    by_path = {page.file.src_uri: (page, title, size) for page, title, size in seen}
    about, title, size = by_path["about.md"]
    assert about.content and about.title == title == "About us"
    sop, title, size = by_path[urls.sop_page("refund")]
    assert sop.content == "" and size > 1000 and sop.title == title
    html = (tmp_path / "site" / urls.sop_url("refund") / "index.html").read_text(encoding="utf-8")
    assert "sopkb-late" not in html and "SOPKBBLOCK" not in html and "<svg" in html
