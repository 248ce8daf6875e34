"""Generated pages compared with reviewed golden files; regenerate with `pytest --update-golden`."""

from __future__ import annotations

import datetime as dt
import re

from sopkb.domain.project import Project
from sopkb.pipeline import load_knowledge_base
from sopkb.render.environment import make_environment
from sopkb.render.pages import navigation, render_site

from tests.conftest import FIXTURES, TESTS

FIXTURE = FIXTURES / "kb-small"
GOLDEN = TESTS / "golden" / "kb-small"
TODAY = dt.date(2026, 11, 23)


def rendered() -> dict[str, str]:
    kb = load_knowledge_base(Project.at(FIXTURE), today=TODAY)
    return {p.path: p.content for p in render_site(kb, make_environment(), site_name="Small KB", today=TODAY)}


def test_generated_pages_match_golden_files(update_golden):
    pages = rendered()
    if update_golden:
        for stale in GOLDEN.rglob("*.md"):
            if str(stale.relative_to(GOLDEN)) not in pages:
                stale.unlink()
        for path, content in pages.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_text(content, encoding="utf-8")
    golden = {str(p.relative_to(GOLDEN)): p.read_text(encoding="utf-8") for p in GOLDEN.rglob("*.md")}
    assert sorted(pages) == sorted(golden)
    for path, content in pages.items():
        assert content == golden[path], (
            f"{path} differs from its golden file (pytest --update-golden to accept)"
        )


def test_navigation_lists_categories_not_sops():
    kb = load_knowledge_base(Project.at(FIXTURE), today=TODAY)
    assert navigation(kb) == [
        {"Home": "index.md"},
        {"What’s new": "whats-new/index.md"},
        {"Categories": [{"Billing": "categories/billing.md"}, {"General": "categories/general.md"}]},
        {"Quizzes": "quizzes/index.md"},
        {
            "Learning": [
                {"My learning": "learning/index.md"},
                {"Learning paths": "paths/index.md"},
                {"Assign work": "learning/assign.md"},
            ]
        },
        {"Tags": "tags/index.md"},
        {"Needs review": "review.md"},
    ]


def test_sop_page_carries_everything_an_agent_and_a_trainer_need():
    page = rendered()["sops/refund.md"]
    assert page.startswith('---\ntitle: "Refund request"\n')
    for fragment in [
        'id="step-greet"',
        'id="step-eligible"',
        'id="step-record"',  # stable anchors per step
        '<span class="sopkb-ph">{customer_name}</span>',  # placeholders highlighted
        'data-copy="Hello {customer_name}, how can I help?"',  # copy carries plain text
        'href="../../sops/escalation/#step-listen"',  # cross-SOP branch
        "<code>BIL-REF</code>",
        "Refund issued",  # dispositions
        "Confirm whether ineligible refunds always escalate.",  # review flag
        "Version 1.10",  # version kept as written
        "## Sample call scripts",
        "## Documentation",
        "## Related SOPs",
        "## About this SOP",
    ]:
        assert fragment in page, fragment


def test_overdue_and_unapproved_sops_carry_one_visible_banner():
    later = dt.date(2100, 1, 2)
    kb = load_knowledge_base(Project.at(FIXTURE), today=later)
    pages = {p.path: p.content for p in render_site(kb, make_environment(), today=later)}
    refund = pages["sops/refund.md"]
    assert refund.count('class="sopkb-review-banner" role="note"') == 1
    assert (
        "<strong>Check before relying on it:</strong> this SOP was due for review on 2099-01-01; "
        "its owner (Billing team) confirms or updates it. 1 point in this SOP was reconstructed"
    ) in refund
    assert "Check before relying on it" not in rendered()["sops/refund.md"]  # in date and approved


HEADING = re.compile(r"^(#{1,6}) |<h([1-6])[ >]", re.MULTILINE)


def heading_levels(page: str) -> list[int]:
    """The page's headings in order, Markdown (`## Procedure`) and HTML (`<h3 …>`); the page's title
    is its h1."""
    return [1] + [len(m.group(1)) if m.group(1) else int(m.group(2)) for m in HEADING.finditer(page)]


def test_no_sop_page_skips_a_heading_level_with_or_without_sections():
    kb = load_knowledge_base(Project.at(FIXTURE), today=TODAY)
    assert {e.id for e in kb.sops if e.sop.sections is None} and {e.id for e in kb.sops if e.sop.sections}
    for path, content in rendered().items():
        if path.startswith("sops/"):
            levels = heading_levels(content)
            skips = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
            assert skips == [], f"{path}: a heading of level {skips[0][1]} follows one of level {skips[0][0]}"


def test_a_template_a_kb_adds_or_changes_is_used_at_the_next_render(tmp_path):
    """`sopkb serve` keeps one template environment per set of template files: an override the
    KB adds while the preview runs, and one it edits, are both used at the next save."""
    import os

    from sopkb.render.environment import make_environment

    pages = tmp_path / "site_templates" / "pages"
    pages.mkdir(parents=True)
    (pages / "placeholder.txt").write_text("")
    first = make_environment(tmp_path / "site_templates")
    assert "Override" not in first.loader.get_source(first, "tags.md.j2")[0]  # the built-in one
    (pages / "tags.md.j2").write_text("Override one\n")
    again = make_environment(tmp_path / "site_templates")
    assert again.get_template("tags.md.j2").render() == "Override one\n"
    override = pages / "tags.md.j2"
    override.write_text("Override two\n")
    stamp = override.stat().st_mtime_ns + 1_000_000_000
    os.utime(override, ns=(stamp, stamp))  # a later save, whatever the clock's grain
    assert make_environment(tmp_path / "site_templates").get_template("tags.md.j2").render() == "Override two\n"


def test_the_review_page_stays_small_however_many_sops_need_review():
    """Needs review shows the first few SOPs of each section and links to each section's whole
    list, paginated like every listing: at 1,000 clones it had grown to 625 KB."""
    from dataclasses import replace

    from sopkb.domain.knowledge_base import KnowledgeBase
    from sopkb.render import pages

    small = load_knowledge_base(Project.at(FIXTURE), today=TODAY)
    env = make_environment()
    common = pages._template_context(small, TODAY, "Small KB")

    def page(path, template, **context):  # noqa: ANN001, ANN202 - render_site's own page maker
        return pages.Page(path, env.get_template(template).render(root=pages.root_of(path), **common, **context))

    def review_pages(count: int) -> dict[str, str]:
        draft = small.by_id["escalation"]  # a draft: not approved
        many = [
            replace(draft, sop=draft.sop.model_copy(update={"id": f"esc-{n:03}", "title": f"Escalation {n:03}"}))
            for n in range(count)
        ]
        kb = KnowledgeBase(small.project, many)
        common["kb"] = kb
        made = {p.path: p.content for p in pages._index_pages(kb, page, TODAY)}
        return {path: text for path, text in made.items() if path.startswith("review")}

    few, some, lots = review_pages(3), review_pages(20), review_pages(250)
    assert "All " not in few["review.md"] and "Escalation 002" in few["review.md"]
    assert len(lots["review.md"]) < 1.05 * len(some["review.md"])  # flat: ten shown, not 250
    assert lots["review.md"].count("Escalation ") == pages.REVIEW_SHOWN
    assert 'href="../review/not-approved/">All 250 SOPs: drafts and sops marked needs-review</a>' in lots["review.md"]
    assert sorted(p for p in lots if p.startswith("review/not-approved")) == [
        "review/not-approved-page-2.md",
        "review/not-approved-page-3.md",
        "review/not-approved.md",
    ]
    assert lots["review/not-approved-page-3.md"].count("Escalation ") == 50
    assert "<p>None.</p>" in lots["review/overdue.md"]  # every section has its list, even empty
