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

from tests.unit.build.test_page_cache import CACHE, site_files

REFUND = "sops/refund/index.html"
ESCALATION = "sops/escalation/index.html"


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


def packed(head: object, content: object) -> bytes:
    """A kept page as the cache writes it: a line saying what the page is, then its Markdown."""
    return zlib.compress((json.dumps(head) + "\n" + json.dumps(content)).encode())


def unpacked(kept: Path) -> tuple[dict, str]:
    head, content = zlib.decompress(kept.read_bytes()).split(b"\n", 1)
    return json.loads(head), json.loads(content)


def plant(root: Path, head: object, content: object) -> None:
    """Every kept page replaced by `head` and `content` (or by `head`'s bytes alone)."""
    for kept in kept_files(root):
        kept.write_bytes(zlib.compress(head) if isinstance(head, bytes) else packed(head, content))


UNKNOWN = "0" * 64  # the digest of no page the page cache holds: the Markdown must be read
REFUND_DATA = "learning/data/sop/refund.json"


@pytest.mark.parametrize(
    ("head", "content"),
    [
        (b"not a page", None),
        (json.dumps({"path": "sops/refund.md", "digest": UNKNOWN, "files": []}).encode(), None),
        ({"path": "sops/refund.md", "digest": UNKNOWN, "files": []}, 1),
        ({"path": "sops/other.md", "digest": UNKNOWN, "files": []}, "<p>planted</p>"),
        ({"path": "sops/refund.md", "digest": UNKNOWN, "files": [["../../outside.json", "x"]]}, "planted"),
        ({"path": "sops/refund.md", "digest": UNKNOWN, "files": [["learning/data/sop/other.json", "x"]]}, "x"),
        ({"path": "sops/refund.md", "digest": UNKNOWN, "files": "x", "more": 1}, "planted"),
        ({"path": "sops/refund.md", "digest": "not hex", "files": []}, "planted"),
        ({"path": "sops/refund.md", "files": []}, "planted"),
        ({"path": "sops/refund.md", "digest": UNKNOWN, "files": [[REFUND_DATA, "{}"], [REFUND_DATA, "x"]]}, "x"),
    ],
)
def test_a_planted_cache_file_is_ignored(kb, rendered, head, content):
    first = cold(kb, kb / "site")
    plant(kb, head, content)
    rendered.clear()
    build_site(kb, kb / "site")
    assert "refund" in rendered and not (kb / "outside.json").exists()
    assert site_files(kb / "site") == first


def test_a_placed_page_reads_only_the_first_line(kb, rendered):
    """A page whose HTML the page cache holds is placed from what the kept file's first line says
    (its Markdown's digest and data files): the Markdown after it is never inflated or parsed."""
    first = cold(kb, kb / "site")
    for kept in kept_files(kb):
        head, _ = unpacked(kept)
        kept.write_bytes(zlib.compress((json.dumps(head) + "\n").encode() + b"\xff not JSON" * 1000))
    rendered.clear()
    build_site(kb, kb / "site")
    assert rendered == [] and site_files(kb / "site") == first


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
        head, content = unpacked(kept)
        if head["path"] == "sops/refund.md":
            head["digest"] = UNKNOWN  # not placed from the page cache: made from the kept Markdown
            kept.write_bytes(packed(head, content.replace("Refund request", "Kept words", 1)))
    rendered.clear()
    build_site(kb, kb / "site")
    assert rendered == [] and "Kept words" in (kb / "site" / REFUND).read_text()


def test_a_kept_page_that_inflates_past_the_limit_is_never_inflated(kb, rendered, monkeypatch):
    """A few MB that inflate to gigabytes (zlib packs 1,000 to 1): the limit is on what is
    inflated, not only on what is read, so a planted file costs neither the memory nor the time."""
    first = cold(kb, kb / "site")
    monkeypatch.setattr(render_cache, "MAX_INFLATED", 100_000, raising=False)
    for kept in kept_files(kb):
        head, content = unpacked(kept)
        padded = json.dumps(head) + " " * 200_000 + "\n" + json.dumps(content)  # too big once inflated
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
    data = {"path": entry.page_path, "digest": UNKNOWN, "files": [[changes, text]]}
    assert built_here(html) is used
    assert (render_cache._head_of(data, entry) is not None) is used
    data["files"] = [[changes, "not JSON"]]
    assert render_cache._head_of(data, entry) is None
