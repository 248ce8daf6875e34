"""The built bundled site in Chromium: every SOP page offline, flowcharts, copy, keyboard, no-JS, print."""

from __future__ import annotations

import re

import pytest
from sopkb.domain.project import Project
from sopkb.pipeline import load_knowledge_base
from sopkb.text.markdown import plain

from .conftest import REPO, open_watched

pytestmark = pytest.mark.browser
KB = load_knowledge_base(Project.at(REPO))
SOP_IDS = [e.id for e in KB.sops]


def step_labels(sop_id: str) -> dict[str, str]:
    steps = KB.by_id[sop_id].sop.all_steps()
    return {s.id: f"{s.number or i}. {plain(s.title)}" for i, s in enumerate(steps, start=1)}


@pytest.mark.parametrize("sop_id", SOP_IDS)
def test_sop_page_offline_with_a_complete_flowchart(watched, site, sop_id):
    page = watched.page
    page.goto(f"{site.url}sops/{sop_id}/")
    chart = page.locator("svg.sopkb-chart")
    assert chart.bounding_box()["height"] > 100
    for step_id, label in step_labels(sop_id).items():
        node = page.locator(f'svg.sopkb-chart g[data-node="step-{step_id}"]')
        assert node.count() == 1, step_id
        shown = " ".join(" ".join(node.locator("tspan").all_text_contents()).split())
        full = node.locator("title").all_text_contents()
        assert shown.startswith(label) or (
            shown.rstrip("…").split("…")[0].strip() in label and full and full[0].startswith(label)
        ), (shown, label)
        assert node.bounding_box()["width"] > 50
        assert page.locator(f"#step-{step_id}").count() == 1  # the node's link target exists
    assert watched.off_origin == []
    assert watched.console_errors == []


def test_flowchart_node_links_to_its_step_by_keyboard(watched, site):
    page = watched.page
    page.goto(f"{site.url}sops/missed-delivery-customer-home/")
    link = page.locator('svg.sopkb-chart a[*|href="#step-verify"]')
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.hash === '#step-verify'")
    assert page.locator("#step-verify").is_visible()


def test_copy_button_copies_the_agent_words(browser, site):
    w = open_watched(browser, site.url.rstrip("/"), permissions=["clipboard-read", "clipboard-write"])
    page = w.page
    page.goto(f"{site.url}sops/lost-or-stolen-package/")
    button = page.locator("#step-empathize").locator("xpath=..").locator("button.sopkb-copy")
    assert button.is_visible()
    button.click()
    page.wait_for_function(
        "() => document.querySelector('#sopkb-live') && "
        "document.querySelector('#sopkb-live').textContent.includes('Copied')"
    )
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == (
        "I'm really sorry your package is missing — I understand how frustrating that is, "
        "and I'm taking this seriously."
    )
    page.context.close()


def test_call_script_copy_carries_only_agent_lines(site, watched):
    page = watched.page
    page.goto(f"{site.url}sops/leadership-request/")
    data = page.locator('section[aria-labelledby="script-agrees-to-wait"] button.sopkb-copy').get_attribute(
        "data-copy"
    )
    assert (
        data.splitlines()[0]
        == "I can have a member of our leadership team follow up with you. Would you be willing to wait for that?"
    )
    assert "Fine, as long as someone actually calls." not in data


def test_flowchart_and_procedure_readable_without_javascript(browser, site):
    w = open_watched(browser, site.url.rstrip("/"), java_script_enabled=False)
    w.page.goto(f"{site.url}sops/leadership-request/")
    assert w.page.locator('svg.sopkb-chart g[data-node="step-resolution-lead"]').bounding_box()["height"] > 20
    procedure = w.page.locator(".sopkb-procedure")
    assert procedure.get_by_text("Agent will Warm Transfer to the “Resolution Lead” Skill").first.is_visible()
    assert w.page.locator("[data-guided-start]").is_hidden()  # guided mode needs script: no dead button
    assert w.page.locator("button.sopkb-copy").first.is_hidden()  # copying needs script: no dead buttons
    w.page.context.close()


def test_print_shows_the_chart_and_hides_buttons(watched, site):
    page = watched.page
    page.goto(f"{site.url}sops/missed-delivery-customer-home/")
    page.emulate_media(media="print")
    assert page.locator("svg.sopkb-chart").is_visible()
    assert page.locator("button.sopkb-copy").first.is_hidden()
    assert len(page.pdf()) > 10_000


def test_review_flags_are_visible_on_reconstructed_sop(watched, site):
    page = watched.page
    page.goto(f"{site.url}sops/leadership-request/")
    assert page.locator(".sopkb-review-banner").is_visible()
    count = int(re.search(r"(\d+) points", page.locator(".sopkb-review-banner").inner_text()).group(1))
    assert count == KB.by_id["leadership-request"].review_points >= 10
    assert page.locator(".sopkb-review").count() >= 10
    assert page.locator(".sopkb-review-list li").count() == count


def test_quick_card_and_its_first_key_step_visible_without_scrolling(watched, site):
    """The quick card shows each key step's actions and each answer's own content (#12), so on a
    long SOP it runs past the first screen; it starts on it, with its first key step whole."""
    page = watched.page
    for sop_id in SOP_IDS:
        page.goto(f"{site.url}sops/{sop_id}/")
        first = page.locator(".sopkb-quick__steps > li").first.bounding_box()
        assert first["y"] + first["height"] <= 768, sop_id


def test_search_works_offline_from_the_customers_words(watched, site):
    page = watched.page
    page.goto(site.url)
    page.locator(".md-search__input").click()
    page.keyboard.type("porch pirate")
    first = page.locator(".md-search-result__item a").first
    first.wait_for()
    assert "/sops/lost-or-stolen-package/" in first.get_attribute("href")
    assert watched.off_origin == []
    assert watched.console_errors == []


def test_home_serves_three_audiences(watched, site):
    page = watched.page
    page.goto(site.url)
    for heading in ["On a call?", "New here?", "Training a team?"]:
        assert page.get_by_role("heading", name=heading).is_visible()
    assert page.locator(".sopkb-categories li").count() == len(KB.categories)


PAGE_MM = (281, 194)  # A4 landscape inside the print card's 8 mm margins
MM = 96 / 25.4  # CSS px per mm


@pytest.mark.parametrize("sop_id", SOP_IDS)
def test_quick_reference_card_prints_on_one_sheet(watched, site, sop_id):
    """Print quick card: one A4 landscape sheet. Its front is the title and the whole quick card,
    nothing under 7 pt; the flowchart is beside the card when it fits there at 90% of its size or
    more, otherwise alone on the back, turned to run along the sheet when it is tall, at 60% of its
    size or more."""
    page = watched.page
    page.goto(f"{site.url}sops/{sop_id}/")
    chart = page.locator("svg.sopkb-chart")
    screen_box = chart.get_attribute("viewBox")
    width, height = (float(n) for n in screen_box.split()[2:])
    button = page.locator("[data-print-card]")
    assert button.is_visible()
    page.evaluate("window.print = () => {}")  # headless: take the print path, then render the PDF ourselves
    button.click()
    classes = page.evaluate("document.body.className").split()
    assert "sopkb-printing-card" in classes
    back, turned = "sopkb-printing-card--chart-back" in classes, "sopkb-printing-card--chart-turned" in classes
    assert back == (min(1, 415 / width, 650 / height) < 0.9), (width, height)
    assert not turned or back and height > width
    page.set_viewport_size({"width": round(PAGE_MM[0] * MM), "height": round(PAGE_MM[1] * MM)})
    page.emulate_media(media="print")
    assert page.locator(".sopkb-quick").is_visible() and chart.is_visible()
    assert page.locator(".sopkb-procedure").is_hidden() and page.locator(".sopkb-scripts").is_hidden()
    card = page.locator(".sopkb-quick").bounding_box()
    assert card["y"] + card["height"] <= PAGE_MM[1] * MM  # the whole card on the front
    smallest = page.evaluate(
        """() => Math.min(...[...document.querySelectorAll('.sopkb-sop *, .sopkb-quick *')]
             .filter((e) => e.checkVisibility() && [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
             .map((e) => parseFloat(getComputedStyle(e).fontSize)))"""
    )
    assert smallest * 0.75 >= 6.99, smallest  # px → pt: nothing under 7 pt
    shown = chart.bounding_box()
    scale = max(shown["width"], shown["height"]) / max(width, height)
    assert scale >= (0.9 if not back else 0.6), scale
    pdf = page.pdf(print_background=True, prefer_css_page_size=True)
    sizes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == len(sizes) == (2 if back else 1)
    assert all(round(float(w)) == 842 and round(float(h)) == 595 for w, h in sizes)  # A4 landscape, both sides
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert page.evaluate("document.body.className").split().count("sopkb-printing-card") == 0
    assert "sopkb-printing-card--chart-turned" not in page.evaluate("document.body.className")
    assert chart.get_attribute("viewBox") == screen_box  # a turned chart is put back


def test_quick_card_summarises_a_long_reference_table_and_links_to_it(watched, site):
    page = watched.page
    page.goto(f"{site.url}sops/power-outage/")
    card = page.locator(".sopkb-quick")
    assert card.locator("table").count() == 0
    summary = card.locator(".sopkb-quick__table")
    assert summary.inner_text() == (
        "Regional network operators (fictional): North Valley, Lakeshore, Riverside, Hill Country → "
        "Postcodes, Network operator, Outage line (24/7), Priority line (medical) — table at step 7"
    )
    summary.get_by_role("link", name="table at step 7").click()
    page.wait_for_function("() => location.hash === '#step-give-restoration'")
    assert page.locator("#step-give-restoration").is_visible()
    assert page.get_by_role("table", name="Regional network operators (fictional)").count() == 1
