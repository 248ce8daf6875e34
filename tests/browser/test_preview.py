"""`sopkb serve` in Chromium: the preview reloads itself on save under the site's own policy."""

from __future__ import annotations

import pytest

from tests.unit.build.test_serve import serving

from .conftest import open_watched

pytestmark = pytest.mark.browser


def test_the_preview_reloads_on_save_and_shows_a_broken_save(browser, kb_copy):
    root = kb_copy("kb-small")
    source = root / "sops" / "refund.yaml"
    good = source.read_text()
    with serving(root) as (url, _):
        w = open_watched(browser, url.rstrip("/"))
        page = w.page
        page.goto(url + "sops/refund/")
        assert page.locator("h1").inner_text() == "Refund request"
        source.write_text(good.replace("title: Refund request", "title: Refund or credit"))
        # Polled across the live reload: for a moment the new document has no <h1> yet, and a
        # predicate that throws fails the wait instead of polling again (the cause of a CI failure).
        page.wait_for_function(
            "() => document.querySelector('h1')?.textContent === 'Refund or credit'", timeout=60_000
        )
        source.write_text(good.replace("goto: record", "goto: recrod", 1))
        banner = page.locator(".sopkb-serve-problems[role=alert]")
        banner.wait_for(timeout=60_000)  # the live-reload script ran: the policy allows it, and only it
        assert "unknown step 'recrod'" in banner.inner_text()
        assert page.locator("h1").inner_text() == "Refund or credit"  # the last good version
        source.write_text(good)
        banner.wait_for(state="detached", timeout=60_000)
        assert w.console_errors == [] and w.off_origin == []
        w.page.context.close()
