"""The docs-tree plan: what sopkb adds to a KB's MkDocs project."""

from __future__ import annotations

import json

from sopkb.build.docs_tree import plan
from sopkb.domain import urls


def test_every_sop_has_its_data_file_among_the_sites_data_files(small_kb):
    tree = plan(small_kb, small_kb.project, site_name="Small KB")
    files = dict(tree.data_files)
    assert len(files) == len(tree.data_files)  # no file written twice
    for entry in small_kb.sops:
        data = json.loads(files[urls.sop_data_file(entry.id)])
        assert (data["id"], data["version"], data["href"]) == (entry.id, entry.sop.version, urls.sop_url(entry.id))
