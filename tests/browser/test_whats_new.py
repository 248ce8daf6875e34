"""What's new on a KB kept in git with several versions: the page in the navigation, usable from the
keyboard, accessible in both colour schemes, nothing fetched from elsewhere; its feed linked from
every page's head; the changed steps marked on the SOP's flowchart, measured as drawn."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

import pytest
from sopkb.build.site_build import build_site

from tests.conftest import free_port
from tests.git_kb import REFUND, refund_history

from .conftest import axe_violations, open_watched, serve

A = "{http://www.w3.org/2005/Atom}"
PALETTE = """  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
"""  # the bundled KB's: the dark scheme follows the reader's setting


@pytest.fixture(scope="module")
def news_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("whats-new") / "kb"
    kb = refund_history(root)
    kb.edit("sops/escalation.yaml", 'version: "2"', 'version: "2.1"')
    kb.edit("sops/escalation.yaml", "title: Escalation policy", "title: Escalation policy for supervisors")
    kb.commit("Escalation: say who it is for", "2026-04-15")
    kb.edit(REFUND, "version: 2.0", "version: 2.1")
    kb.edit(REFUND, "Note the refund amount.", "Note the refund amount and the reason.")
    kb.commit("Refund 2.1: record why", "2026-05-01")
    port = free_port()
    config = root / "mkdocs.yml"
    text = config.read_text().replace("  font: false\n", "  font: false\n" + PALETTE)
    config.write_text(f"site_url: http://127.0.0.1:{port}/\n" + text)
    build_site(root, root / "site")
    server, served = serve(root / "site", root, port)
    yield served
    server.shutdown()
    shutil.rmtree(root / "site", ignore_errors=True)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_whats_new_lists_the_changes_newest_first_and_is_keyboard_and_axe_clean(browser, news_site, scheme):
    w = open_watched(
        browser, news_site.url.rstrip("/"), color_scheme=scheme, viewport={"width": 1366, "height": 768}
    )
    page = w.page
    try:
        page.goto(news_site.url)
        page.locator(".md-nav__link", has_text="What’s new").first.click()
        page.wait_for_url(f"{news_site.url}whats-new/")
        items = page.locator(".sopkb-news > li")
        assert items.all_inner_texts() == [
            "Refund request: version 2.1 (from 2.0)\n2026-05-01 · 1 step reworded · Refund 2.1: record why",
            "Escalation policy for supervisors: version 2.1 (from 2)\n2026-04-15 · only details changed: title "
            "· Escalation: say who it is for",
            "Refund request: version 2.0 (from 1.12)\n2026-04-01 · Refund: find the order before greeting",
            "Refund request: version 1.12 (from 1.11)\n2026-03-01 · Refund: ineligible orders go straight to a supervisor",
            "Refund request: version 1.11 (from 1.10)\n2026-02-01 · Refund: find the order first",
        ]
        feed_link = page.locator("head link[rel=alternate][type='application/atom+xml']")
        assert feed_link.get_attribute("href") == "../feed.xml"
        assert page.get_by_role("link", name="Follow the changes in a feed reader (Atom feed)").is_visible()
        serious = [v["id"] for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
        assert serious == []
        # keyboard only: Tab reaches the first change, Enter opens its "What changed" section
        for _ in range(80):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.closest('.sopkb-news') !== null"):
                break
        focused = page.evaluate("document.activeElement.textContent")
        assert focused == "Refund request: version 2.1 (from 2.0)"
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
        page.keyboard.press("Enter")
        page.wait_for_url(f"{news_site.url}sops/refund/#what-changed")
        assert page.locator("#what-changed").is_visible()
        assert w.off_origin == [] and w.console_errors == []
    finally:
        page.context.close()


def test_every_page_links_the_feed_and_the_feed_is_atom_with_absolute_links(browser, news_site):
    w = open_watched(browser, news_site.url.rstrip("/"))
    page = w.page
    try:
        for path in ("", "sops/refund/", "quizzes/"):
            page.goto(news_site.url + path)
            link = page.locator("head link[rel=alternate][type='application/atom+xml']")
            assert link.count() == 1 and link.get_attribute("title") == "What’s new in Small KB"
            assert page.evaluate(
                "new URL(document.querySelector('link[type=\"application/atom+xml\"]').href).href"
            ) == (f"{news_site.url}feed.xml")
        response = page.request.get(f"{news_site.url}feed.xml")
        assert response.ok
        feed = ET.fromstring(response.body())
        entries = feed.findall(f"{A}entry")
        assert len(entries) == 5
        href = entries[0].find(f"{A}link").get("href")
        assert href == f"{news_site.url}sops/refund/#what-changed"
        page.goto(href)
        assert page.locator("#what-changed").is_visible()
        assert w.off_origin == [] and w.console_errors == []
    finally:
        page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_changed_step_is_marked_on_the_flowchart_in_words_clear_of_its_text(browser, news_site, scheme):
    w = open_watched(
        browser, news_site.url.rstrip("/"), color_scheme=scheme, viewport={"width": 1366, "height": 768}
    )
    page = w.page
    try:
        page.goto(f"{news_site.url}sops/refund/")
        node = page.locator(".sopkb-chart [data-node='step-record']")
        mark = node.locator(".sopkb-chart__mark")
        assert mark.count() == 1 and mark.locator("text").text_content() == "Changed"
        mark.scroll_into_view_if_needed()
        assert mark.is_visible()
        shape, badge = node.locator("rect").first.bounding_box(), mark.bounding_box()
        words = node.locator(":scope > text").bounding_box()
        assert shape["x"] <= badge["x"] and badge["x"] + badge["width"] <= shape["x"] + shape["width"]
        assert (
            shape["y"] <= badge["y"] and badge["y"] + badge["height"] <= words["y"]
        )  # above the step's text
        dark = page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
        assert dark == (scheme == "dark")
        fill = mark.locator("rect").evaluate("e => getComputedStyle(e).fill")
        letters = mark.locator("text").evaluate("e => getComputedStyle(e).fill")
        assert fill != letters
        # said, not only drawn
        assert "(Changed in version 2.1)" in node.locator(":scope > title").text_content()
        assert page.locator(".sopkb-chart > desc").text_content().endswith("Changed in version 2.1: step 4.")
        assert page.locator(".sopkb-chart__mark").count() == 1  # the other steps did not change in 2.1
        serious = [v["id"] for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
        assert serious == []
        assert w.off_origin == [] and w.console_errors == []
    finally:
        page.context.close()
