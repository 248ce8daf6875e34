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
