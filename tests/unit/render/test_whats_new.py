"""What's new: the entries (newest first, from git or `changes:` lists), their pages, and the Atom feed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

from sopkb.build.docs_tree import plan
from sopkb.core.parallel import can_fork
from sopkb.domain import urls
from sopkb.domain.project import Project
from sopkb.pipeline import load_knowledge_base
from sopkb.render.environment import make_environment
from sopkb.render.pages import render_site
from sopkb.render.whats_new import changes, feed_xml

from tests.conftest import FIXTURES
from tests.git_kb import REFUND, refund_history
from tests.hostile import marked, write_hostile_kb

A = "{http://www.w3.org/2005/Atom}"
TODAY = dt.date(2026, 11, 23)


def load(root: Path):
    return load_knowledge_base(dataclasses.replace(Project.at(root), history=True), today=TODAY)


def pages_of(kb) -> dict[str, str]:  # noqa: ANN001
    return {p.path: p.content for p in render_site(kb, make_environment(), today=TODAY)}


def with_changes(root: Path, versions: int) -> Path:
    """kb-small, not in git, whose refund SOP lists `versions` versions in `changes:`."""
    shutil.copytree(FIXTURES / "kb-small", root)
    listed = "".join(
        f"  - {{version: '{n}', date: {dt.date(2025, 1, 1) + dt.timedelta(days=n)}, summary: Change *{n}*.}}\n"
        for n in range(versions, 0, -1)
    )
    path = root / REFUND
    text = path.read_text(encoding="utf-8").replace("version: 1.10", f"version: '{versions}'")
    path.write_text(text.replace("related:\n", f"changes:\n{listed}related:\n"), encoding="utf-8")
    return root


# The entries --------------------------------------------------------------------------------------


def test_entries_from_git_newest_first_the_current_version_with_its_diff_in_words(tmp_path):
    git = refund_history(tmp_path / "kb")
    git.edit("sops/escalation.yaml", 'version: "2"', 'version: "2.1"')
    git.commit("Escalation: same day as refund 1.12", "2026-03-01")
    found = changes(load(git.root))
    assert [(c.sop_id, c.previous, c.version, c.date) for c in found] == [
        ("refund", "1.12", "2.0", dt.date(2026, 4, 1)),
        ("escalation", "2", "2.1", dt.date(2026, 3, 1)),  # one day: by title, "Escalate…" first
        ("refund", "1.11", "1.12", dt.date(2026, 3, 1)),
        ("refund", "1.10", "1.11", dt.date(2026, 2, 1)),
    ]
    assert found[0].summary == "1 step moved"  # what the SOP page's note says
    assert found[0].words == "Refund: find the order before greeting"  # the commit's subject
    assert [c.summary for c in found[2:]] == [None, None]  # earlier versions: their recorded words only
    assert found[0].owner == "Billing team"


def test_a_version_not_committed_yet_comes_first_undated(tmp_path):
    git = refund_history(tmp_path / "kb")
    git.edit(REFUND, "version: 2.0", "version: 2.1")
    git.edit(REFUND, "Note the refund amount.", "Note the refund amount and the reason.")
    first = changes(load(git.root))[0]
    assert (first.version, first.previous, first.date, first.words) == ("2.1", "2.0", None, None)
    assert first.summary == "1 step reworded"
    page = pages_of(load(git.root))[urls.WHATS_NEW]
    assert "Not committed yet · 1 step reworded</span>" in page


def test_entries_from_changes_lists_outside_git(tmp_path):
    kb = load(with_changes(tmp_path / "kb", 3))
    found = changes(kb)
    assert [(c.previous, c.version, c.date, c.words) for c in found] == [
        ("2", "3", dt.date(2025, 1, 4), "Change *3*."),
        ("1", "2", dt.date(2025, 1, 3), "Change *2*."),
    ]
    assert all(c.summary is None for c in found)  # no earlier content to compare
    page = pages_of(kb)[urls.WHATS_NEW]
    assert (
        '<li><a href="../sops/refund/#what-changed"><strong>Refund request</strong>: version 3 (from 2)</a>'
        '<span class="sopkb-listing__summary"><time datetime="2025-01-04">2025-01-04</time> · Change <em>3</em>.'
        "</span></li>"
    ) in page


def test_a_kb_without_history_says_so():
    kb = load_knowledge_base(Project.at(FIXTURES / "kb-small"), today=TODAY)
    assert changes(kb) == []
    page = pages_of(kb)[urls.WHATS_NEW]
    assert "No changes yet: no SOP has a version before its current one." in page
    assert "<ol" not in page and "sopkb-pagination" not in page
    assert 'href="../feed.xml" type="application/atom+xml"' in page  # the (empty) feed is still there


def test_the_page_is_kept_out_of_search():
    kb = load_knowledge_base(Project.at(FIXTURES / "kb-small"), today=TODAY)
    assert pages_of(kb)[urls.WHATS_NEW].startswith("---\ntitle: What’s new\nsearch:\n  exclude: true\n---\n")


# Pages ---------------------------------------------------------------------------------------------


def test_many_changes_are_paginated_like_the_other_listings(tmp_path):
    kb = load(with_changes(tmp_path / "kb", 252))  # 251 changes: pages of 100, 100 and 51
    pages = pages_of(kb)
    assert [p for p in sorted(pages) if p.startswith("whats-new/")] == [
        "whats-new/index.md",
        "whats-new/page-2.md",
        "whats-new/page-3.md",
    ]
    first, last = pages["whats-new/index.md"], pages["whats-new/page-3.md"]
    assert "251 changes · page 1 of 3." in first and "251 changes · page 3 of 3." in last
    assert first.count("<li><a href=") == 100 and last.count("<li><a href=") == 51
    assert "version 252 (from 251)" in first and "version 2 (from 1)" in last
    nav = (
        '<nav class="sopkb-pagination" aria-label="Pages of What’s new">\n'
        '<span aria-current="page">1</span> <a href="../whats-new/page-2/">2</a> '
        '<a href="../whats-new/page-3/">3</a> </nav>\n'
    )
    assert nav in first
    assert (
        '<a href="../../whats-new/">1</a> <a href="../../whats-new/page-2/">2</a> <span aria-current="page">3</span>'
        in last
    )
    tree = plan(kb, kb.project, site_name="Small KB")
    feed = ET.fromstring(dict(tree.data_files)[urls.FEED])
    assert len(feed.findall(f"{A}entry")) == 100  # the feed is the first page


def test_later_pages_are_out_of_the_navigation_and_their_addresses_are_kept(tmp_path):
    kb = load_knowledge_base(Project.at(FIXTURES / "kb-small"), today=TODAY)
    tree = plan(kb, kb.project, site_name="Small KB")
    assert tree.nav[1] == {"What’s new": "whats-new/index.md"}  # right after Home
    assert "/whats-new/page-*" in tree.not_in_nav
    assert tree.theme_extra["sopkb_feed"] == "feed.xml"


# The feed ------------------------------------------------------------------------------------------


def feed_of(root: Path, site_url: str | None, site_name: str = "Small KB") -> ET.Element:
    kb = load(root)
    tree = plan(kb, kb.project, site_name=site_name, site_url=site_url)
    text = dict(tree.data_files)[urls.FEED]
    assert text.startswith(
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
    )
    return ET.fromstring(text.encode("utf-8"))  # well-formed, or this raises


def test_the_feed_is_atom_with_every_required_element(tmp_path):
    git = refund_history(tmp_path / "kb")
    feed = feed_of(git.root, "https://sops.example.org/kb/")
    assert feed.tag == f"{A}feed"
    assert feed.findtext(f"{A}title") == "What’s new in Small KB"
    assert feed.findtext(f"{A}updated") == "2026-04-01T00:00:00Z"  # the newest entry, not the build's time
    assert feed.findtext(f"{A}author/{A}name") == "Small KB"
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", feed.findtext(f"{A}id"))
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{A}link")}
    assert links == {
        "alternate": "https://sops.example.org/kb/whats-new/",
        "self": "https://sops.example.org/kb/feed.xml",
    }
    entries = feed.findall(f"{A}entry")
    assert [e.findtext(f"{A}title") for e in entries] == [
        "Refund request: version 2.0 (from 1.12)",
        "Refund request: version 1.12 (from 1.11)",
        "Refund request: version 1.11 (from 1.10)",
    ]
    first = entries[0]
    for name in ("id", "title", "updated", "summary"):
        assert first.findtext(f"{A}{name}"), name
    assert first.findtext(f"{A}updated") == "2026-04-01T00:00:00Z"
    assert first.findtext(f"{A}summary") == "1 step moved. Refund: find the order before greeting."
    assert first.findtext(f"{A}author/{A}name") == "Billing team"
    link = first.find(f"{A}link")
    assert (link.get("rel"), link.get("type")) == ("alternate", "text/html")
    assert link.get("href") == "https://sops.example.org/kb/sops/refund/#what-changed"
    ids = [e.findtext(f"{A}id") for e in entries]
    assert len(set(ids)) == 3 and all(i.startswith("urn:uuid:") for i in ids)


def test_entry_ids_stay_the_same_from_build_to_build(tmp_path):
    git = refund_history(tmp_path / "kb")
    before = [e.findtext(f"{A}id") for e in feed_of(git.root, None).findall(f"{A}entry")]
    git.edit(REFUND, "version: 2.0", "version: 2.1")
    git.edit(REFUND, "Note the refund amount.", "Note the refund amount and the reason.")
    git.commit("Refund 2.1", "2026-05-01")
    after = [e.findtext(f"{A}id") for e in feed_of(git.root, None).findall(f"{A}entry")]
    assert after[1:] == before  # one new entry on top; the others keep their ids
    elsewhere = [e.findtext(f"{A}id") for e in feed_of(git.root, "https://x.example/").findall(f"{A}entry")]
    assert set(elsewhere).isdisjoint(after)  # another site's entries are other entries


def test_without_site_url_links_are_relative_to_the_feed_at_the_site_root(tmp_path):
    git = refund_history(tmp_path / "kb")
    feed = feed_of(git.root, None)
    assert {link.get("rel"): link.get("href") for link in feed.findall(f"{A}link")} == {
        "alternate": "whats-new/",
        "self": "feed.xml",
    }
    assert feed.find(f"{A}entry/{A}link").get("href") == "sops/refund/#what-changed"
    assert feed.get("{http://www.w3.org/XML/1998/namespace}base") is None


def test_an_empty_feed_is_still_a_valid_feed():
    kb = load_knowledge_base(Project.at(FIXTURES / "kb-small"), today=TODAY)
    feed = ET.fromstring(feed_xml(changes(kb), site_name="Small KB", site_url=None, today=TODAY))
    assert feed.findall(f"{A}entry") == []
    assert feed.findtext(f"{A}updated") == "2026-11-23T00:00:00Z"
    assert feed.findtext(f"{A}id") and feed.findtext(f"{A}title") and feed.findtext(f"{A}author/{A}name")


def test_hostile_author_text_is_escaped_and_the_feed_stays_well_formed(tmp_path):
    root = tmp_path / "kb"
    shutil.copytree(FIXTURES / "kb-small", root)
    write_hostile_kb(root)
    source = root / "sops" / "refund.yaml"
    data = json.loads(source.read_text(encoding="utf-8"))
    data["changes"].append(
        {"version": "draft", "date": "2025-02-01", "summary": "The first"}
    )  # below the hostile one (which has numbers in it): words only
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    site_name = marked("site_name")
    text = feed_xml(changes(load(root)), site_name=site_name, site_url=None, today=TODAY)
    assert "<script>" not in text and "<img" not in text  # escaped, not markup
    feed = ET.fromstring(text)  # the escape character would make XML ill-formed: it is replaced
    entry = feed.find(f"{A}entry")
    shown = entry.findtext(f"{A}author/{A}name")
    assert shown.startswith("owner <img src=x onerror=\"window.__xss='owner'\"><script>")
    assert "\x1b" not in shown and "\ufffd[31mred\u202e{ph}" in shown
    assert entry.findtext(f"{A}title").startswith("title <img src=x")
    assert "version version <img src=x" in entry.findtext(f"{A}title")
    summaries = [e.findtext(f"{A}summary") for e in feed.findall(f"{A}entry")]
    assert summaries[1].startswith("changes[0].summary <img src=x")  # the version `changes:` words
    assert feed.findtext(f"{A}title") == "What’s new in " + site_name.replace("\x1b", "\ufffd")
    page = pages_of(load(root))[urls.WHATS_NEW]
    assert "<script>" not in page and "&lt;script&gt;" in page


def test_diffs_computed_in_the_render_workers_are_handed_back_not_read_again(tmp_path):
    git = refund_history(tmp_path / "kb")
    escalation = (git.root / "sops" / "escalation.yaml").read_text(encoding="utf-8")
    for n in (1, 2, 3):  # enough SOPs for two forked workers
        copy = escalation.replace("id: escalation", f"id: escalation-{n}")
        (git.root / "sops" / f"escalation-{n}.yaml").write_text(copy, encoding="utf-8")
    git.commit("More SOPs", "2026-04-02")
    git.edit("sops/escalation-2.yaml", 'version: "2"', 'version: "2.1"')
    git.edit("sops/escalation-2.yaml", "title: Listen", "title: Listen fully")
    git.commit("Escalation 2.1", "2026-04-03")
    kb = load(git.root)  # no quiz tests escalation-2: validation compared nothing
    history = kb.history["escalation-2"]
    reads = Counted(history.contents)
    history.contents = reads  # counts the reads of this process, not the forked workers'
    pages = {p.path: p.content for p in render_site(kb, make_environment(), today=TODAY, jobs=2)}
    assert "1 step reworded" in pages["sops/escalation-2.md"]  # the worker compared
    assert changes(kb)[0].summary == "1 step reworded"  # and What's new has its diff ...
    # ... without reading the earlier version again: in forked workers, this process read none;
    # where reading cannot fork (a full test run has other threads running: the browser tests'
    # servers), the one rendering process read it once, for the page, and What's new reused it.
    assert reads.count == (0 if can_fork() else 1)


@dataclasses.dataclass
class Counted:
    contents: object
    count: int = 0

    def sop(self, ref: str):  # noqa: ANN201
        self.count += 1
        return self.contents.sop(ref)

    def fetch(self, refs) -> None:  # noqa: ANN001
        self.contents.fetch(refs)
