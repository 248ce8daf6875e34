"""The SOP page's "What changed" line and section, rendered from the latest diff only; and the
files of what changed since each earlier version, for learners who signed one."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from sopkb.domain.history import changes_only
from sopkb.domain.project import Project
from sopkb.pipeline import load_knowledge_base
from sopkb.render.environment import make_environment
from sopkb.render.history import EARLIER_SHOWN, sop_data
from sopkb.render.pages import render_site

from tests.git_kb import REFUND, refund_history
from tests.hostile import XSS_SHORT
from tests.unit.domain.sop_data import sop


def refund_page(root) -> str:
    kb = load_knowledge_base(dataclasses.replace(Project.at(root), history=True), today=dt.date(2026, 11, 23))
    pages = render_site(kb, make_environment(), today=dt.date(2026, 11, 23))
    return next(p.content for p in pages if p.path == "sops/refund.md")


def test_the_page_shows_what_changed_in_its_version_word_by_word(tmp_path):
    kb = refund_history(tmp_path / "kb")
    kb.edit(REFUND, '"I\'ve issued your refund."', '"I\'ve issued your <refund> today."')
    kb.edit(REFUND, "version: 2.0", "version: 2.1")
    kb.edit(
        REFUND,
        "related:\n",
        "changes:\n  - {version: 2.1, date: 2026-05-02, summary: Say *when*.}\nrelated:\n",
    )
    page = refund_page(kb.root)
    assert (
        '<p class="sopkb-changed-note" data-search-exclude><strong>What changed in version 2.1 (from 2.0)'
        '</strong>, 2026-05-02: 1 branch reworded. <a href="#what-changed">See what changed</a></p>'
    ) in page
    section = page[page.index("\n## What changed\n") : page.index("\n## Read and sign\n")]
    assert section == (
        "\n## What changed\n\n"
        '<div class="sopkb-changes" data-search-exclude>\n'
        '<p class="sopkb-changes__lead"><strong>What changed in version 2.1 (from 2.0)</strong> · 2026-05-02</p>\n'
        '<p class="sopkb-changes__summary"><bdi>Say <em>when</em>.</bdi></p>\n'
        "<p>In short: 1 branch reworded.</p>\n"
        '<ul class="sopkb-changes__list">\n'
        '<li class="sopkb-change sopkb-change--changed"><a href="#step-eligible">Step 3 “Check eligibility”</a>: '
        'answer “Yes” reworded (say).<ul class="sopkb-change__lines"><li><span class="sopkb-change__part">'
        "If yes: say</span> I&#39;ve issued your "
        '<ins><span class="md-visually-hidden">added: </span>&lt;</ins>refund'
        '<ins><span class="md-visually-hidden">added: </span>&gt; today</ins>.</li></ul></li>\n'
        "</ul>\n"
        '<details class="sopkb-changes__earlier" data-earlier-versions data-root="../../" '
        'data-sop-data="../../learning/data/sop/refund.json" data-version="2.1">'
        "<summary>Earlier versions (4)</summary><ol>"
        '<li data-earlier-version="2.0"><strong>Version <bdi>2.0</bdi></strong> · 2026-04-01: '
        "<bdi>Refund: find the order before greeting</bdi></li>"
        '<li data-earlier-version="1.12"><strong>Version <bdi>1.12</bdi></strong> · 2026-03-01: '
        "<bdi>Refund: ineligible orders go straight to a supervisor</bdi></li>"
        '<li data-earlier-version="1.11"><strong>Version <bdi>1.11</bdi></strong> · 2026-02-01: '
        "<bdi>Refund: find the order first</bdi></li>"
        '<li data-earlier-version="1.10"><strong>Version <bdi>1.10</bdi></strong> · 2026-01-01: '
        "<bdi>The small KB</bdi></li></ol></details>\n"
        "</div>\n"
    )


def test_only_the_latest_diff_is_on_the_page(tmp_path):
    kb = refund_history(tmp_path / "kb")
    page = refund_page(kb.root)
    assert "1 step moved" in page
    assert "you today" not in page.split("## What changed")[1]  # 1.11's change stays out of 2.0's page
    assert page.count("<del>") == 0 and page.count("<ins>") == 0  # a move changes no words


def test_an_sop_with_one_version_has_no_section(tmp_path):
    kb = refund_history(tmp_path / "kb")
    kb_page = load_knowledge_base(dataclasses.replace(Project.at(kb.root), history=True))
    pages = render_site(kb_page, make_environment())
    escalation = next(p.content for p in pages if p.path == "sops/escalation.md")
    assert "What changed" not in escalation and "sopkb-changes" not in escalation


def chart_node(page: str, step_id: str) -> str:
    svg = page[page.index("<svg") : page.index("</svg>")]
    start = svg.index(f'data-node="step-{step_id}"')
    return svg[start : svg.index("</g></a>", start)]


def test_the_flowchart_marks_the_steps_the_version_added_or_changed_in_words(tmp_path):
    kb = refund_history(tmp_path / "kb")
    kb.edit(REFUND, "version: 2.0", "version: 2.1")
    kb.edit(REFUND, "Note the refund amount.", "Note the refund amount and the reason.")  # record
    kb.edit(REFUND, "documentation:\n", "  - id: thank\n    title: Thank the customer\ndocumentation:\n")
    page = refund_page(kb.root)
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert "<desc>5 steps, 1 decision. Changed in version 2.1: step 4, step 5 (new).</desc>" in svg
    new, changed = chart_node(page, "thank"), chart_node(page, "record")
    assert '<g class="sopkb-chart__mark"><title>New in version 2.1</title>' in new
    assert ">New</text></g>" in new and "<title>5. Thank the customer (New in version 2.1)</title>" in new
    assert '<g class="sopkb-chart__mark"><title>Changed in version 2.1</title>' in changed
    assert ">Changed</text></g>" in changed
    for untouched in ("greet", "find-order", "eligible"):
        assert "sopkb-chart__mark" not in chart_node(page, untouched), untouched


def test_a_move_is_a_change_and_the_first_version_marks_nothing(tmp_path):
    kb = refund_history(tmp_path / "kb")
    page = refund_page(kb.root)
    assert ">Changed</text>" in chart_node(page, "find-order")  # 2.0 moved it before the greeting
    assert page.count('class="sopkb-chart__mark"') == 1
    kb_page = load_knowledge_base(dataclasses.replace(Project.at(kb.root), history=True))
    escalation = next(
        p.content for p in render_site(kb_page, make_environment()) if p.path == "sops/escalation.md"
    )
    assert "sopkb-chart__mark" not in escalation


def refund_files(root) -> dict[str, str]:
    kb = load_knowledge_base(dataclasses.replace(Project.at(root), history=True))
    pages = render_site(kb, make_environment())
    return dict(next(p for p in pages if p.path == "sops/refund.md").files)


def test_each_earlier_version_has_a_file_of_what_changed_since_it(tmp_path):
    kb = refund_history(tmp_path / "kb")
    kb.edit(REFUND, "version: 2.0", "version: 2.1")
    kb.edit(REFUND, "Note the refund amount.", json.dumps(f"Note the amount {XSS_SHORT}"))
    kb.commit("Refund 2.1", "2026-05-01")
    files = refund_files(kb.root)
    data = json.loads(files["learning/data/sop/refund.json"])
    changes_file = "learning/data/sop/refund/changes-2.1.json"  # one file for every earlier version
    assert data == {
        "id": "refund",
        "title": "Refund request",
        "href": "sops/refund/",
        "version": "2.1",
        "earlier": [
            {"version": "2.0", "date": "2026-04-01", "summary": "1 step reworded",
             "diff": changes_file},
            {"version": "1.12", "date": "2026-03-01", "summary": "1 step reworded, 1 moved",
             "diff": changes_file},
            {"version": "1.11", "date": "2026-02-01",
             "summary": "1 step reworded, 1 moved, 1 branch retargeted, 1 removed",
             "diff": changes_file},
            {"version": "1.10", "date": "2026-01-01", "summary": "2 steps reworded, 1 added, 1 branch retargeted",
             "diff": changes_file},
        ],
    }  # fmt: skip
    assert sorted(files) == ["learning/data/sop/refund.json", changes_file]
    since = json.loads(files[changes_file])
    assert (since["sop"], since["to"]) == ("refund", "2.1")
    assert [entry["from"] for entry in since["since"]] == ["2.0", "1.12", "1.11", "1.10"]
    html = since["since"][3]["html"]
    # straight from 1.10: the step 1.11 added is added (not added, then moved), the say line reworded
    assert html.startswith("<p>In short: 2 steps reworded, 1 added, 1 branch retargeted.</p>\n")
    assert '<a href="#step-find-order">Step 1 “Find the order”</a>: added.' in html
    assert "how can I help <ins><span class=\"md-visually-hidden\">added: </span>you today</ins>?" in html
    # typed markup is text
    assert "&lt;script&gt;window.__xss=2&lt;/script&gt;" in html and "<script" not in html and "<img" not in html
    # the page itself still carries only its latest diff
    page = refund_page(kb.root)
    assert "you today" not in page.split("## What changed")[1]


def test_the_files_keep_the_newest_earlier_versions_only(tmp_path):
    changes = [{"version": f"1.{n}", "date": "2026-01-01", "summary": f"Version 1.{n}."} for n in range(30, 0, -1)]
    sop_ = sop(version="1.30", changes=changes)
    files = dict(sop_data(sop_, changes_only(sop_), lambda diff: "unused"))
    data = json.loads(files["learning/data/sop/a.json"])
    assert [e["version"] for e in data["earlier"]] == [f"1.{n}" for n in range(29, 29 - EARLIER_SHOWN, -1)]
    # outside git there is nothing to compare with: no file of changes, and no summary made up
    assert {(e["summary"], e["diff"]) for e in data["earlier"]} == {(None, None)}
    assert list(files) == ["learning/data/sop/a.json"]


def test_an_sop_with_one_version_has_its_data_file_only():
    sop_ = sop(version="2")
    assert [path for path, _ in sop_data(sop_, changes_only(sop_), lambda diff: "")] == [
        "learning/data/sop/a.json"
    ]
    assert json.loads(sop_data(sop_, None, lambda diff: "")[0][1])["earlier"] == []


def test_an_earlier_version_that_no_longer_reads_says_so_in_its_file(tmp_path):
    kb = refund_history(tmp_path / "kb")
    history = load_knowledge_base(dataclasses.replace(Project.at(kb.root), history=True)).history["refund"]
    history._diffs[-3] = "version 1.10 no longer reads as an SOP (line 1: <bad>)"
    files = dict(sop_data(history.current, history, lambda diff: "unused"))
    entry = json.loads(files["learning/data/sop/refund.json"])["earlier"][2]
    assert (entry["version"], entry["summary"]) == ("1.10", None)
    assert json.loads(files[entry["diff"]])["since"][2] == {"from": "1.10", "html": (
        "<p>A step-by-step comparison is not available: "
        "version 1.10 no longer reads as an SOP (line 1: &lt;bad&gt;).</p>"
    )}

