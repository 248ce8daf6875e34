"""What changed in a version, on the SOP page of a KB kept in git: readable, keyboard-usable,
accessible in both colour schemes, and nothing fetched from elsewhere."""

from __future__ import annotations

import json

import pytest
from sopkb.build.site_build import build_site

from tests.git_kb import REFUND, refund_history, small_kb_in_git
from tests.hostile import XSS_SHORT, marked

from .conftest import axe_violations, open_watched, serve
from .test_learning import serious, set_learner, sign


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
        first = earlier.locator("li").first
        first.get_by_role("button").wait_for()  # offered once the list is opened
        assert first.inner_text() == (
            "Version 2.0 · 2026-04-01: Refund: find the order before greeting What changed since 2.0"
        )
        serious = [v["id"] for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
        assert serious == []
        assert w.off_origin == [] and w.console_errors == []
    finally:
        page.context.close()


def test_the_list_of_earlier_versions_shows_what_changed_since_any_of_them_on_demand(browser, history_site):
    """For a trainer or an agent back from leave: the page carries its latest diff only; what
    changed since an earlier version is fetched when asked for, by keyboard, and read out."""
    w = open_watched(browser, history_site.url.rstrip("/"))
    page = w.page
    try:
        page.goto(f"{history_site.url}sops/refund/")
        fetched = []
        page.on("request", lambda r: fetched.append(r.url) if "/learning/data/sop/" in r.url else None)
        earlier = page.locator("details.sopkb-changes__earlier")
        earlier.locator("summary").focus()
        page.keyboard.press("Enter")
        buttons = earlier.get_by_role("button")
        buttons.first.wait_for()
        # every version git has, none of the `changes:` entries outside it
        assert buttons.all_inner_texts() == [f"What changed since {v}" for v in ("2.0", "1.12", "1.11", "1.10")]
        button = earlier.get_by_role("button", name="What changed since 1.10")
        assert button.get_attribute("aria-expanded") == "false"
        button.focus()
        page.keyboard.press("Enter")
        region = page.get_by_role("region", name="What changed since version 1.10")
        region.locator(".sopkb-changes__list").wait_for()
        assert button.get_attribute("aria-expanded") == "true"
        assert region.locator("p").first.inner_text().startswith("In short: ")
        assert "Step 1 “Find the order”: added." in region.inner_text()
        assert region.locator("ins").count() > 0
        assert fetched == [
            f"{history_site.url}learning/data/sop/refund.json",
            f"{history_site.url}learning/data/sop/refund/changes-2.1.json",
        ]
        assert [v["id"] for v in axe_violations(page) if v["impact"] in ("serious", "critical")] == []
        page.keyboard.press("Enter")  # the button still has the focus: it folds the changes away
        assert region.is_hidden() and button.get_attribute("aria-expanded") == "false"
        page.keyboard.press("Enter")
        assert region.is_visible() and len(fetched) == 2  # shown again, not fetched again
        assert w.off_origin == [] and w.console_errors == []
    finally:
        page.context.close()


def test_a_learner_who_signed_an_earlier_version_sees_what_changed_since_then_signs_again(browser, tmp_path):
    """Sign 1.10; the SOP goes to 1.11 then 1.12 (hostile words in what changed); My learning
    lists it to sign again with what changed in a line, and the SOP page shows the changes from
    1.10 (not only 1.12's) above the button, fetched on demand; signing again clears both."""
    root = tmp_path / "kb"
    kb = small_kb_in_git(root)
    build_site(root, root / "site")
    server, site = serve(root / "site", root)
    w = open_watched(browser, site.url.rstrip("/"))
    page = w.page
    try:
        page.goto(f"{site.url}sops/refund/")
        set_learner(page, "Ana Silva")
        sign(page, f"{site.url}sops/refund/")
        page.goto(f"{site.url}learning/")
        assert page.locator("[data-my-resign]").inner_text().startswith("None:")

        kb.edit(REFUND, "version: 1.10", "version: 1.11")
        kb.edit(REFUND, '"Hello {customer_name}, how can I help?"', json.dumps(f"Hello {{customer_name}} {XSS_SHORT}"))
        kb.commit("Refund 1.11", "2026-02-01")
        kb.edit(REFUND, "version: 1.11", "version: 1.12")
        kb.edit(REFUND, "      - Note the refund amount.\n", f"      - {json.dumps(marked('do'))}\n")
        kb.commit("Refund 1.12", "2026-03-01")
        build_site(root, root / "site")

        page.goto(f"{site.url}learning/")
        item = page.locator("[data-my-resign] li")
        item.wait_for()
        assert item.count() == 1
        assert item.inner_text().split("\n", 1)[1].split(" on ")[0] == "You signed version 1.10"
        assert item.inner_text().endswith("; now version 1.12: 2 steps reworded.")
        assert serious(page) == []
        item.get_by_role("link", name="Refund request").focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**/sops/refund/#read-and-sign")

        since = page.locator("[data-signoff-since]")
        since.locator(".sopkb-changes__list").wait_for()
        assert page.locator("[data-signoff]").get_attribute("data-state") == "outdated"
        assert since.get_by_role("heading", name="What changed since you signed").is_visible()
        lead = since.locator("[data-since-lead]").inner_text()
        assert lead.startswith("You signed version 1.10 on ") and lead.endswith(
            "; here is what changed since (now version 1.12)."
        )
        changes = since.locator("[data-since-changes]")
        assert changes.inner_text().startswith("In short: 2 steps reworded.")
        # both versions' changes, from 1.10 straight to 1.12, the typed markup shown as text
        assert changes.locator("a", has_text="Greet the customer").count() == 1
        assert changes.locator("a", has_text="Record the refund").count() == 1
        assert "<script>window.__xss=2</script>" in changes.inner_text()
        assert "<script>window.__xss=\"do\"</script>" in changes.inner_text()
        assert changes.locator("script, img, svg").count() == 0
        assert page.evaluate("window.__xss") is None
        assert serious(page) == []

        # keyboard only: the step links take focus in order, then the button signs again
        changes.locator("a").first.focus()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Step 3 “Record the refund”"
        page.locator("[data-signoff-sign]").focus()
        page.keyboard.press("Enter")
        page.locator('[data-signoff][data-state="done"]').wait_for()
        assert since.is_hidden()
        assert page.evaluate("document.activeElement.hasAttribute('data-signoff-status')")
        page.goto(f"{site.url}learning/")
        assert page.locator("[data-my-signoffs]").inner_text().count("Signed version 1.12") == 1
        page.wait_for_timeout(200)  # the look-up is asynchronous: nothing comes back to list
        assert page.locator("[data-my-resign]").inner_text().startswith("None:")
        assert w.off_origin == [] and w.console_errors == []
    finally:
        page.context.close()
        server.shutdown()


def test_a_version_the_site_cannot_compare_with_is_said_plainly(browser, history_site):
    """A signature for a version the build has no file for (never committed, or older than the
    versions kept): said in words, with the way to the page's own What changed section; a change
    of learner on the page is announced politely."""
    w = open_watched(browser, history_site.url.rstrip("/"))
    page = w.page
    try:
        page.goto(f"{history_site.url}sops/refund/")
        set_learner(page, "Ben Okafor")
        set_learner(page, "Ana Silva")
        page.evaluate(
            """localStorage.setItem("sopkb.learner." + encodeURIComponent("Ana Silva") + ".ack.refund",
               JSON.stringify({version: "0.9", title: "Refund request", at: "2025-06-01T09:00:00Z"}))"""
        )
        page.reload()
        since = page.locator("[data-signoff-since]")
        lead = since.locator("[data-since-lead]")
        lead.get_by_role("link", name="What changed").wait_for()
        assert lead.inner_text() == (
            "You signed version 0.9 on 2025-06-01. This site has no comparison from that version (it keeps "
            "the newest earlier versions it can read). Read the SOP again before you sign. See What changed "
            "for the latest version."
        )
        assert serious(page) == []
        lead.get_by_role("link", name="What changed").focus()
        page.keyboard.press("Enter")
        assert page.evaluate("location.hash") == "#what-changed"

        set_learner(page, "Ben Okafor")  # nothing signed: no changes to show
        assert since.is_hidden()
        set_learner(page, "Ana Silva")
        page.wait_for_function(
            "() => document.querySelector('#sopkb-live')?.textContent === 'No comparison with the version you signed.'"
        )
        assert page.locator("#sopkb-live").get_attribute("aria-live") == "polite"
        assert w.off_origin == [] and w.console_errors == []
    finally:
        page.context.close()
