"""The docs-tree plan: what sopkb adds to a KB's MkDocs project."""

from __future__ import annotations

import json

from sopkb.build.docs_tree import plan
from sopkb.build.generate import generate
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
        assert (data["id"], data["version"], data["href"]) == (entry.id, entry.sop.version, urls.sop_url(entry.id))


def test_the_sop_files_reach_the_built_site_and_the_generated_tree(small_kb, tmp_path):
    """The plugin writes them after MkDocs, `generate` beside the pages: both publish them."""
    build_site(FIXTURES / "kb-small", tmp_path / "site")
    generate(FIXTURES / "kb-small", tmp_path / "tree")
    for root in (tmp_path / "site", tmp_path / "tree" / "docs"):
        data = json.loads((root / urls.sop_data_file("refund")).read_text(encoding="utf-8"))
        assert (data["id"], data["version"]) == ("refund", "1.10")
