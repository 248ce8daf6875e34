"""The SOP page's "What changed" line and section, rendered from the latest diff only."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sopkb.domain.project import Project
from sopkb.pipeline import load_knowledge_base
from sopkb.render.environment import make_environment
from sopkb.render.pages import render_site

from tests.git_kb import REFUND, refund_history


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
        '<p class="sopkb-changes__summary">Say <em>when</em>.</p>\n'
        "<p>In short: 1 branch reworded.</p>\n"
        '<ul class="sopkb-changes__list">\n'
        '<li class="sopkb-change sopkb-change--changed"><a href="#step-eligible">Step 3 “Check eligibility”</a>: '
        'answer “Yes” reworded (say).<ul class="sopkb-change__lines"><li><span class="sopkb-change__part">'
        "If yes: say</span> I&#39;ve issued your "
        '<ins><span class="md-visually-hidden">added: </span>&lt;</ins>refund'
        '<ins><span class="md-visually-hidden">added: </span>&gt; today</ins>.</li></ul></li>\n'
        "</ul>\n"
        '<details class="sopkb-changes__earlier"><summary>Earlier versions (4)</summary><ol>'
        "<li><strong>Version 2.0</strong> · 2026-04-01: Refund: find the order before greeting</li>"
        "<li><strong>Version 1.12</strong> · 2026-03-01: Refund: ineligible orders go straight to a supervisor</li>"
        "<li><strong>Version 1.11</strong> · 2026-02-01: Refund: find the order first</li>"
        "<li><strong>Version 1.10</strong> · 2026-01-01: The small KB</li></ol></details>\n"
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
