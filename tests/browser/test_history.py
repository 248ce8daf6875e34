"""What changed in a version, on the SOP page of a KB kept in git: readable, keyboard-usable,
accessible in both colour schemes, and nothing fetched from elsewhere."""

from __future__ import annotations

import pytest
from sopkb.build.site_build import build_site

from tests.git_kb import REFUND, refund_history

from .conftest import axe_violations, open_watched, serve


@pytest.fixture(scope="module")
def history_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("history") / "kb"
    kb = refund_history(root)
    kb.edit(REFUND, '"I\'ve issued your refund."', '"I\'ve issued your refund today."')
    kb.edit(REFUND, "Note the refund amount.", "Note the refund amount and the reason.")
    kb.edit(REFUND, "version: 2.0", "version: 2.1")
    kb.commit("Refund 2.1: say when, record why", "2026-05-01")
    build_site(root, root / "site")
    server, served = serve(root / "site", root)
    yield served
    server.shutdown()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_changes_are_marked_in_words_not_colour_alone(browser, history_site, scheme):
    w = open_watched(browser, history_site.url.rstrip("/"), color_scheme=scheme)
    page = w.page
    try:
        page.goto(f"{history_site.url}sops/refund/")
        note = page.locator(".sopkb-changed-note")
        assert note.inner_text() == (
            "What changed in version 2.1 (from 2.0), 2026-05-01: 1 step reworded, 1 branch reworded. "
            "See what changed"
        )
        note.get_by_role("link", name="See what changed").click()
        assert page.evaluate("location.hash") == "#what-changed"
        section = page.locator(".sopkb-changes")
        added = section.locator("ins").first
        assert added.text_content() == "added: today"  # "added:" for screen readers only
        assert added.evaluate("e => getComputedStyle(e).textDecorationLine") == "underline"
        removed_or_added = section.locator("del, ins")
        assert removed_or_added.count() == 2
        # screen readers hear what colour and lines show
        assert section.locator("ins .md-visually-hidden").first.text_content() == "added: "
        earlier = section.locator("details.sopkb-changes__earlier")
        assert earlier.evaluate("e => e.open") is False
        earlier.locator("summary").focus()
        page.keyboard.press("Enter")
        assert earlier.evaluate("e => e.open") is True
        assert earlier.locator("li").first.inner_text() == (
            "Version 2.0 · 2026-04-01: Refund: find the order before greeting"
        )
        serious = [v["id"] for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
        assert serious == []
        assert w.off_origin == [] and w.console_errors == []
    finally:
        page.context.close()
