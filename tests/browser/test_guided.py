"""Guided call mode in Chromium, keyboard only: walk-throughs, call notes, hand-off between SOPs."""

from __future__ import annotations

import pytest

from .conftest import axe_violations, open_watched

pytestmark = pytest.mark.browser


@pytest.fixture
def agent(browser, site):
    w = open_watched(
        browser,
        site.url.rstrip("/"),
        viewport={"width": 1366, "height": 768},
        permissions=["clipboard-read", "clipboard-write"],
    )
    yield w
    w.page.context.close()


def start(page) -> None:  # noqa: ANN001
    button = page.locator("[data-guided-start]")
    button.wait_for()  # shown once guided.js is ready; focus() alone does not wait, and a hidden
    # button takes no focus: after instant navigation on a busy machine, Enter then did nothing
    button.focus()
    page.keyboard.press("Enter")
    page.locator("#guided-current").wait_for()


def current(page) -> str:  # noqa: ANN001
    return page.locator("#guided-current").inner_text()


def choose(page, number: int) -> None:  # noqa: ANN001
    """Pick an answer with its number key; if the branch has its own words, go on with Enter."""
    before = current(page)
    page.keyboard.press(str(number))
    if page.locator("[data-guided-next]").count() and current(page) == before:
        page.locator("[data-guided-next]").focus()
        page.keyboard.press("Enter")


def next_step(page) -> None:  # noqa: ANN001
    page.locator("[data-guided-next]").focus()
    page.keyboard.press("Enter")


def test_refuses_to_wait_tier_2_unavailable_resolution_lead(agent, site):
    page = agent.page
    page.goto(f"{site.url}sops/leadership-request/")
    start(page)
    assert current(page) == "Step 1: Customer requests leadership or special handling"
    assert page.evaluate("document.activeElement.id") == "guided-current"  # focus moves to the new step
    choose(page, 1)  # YES: a leadership request
    assert current(page) == "Step 2: Check for an existing case"
    choose(page, 2)  # YES — the case has not been updated
    assert current(page) == "Step 3: Offer a follow-up from leadership"
    choose(page, 2)  # Refuses to wait
    assert current(page) == "Step 7: Warm transfer to Phone-HO Tier 2"
    assert (
        "I'm going to connect you with our Tier 2 team now."
        in page.locator(".sopkb-guided__step .sopkb-say").inner_text()
    )
    choose(page, 2)  # Unavailable -> Go to Step 2
    assert current(page) == "Step 9: Warm transfer to the Resolution Lead"
    page.wait_for_function(
        "() => document.querySelector('#sopkb-live').textContent.includes('Resolution Lead')"
    )
    choose(page, 1)  # They answer -> complete the warm transfer -> end
    assert current(page) == "Call notes"
    page.locator("#guided-disposition").select_option(label="Leadership request — warm transferred")
    page.locator("[data-guided-copy-notes]").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('[data-guided-copy-notes]').textContent === 'Copied'"
    )
    notes = page.evaluate("navigator.clipboard.readText()")
    assert notes.splitlines()[:7] == [
        "SOP: Leadership request or special handling (version 0.9)",
        "Steps taken:",
        "1. Step 1: Customer requests leadership or special handling — Is the customer asking for leadership or special handling? YES",
        "2. Step 2: Check for an existing case — Is there an existing case for this concern? YES — the case has not been updated",
        "3. Step 3: Offer a follow-up from leadership — Does the customer agree to wait for a follow-up? Refuses to wait",
        "4. Step 7: Warm transfer to Phone-HO Tier 2 — Is the “Phone-HO Tier 2” skill available? Unavailable",
        "5. Step 9: Warm transfer to the Resolution Lead — Does the Resolution Lead answer within 30 seconds? They answer",
    ]
    assert "Disposition: Leadership request — warm transferred" in notes
    assert (
        "- Who the call was warm transferred to (Phone-HO Tier 2 or Resolution Lead), or that nobody answered. "
        in notes
    )
    violations = [
        v["id"] for v in axe_violations(page) if v["impact"] in ("serious", "critical")
    ]
    assert violations == []
    assert agent.off_origin == [] and agent.console_errors == []


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        (
            1,
            "Good news, {customer_name}: the driver will come back later today for another delivery attempt.",
        ),
        (2, "The driver can't return today, so a delivery attempt is scheduled for the next business day."),
    ],
)
def test_missed_delivery_same_day_or_next_business_day(agent, site, answer, said):
    page = agent.page
    page.goto(f"{site.url}sops/missed-delivery-customer-home/")
    start(page)
    for _ in range(3):  # greet, listen, verify
        next_step(page)
    assert current(page) == "Step 4: Advise Customer: Missed Delivery on the Same Day"
    page.keyboard.press(str(answer))
    branch_say = page.locator(".sopkb-guided__branch .sopkb-say")
    assert said in branch_say.inner_text()
    branch_say.locator("button.sopkb-copy").click()
    page.wait_for_function("() => navigator.clipboard.readText().then(t => t.length > 0)")
    assert page.evaluate("navigator.clipboard.readText()") == said
    next_step(page)
    assert current(page) == "Step 5: Provide Reassurance"
    next_step(page)
    next_step(page)
    assert current(page) == "Step 7: Closing Interaction"
    next_step(page)
    assert current(page) == "Call notes"
    notes = page.locator("#guided-notes").input_value()
    chosen = "Yes, same-day return" if answer == 1 else "No, not possible today"
    assert (
        f"4. Step 4: Advise Customer: Missed Delivery on the Same Day — Can the driver return later the same day? {chosen}"
        in notes
    )
    assert notes.count("\n") >= 10


def test_back_and_restart(agent, site):
    page = agent.page
    page.goto(f"{site.url}sops/lost-or-stolen-package/")
    start(page)
    next_step(page)
    next_step(page)
    assert current(page) == "Step 3: Empathize"
    page.locator("[data-guided-back]").click()
    assert current(page) == "Step 2: Listen and Understand"
    assert page.locator(".sopkb-guided__path li").all_inner_texts() == ["Step 1: Greet Customer"]
    page.locator("[data-guided-restart]").click()
    assert current(page) == "Step 1: Greet Customer"
    page.locator("[data-guided-close]").click()
    assert page.locator("#guided").is_hidden()
    assert page.evaluate("document.activeElement.hasAttribute('data-guided-start')")


def test_branch_to_another_sop_continues_there(browser, small_site):
    w = open_watched(browser, small_site.url.rstrip("/"))
    page = w.page
    page.goto(f"{small_site.url}sops/refund/")
    start(page)
    next_step(page)
    assert current(page) == "Step 2: Check eligibility"
    page.keyboard.press("2")  # No -> continues with the escalation SOP at its step "listen"
    page.wait_for_url("**/sops/escalation/#guided=listen")
    page.locator("#guided-current").wait_for()
    assert current(page) == "Step 1.1: Listen"
    assert page.locator(".sopkb-guided__path li").all_inner_texts() == [  # the steps of the SOP before
        "[Refund request] Step 1: Greet the customer",
        "[Refund request] Step 2: Check eligibility — No",
    ]
    page.locator("[data-guided-back]").click()  # back to the SOP that handed over
    page.wait_for_url("**/sops/refund/#guided=eligible")
    page.locator("#guided-current").wait_for()
    assert current(page) == "Step 2: Check eligibility"
    assert page.locator(".sopkb-guided__path li").all_inner_texts() == ["Step 1: Greet the customer"]
    page.keyboard.press("2")
    page.wait_for_url("**/sops/escalation/#guided=listen")
    page.locator("#guided-current").wait_for()
    next_step(page)
    next_step(page)
    assert current(page) == "Call notes"
    assert (
        "2. [Refund request] Step 2: Check eligibility — Is the order eligible? No"
        in page.locator("#guided-notes").input_value()
    )
    assert w.off_origin == [] and w.console_errors == []
    page.context.close()


def test_sop_page_and_guided_call_after_instant_navigation(instant_site):
    """Material's instant navigation rewrites every [href] on a page; the flowchart's SVG links
    once made it throw. An SOP page reached that way must work, guided call included."""
    served, w = instant_site
    page = w.page
    page.goto(f"{served.url}categories/billing/")
    page.evaluate("window.__noReload = true")
    page.locator(".md-content a[href*='sops/refund/']").first.click()
    page.wait_for_url("**/sops/refund/")
    assert page.evaluate("window.__noReload === true")
    start(page)
    assert current(page).startswith("Step 1:")
    page.goto(f"{served.url}sops/refund/")  # and loaded directly
    start(page)
    assert w.console_errors == [] and w.off_origin == []
