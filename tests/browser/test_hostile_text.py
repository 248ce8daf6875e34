"""Authors' markup shows as text and runs nowhere: page, flowchart, title, nav, search results."""

from __future__ import annotations

import re

import pytest
from sopkb.site_build import build_site

from .conftest import open_watched, serve
from .hostile import TEXTS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hostile_site(hostile_kb, tmp_path_factory):
    out = tmp_path_factory.mktemp("hostile-site") / "site"
    build_site(hostile_kb, out)
    server, served = serve(out, hostile_kb)
    yield served
    server.shutdown()


def test_markup_in_every_field_is_shown_never_run(browser, hostile_site):
    w = open_watched(browser, hostile_site.url.rstrip("/"))
    page = w.page
    for path in hostile_site.pages():
        page.goto(hostile_site.url + path)
        page.wait_for_timeout(50)
        assert page.evaluate("typeof window.__xss") == "undefined", path
    page.goto(hostile_site.url + "sops/refund/")
    assert "<script>window.__xss=2</script>" in page.locator("h1").inner_text()
    assert page.locator("img[src='x']").count() == 0
    chart_text = " ".join(page.locator('svg.sopkb-chart g[data-node="step-greet"] tspan').all_text_contents())
    assert "end <img" in chart_text
    assert page.locator("a[href^='javascript']").count() == 0
    assert "<img" in page.title() or "‹img" in page.title()
    assert w.dialogs == [] and w.off_origin == []
    page.context.close()


def test_quiz_with_markup_everywhere_scores_and_shows_text(browser, hostile_site):
    w = open_watched(browser, hostile_site.url.rstrip("/"))
    page = w.page
    page.goto(hostile_site.url + "quizzes/refund-basics/")
    assert "<script>window.__xss=2</script>" in page.locator("h1").inner_text()
    page.get_by_label(re.compile(r"^Right ")).check()
    page.locator("form[data-quiz-form] button[type=submit]").click()
    page.locator("[data-quiz-result]:not([hidden])").wait_for()
    feedback = page.locator('fieldset[data-q="q1"] .sopkb-q__feedback').inner_text()
    assert "Feedback <img" in feedback
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("img[src='x']").count() == 0 and page.locator("a[href^='javascript']").count() == 0
    assert w.dialogs == [] and w.off_origin == [] and w.console_errors == []
    page.context.close()


def test_search_results_show_markup_as_text(browser, hostile_site):
    w = open_watched(browser, hostile_site.url.rstrip("/"))
    page = w.page
    page.goto(hostile_site.url)
    page.locator(".md-search__input").click()
    page.keyboard.type("onerror")
    page.locator(".md-search-result__item").first.wait_for()
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator(".md-search-result img[src='x']").count() == 0
    assert w.dialogs == [] and w.off_origin == []
    assert TEXTS["say"]  # the fixture really carried markup into the say lines
    page.context.close()
