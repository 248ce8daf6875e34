"""SOP pages kept between builds (`build/render_cache.py`): a rebuild renders again only the SOP
pages whose inputs changed (their own source, their neighbours', everything that is not an SOP,
sopkb's code), and publishes exactly the site a build from nothing publishes; a cache file that is
not one sopkb wrote is ignored, never trusted to say where anything is written."""

from __future__ import annotations

import json
import os
import shutil
import zlib
from pathlib import Path

import pytest
from sopkb.build import render_cache
from sopkb.build.site_build import build_site
from sopkb.render import pages

from tests.conftest import FIXTURES
from tests.unit.build.test_page_cache import CACHE, site_files

REFUND = "sops/refund/index.html"
ESCALATION = "sops/escalation/index.html"


@pytest.fixture
def kb(tmp_path) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(FIXTURES / "kb-small", root)
    return root


@pytest.fixture
def rendered(monkeypatch) -> list[str]:
    """The SOPs whose pages a build renders (not takes from the cache), in order."""
    seen: list[str] = []
    real = pages.sop_data

    def counting(sop, *args, **kwargs):  # noqa: ANN001, ANN202 - called once per SOP page rendered
        seen.append(sop.id)
        return real(sop, *args, **kwargs)

    monkeypatch.setattr(pages, "sop_data", counting)
    return seen


def kept_files(root: Path) -> list[Path]:
    return sorted((root / CACHE / render_cache.FOLDER).rglob("*.json.z"))


def cold(root: Path, site: Path) -> dict[str, bytes]:
    shutil.rmtree(root / CACHE, ignore_errors=True)
    build_site(root, site)
    return site_files(site)


def test_an_unchanged_rebuild_renders_no_sop_page_and_publishes_the_same_site(kb, rendered):
    first = cold(kb, kb / "site")
    assert sorted(rendered) == ["escalation", "refund"] and len(kept_files(kb)) == 2
    rendered.clear()
    build_site(kb, kb / "site")
    assert rendered == []
    assert site_files(kb / "site") == first


def test_an_edit_renders_the_sop_and_the_pages_that_show_it_again(kb, rendered):
    build_site(kb, kb / "site")
    rendered.clear()
    escalation = kb / "sops" / "escalation.yaml"  # refund links to it: refund's page shows its title
    escalation.write_text(escalation.read_text().replace("title: Escalation policy", "title: Escalation rules"))
    build_site(kb, kb / "site")
    assert sorted(rendered) == ["escalation", "refund"]
    assert "Escalation rules" in (kb / "site" / REFUND).read_text()
    assert len(kept_files(kb)) == 2  # the pages of the old title are let go
    rendered.clear()
    refund = kb / "sops" / "refund.yaml"  # escalation's page shows refund only as linking to it
    refund.write_text(refund.read_text().replace("Note the refund amount.", "Note the refund amount and why."))
    build_site(kb, kb / "site")
    assert "refund" in rendered
    assert site_files(kb / "site") == cold(kb, kb / "site")


def test_a_changed_quiz_template_or_sopkb_renders_every_page_again(kb, rendered, monkeypatch):
    build_site(kb, kb / "site")
    rendered.clear()
    quiz = kb / "quizzes" / "refund-basics.yaml"
    quiz.write_text(quiz.read_text().replace("title: ", "title: Renamed ", 1))
    build_site(kb, kb / "site")
    assert sorted(rendered) == ["escalation", "refund"]
    rendered.clear()
    from sopkb.build import save_inputs

    monkeypatch.setattr(save_inputs, "code_stamp", lambda: "another sopkb")
    build_site(kb, kb / "site")
    assert sorted(rendered) == ["escalation", "refund"]


def plant(root: Path, payload: object) -> None:
    """Every kept page replaced by `payload` (JSON, compressed as the cache writes it)."""
    for kept in kept_files(root):
        kept.write_bytes(zlib.compress(json.dumps(payload).encode()))


@pytest.mark.parametrize(
    "payload",
    [
        "not a page",
        {"path": "sops/refund.md", "content": 1, "files": []},
        {"path": "sops/other.md", "content": "<p>planted</p>", "files": []},
        {"path": "sops/refund.md", "content": "planted", "files": [["../../outside.json", "x"]]},
        {"path": "sops/refund.md", "content": "planted", "files": [["learning/data/sop/other.json", "x"]]},
        {"path": "sops/refund.md", "content": "planted", "files": "x", "more": 1},
    ],
)
def test_a_planted_cache_file_is_ignored(kb, rendered, payload):
    first = cold(kb, kb / "site")
    plant(kb, payload)
    rendered.clear()
    build_site(kb, kb / "site")
    assert "refund" in rendered and not (kb / "outside.json").exists()
    assert site_files(kb / "site") == first


def test_corrupt_huge_and_linked_cache_files_are_ignored(kb, rendered, tmp_path, monkeypatch):
    first = cold(kb, kb / "site")
    files = kept_files(kb)
    files[0].write_bytes(b"\x00not zlib")
    elsewhere = tmp_path / "elsewhere.json.z"
    elsewhere.write_bytes(files[1].read_bytes())
    files[1].unlink()
    os.symlink(elsewhere, files[1])
    rendered.clear()
    build_site(kb, kb / "site")
    assert sorted(rendered) == ["escalation", "refund"]
    assert site_files(kb / "site") == first
    assert elsewhere.exists()  # a link is neither followed nor pruned through
    monkeypatch.setattr(render_cache, "MAX_BYTES", 10)
    rendered.clear()
    build_site(kb, kb / "site")
    assert sorted(rendered) == ["escalation", "refund"]


def test_a_cache_folder_that_is_a_link_is_never_used(kb, rendered, tmp_path):
    cold(kb, kb / "site")
    shutil.rmtree(kb / CACHE / render_cache.FOLDER)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, kb / CACHE / render_cache.FOLDER)
    rendered.clear()
    build_site(kb, kb / "site")
    assert sorted(rendered) == ["escalation", "refund"] and list(elsewhere.iterdir()) == []


def test_a_kept_page_of_the_right_shape_is_used_as_it_is(kb, rendered):
    """The control for the planted files above: what the cache says of a page is trusted, as the
    page cache's HTML is (documentation/safety.md): it sits beside the site, written by its builds."""
    cold(kb, kb / "site")
    for kept in kept_files(kb):
        data = json.loads(zlib.decompress(kept.read_bytes()))
        if data["path"] == "sops/refund.md":
            data["content"] = data["content"].replace("Refund request", "Kept words", 1)
            kept.write_bytes(zlib.compress(json.dumps(data).encode()))
    rendered.clear()
    build_site(kb, kb / "site")
    assert rendered == [] and "Kept words" in (kb / "site" / REFUND).read_text()


def test_a_kept_page_that_inflates_past_the_limit_is_never_inflated(kb, rendered, monkeypatch):
    """A few MB that inflate to gigabytes (zlib packs 1,000 to 1): the limit is on what is
    inflated, not only on what is read, so a planted file costs neither the memory nor the time."""
    first = cold(kb, kb / "site")
    monkeypatch.setattr(render_cache, "MAX_INFLATED", 100_000, raising=False)
    for kept in kept_files(kb):
        data = json.loads(zlib.decompress(kept.read_bytes()))
        padded = json.dumps(data) + " " * 200_000  # the right shape, and too big once inflated
        kept.write_bytes(zlib.compress(padded.encode()))
        assert kept.stat().st_size < render_cache.MAX_BYTES
    rendered.clear()
    build_site(kb, kb / "site")
    assert sorted(rendered) == ["escalation", "refund"]
    assert site_files(kb / "site") == first


@pytest.mark.parametrize(
    ("html", "used"),
    [
        ('<ul class="sopkb-changes__list"><li class="sopkb-change">Step 2 <ins>reworded</ins></li></ul>', True),
        ('<meta http-equiv="refresh" content="0;url=https://example.com">', False),
        ('<form action="https://example.com"><button>Sign</button></form>', False),
        ('<a href="https://example.com">changes</a>', False),
    ],
)
def test_a_kept_file_of_changes_must_be_made_of_the_tags_the_build_writes(small_kb, html, used):
    """The file of changes is the one data file a learner's page turns into HTML: kept in this
    cache, it is held to the history cache's rule (`history.built_here`)."""
    from sopkb.domain import urls
    from sopkb.render.history import built_here

    entry = small_kb.by_id["refund"]
    changes = urls.sop_changes_file(entry.id, entry.sop.version)
    text = json.dumps({"sop": entry.id, "to": entry.sop.version, "since": [{"from": "1.9", "html": html}]})
    data = {"path": entry.page_path, "content": "page", "files": [[changes, text]]}
    assert built_here(html) is used
    assert (render_cache._page_of(data, entry) is not None) is used
    data["files"] = [[changes, "not JSON"]]
    assert render_cache._page_of(data, entry) is None
