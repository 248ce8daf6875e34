"""Guided mode through the flow parts of real procedures, keyboard only, on a small fixture KB
(tests/fixtures/kb-flow): several starts, a countdown for a short wait and its timeout branch,
calls into other SOPs that come back to the right step (nested), someone else's step, procedures
outside the KB, and an SOP whose owner, version and dates are unknown. axe-core on each new state."""

from __future__ import annotations

import pytest
from sopkb.build.site_build import build_site

from .conftest import REPO, axe_violations, open_watched, serve
from .test_guided import choose, current, next_step, start

pytestmark = pytest.mark.browser
KB = REPO / "tests" / "fixtures" / "kb-flow"


@pytest.fixture(scope="module")
def flow_site(tmp_path_factory):  # noqa: ANN201
    out = tmp_path_factory.mktemp("flow") / "site"
    build_site(KB, out)
    server, served = serve(out, KB)
    yield served
    server.shutdown()


@pytest.fixture
def agent(browser, flow_site):  # noqa: ANN001, ANN201
    w = open_watched(
        browser,
        flow_site.url.rstrip("/"),
        viewport={"width": 1366, "height": 768},
        permissions=["clipboard-read", "clipboard-write"],
    )
    yield w
    assert w.off_origin == []  # the external procedure's address is a link, never a request
    assert w.console_errors == []
    w.page.context.close()


def serious(page, scheme: str = "light") -> list[str]:  # noqa: ANN001
    page.emulate_media(color_scheme=scheme)
    violations = axe_violations(page)
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def live(page) -> str:  # noqa: ANN001
    return page.evaluate(
        "document.querySelector('#sopkb-live') ? document.querySelector('#sopkb-live').textContent : ''"
    )


def wait_live(page, text: str) -> None:  # noqa: ANN001
    page.wait_for_function(
        "(text) => { const r = document.querySelector('#sopkb-live'); return r && r.textContent.includes(text); }",
        arg=text,
    )


def press(page, selector: str) -> None:  # noqa: ANN001
    page.locator(selector).focus()
    page.keyboard.press("Enter")


def path_list(page) -> list[str]:  # noqa: ANN001
    return page.locator(".sopkb-guided__path li").all_inner_texts()


def arrive(page, url: str) -> None:  # noqa: ANN001
    page.wait_for_url(url)
    page.locator("#guided-current").wait_for()


def test_the_countdown_starts_pauses_runs_out_and_offers_the_timeout_branch(agent, flow_site):
    page = agent.page
    page.clock.install()
    page.goto(f"{flow_site.url}sops/callback/#guided=transfer")
    page.locator("#guided-current").wait_for()
    assert current(page) == "Step 4: Transfer to Tier 2"
    clock = page.locator("[data-guided-clock]")
    assert clock.inner_text() == "00:30"
    assert clock.get_attribute("role") == "timer"  # not read out every second
    assert "Wait: up to 30 seconds until Tier 2 answers." in page.locator(".sopkb-guided__wait").inner_text()
    assert page.locator("[data-guided-timeout]").is_hidden()  # offered once the time is up

    press(page, "[data-timer-toggle]")
    wait_live(page, "Countdown started: 00:30 left.")
    page.clock.run_for(10_000)
    assert clock.inner_text() == "00:20"
    page.keyboard.press("Enter")  # the same button pauses
    wait_live(page, "Countdown paused at 00:20.")
    page.clock.run_for(60_000)
    assert clock.inner_text() == "00:20"
    page.keyboard.press("Enter")  # and resumes
    wait_live(page, "Countdown resumed: 00:20 left.")
    assert serious(page) == []
    page.clock.run_for(20_500)
    assert clock.inner_text() == "00:00"
    assert page.locator("[data-timer-status]").inner_text() == "Time is up."
    offer = page.locator("[data-guided-timeout]")
    assert offer.is_visible()
    assert offer.inner_text() == "If not by then: Next: Step 6: Take a message"
    wait_live(page, "Time is up: 30 seconds have passed. If not by then: Next: Step 6: Take a message")
    toggle = page.locator("[data-timer-toggle]")
    assert toggle.is_disabled() and toggle.inner_text() == "Countdown over"  # not "Pause countdown"
    # the focus was on the button now disabled: it moves on to the way on, not to <body>
    assert page.evaluate("document.activeElement.hasAttribute('data-guided-timeout')")
    assert toggle.evaluate("(b) => getComputedStyle(b).opacity") == "0.5"  # and it looks disabled
    assert toggle.evaluate("(b) => getComputedStyle(b).borderStyle") == "dashed"
    assert serious(page) == [] and serious(page, "dark") == []

    press(page, "[data-timer-reset]")  # reset: the full time again, the offer withdrawn
    assert clock.inner_text() == "00:30" and offer.is_hidden()
    press(page, "[data-timer-toggle]")
    page.clock.run_for(31_000)
    press(page, "[data-guided-timeout]")
    assert current(page) == "Step 6: Take a message"
    assert (
        page.locator(".sopkb-guided__path")
        .inner_text()
        .endswith("Step 4: Transfer to Tier 2 — No answer after 30 seconds")
    )
    # a long wait is text, with its way on; no countdown
    assert page.locator("[data-guided-clock]").count() == 0
    assert (
        "Wait: up to 2 days until the customer confirms by email."
        in page.locator(".sopkb-guided__wait").inner_text()
    )
    # the next step is a procedure outside the KB: named, with its address as a link, then the end
    assert page.locator("[data-guided-next]").inner_text() == "Follow the external procedure: Billing SOP"
    next_step(page)
    assert current(page) == "Follow the external procedure: Billing SOP"
    link = page.locator(".sopkb-guided__external a")
    assert (link.get_attribute("href"), link.get_attribute("rel")) == (
        "https://intranet.example/billing",
        "external noopener noreferrer",
    )
    assert serious(page) == []
    next_step(page)
    assert current(page) == "Call notes"


def test_a_countdown_stops_when_the_agent_moves_on(agent, flow_site):
    page = agent.page
    page.clock.install()
    page.goto(f"{flow_site.url}sops/callback/#guided=transfer")
    press(page, "[data-timer-toggle]")
    page.clock.run_for(5_000)
    choose(page, 1)  # Tier 2 answered before the time was up
    assert current(page) == "Step 5: Approve the goodwill credit"
    page.clock.run_for(60_000)
    assert "Time is up" not in live(page)


def test_several_starts_ask_which_situation_applies_first(agent, flow_site):
    page = agent.page
    page.goto(f"{flow_site.url}sops/callback/")
    start(page)
    assert current(page) == "Which situation applies?"
    assert page.locator("[data-guided-situation]").all_inner_texts() == [
        "1. Inbound call",
        "2. Outbound call (we call them)",
    ]
    assert serious(page) == []
    page.keyboard.press("2")
    assert current(page) == "Step 1: Dial the customer"
    assert path_list(page) == ["Situation: Outbound call (we call them)"]
    press(page, "[data-guided-back]")
    assert current(page) == "Which situation applies?" and path_list(page) == ["Just started"]
    assert page.locator("[data-guided-back]").is_disabled()
    page.keyboard.press("1")
    assert current(page) == "Step 2: Greet the customer"
    press(page, "[data-guided-restart]")
    page.keyboard.press("1")
    assert current(page) == "Step 2: Greet the customer"


def test_a_call_continues_in_the_called_sops_and_comes_back_to_the_right_step(agent, flow_site):
    page = agent.page
    page.goto(f"{flow_site.url}sops/callback/")
    start(page)
    page.keyboard.press("1")  # Inbound call
    next_step(page)
    assert current(page) == "Step 3: Verify the customer"
    card = page.locator(".sopkb-guided__step")
    assert "Call: do Verify identity, then continue with Step 4: Transfer to Tier 2." in card.inner_text()
    press(page, "[data-guided-call]")  # "Do Verify identity now"

    page.wait_for_url("**/sops/identity/#guided")
    page.locator("#guided-current").wait_for()
    assert current(page) == "Step 1: Ask for the full name"
    banner = page.locator("[data-guided-called]")
    assert banner.inner_text().startswith("You are in Verify identity, called from Callback request step 3.")
    assert page.evaluate("document.activeElement.id") == "guided-current"
    assert path_list(page) == [  # the caller's steps say whose they are
        "[Callback request] Situation: Inbound call",
        "[Callback request] Step 2: Greet the customer",
        "[Callback request] Step 3: Verify the customer — Called Verify identity",
    ]
    # the wait's timeout ends this SOP, which here means going back: its button says so
    assert (
        page.locator("[data-guided-timeout]").text_content() == "If not by then: Return to Callback request"
    )
    assert serious(page) == [] and serious(page, "dark") == []
    next_step(page)
    assert "Call: do Address check (from its step 2)" in page.locator(".sopkb-guided__step").inner_text()
    press(page, "[data-guided-call]")  # nested: Verify identity calls Address check at its step 2

    page.wait_for_url("**/sops/address/#guided=confirm")
    page.locator("#guided-current").wait_for()
    assert current(page) == "Step 2: Confirm the address with the customer"
    assert (
        page.locator("[data-guided-called]")
        .inner_text()
        .startswith("You are in Address check, called from Verify identity step 2.")
    )
    assert page.locator("[data-guided-next]").inner_text() == "Return to Verify identity"
    next_step(page)  # the called procedure ends: back to the step after the call

    page.wait_for_url("**/sops/identity/#guided-return=address")
    page.locator("#guided-current").wait_for()
    assert current(page) == "Step 3: Check the passphrase"
    assert (
        page.locator("[data-guided-called]")
        .inner_text()
        .startswith("You are in Verify identity, called from Callback request step 3.")
    )
    assert page.locator("[data-answer]").all_inner_texts() == [
        "1. Yes",
        "2. No, they forgot it",
    ]
    choose(page, 1)  # the passphrase matches: this SOP ends, back to the caller

    page.wait_for_url("**/sops/callback/#guided-return=verify")
    page.locator("#guided-current").wait_for()
    assert current(page) == "Step 4: Transfer to Tier 2"
    assert page.locator("[data-guided-called]").count() == 0  # no call open any more
    assert path_list(page) == [
        "Situation: Inbound call",
        "Step 2: Greet the customer",
        "Step 3: Verify the customer — Called Verify identity",
        "[Verify identity] Step 1: Ask for the full name",
        "[Verify identity] Step 2: Confirm the address — Called Address check",
        "[Address check] Step 2: Confirm the address with the customer",
        "[Verify identity] Step 3: Check the passphrase — Yes",
    ]
    choose(page, 1)  # Tier 2 answered
    assert current(page) == "Step 5: Approve the goodwill credit"
    actor = page.locator(".sopkb-guided__actor")
    assert actor.inner_text().startswith("Done by: Team lead")  # someone else's step
    assert (
        "Limit: within 14 days — the customer replies to the offer"
        in page.locator(".sopkb-guided__step").inner_text()
    )
    assert serious(page) == []
    next_step(page)
    assert current(page) == "Call notes"
    notes = page.locator("#guided-notes").input_value()
    assert notes.splitlines()[:11] == [
        "SOP: Callback request (version 3)",
        "Steps taken:",
        "1. Situation: Inbound call",
        "2. Step 2: Greet the customer",
        "3. Step 3: Verify the customer — Called Verify identity",  # no "null" for a question never asked
        "4. [Verify identity] Step 1: Ask for the full name",
        "5. [Verify identity] Step 2: Confirm the address — Called Address check",
        "6. [Address check] Step 2: Confirm the address with the customer",
        "7. [Verify identity] Step 3: Check the passphrase — Does the passphrase match? Yes",
        "8. Step 4: Transfer to Tier 2 — Did Tier 2 answer? Yes",
        "9. Step 5: Approve the goodwill credit",
    ]


def test_return_from_the_banner_goes_back_to_the_caller_at_once(agent, flow_site):
    page = agent.page
    page.goto(f"{flow_site.url}sops/callback/#guided=verify")
    page.locator("#guided-current").wait_for()
    press(page, "[data-guided-call]")
    page.wait_for_url("**/sops/identity/#guided")
    page.locator("[data-guided-called]").wait_for()
    press(page, "[data-guided-return]")
    page.wait_for_url("**/sops/callback/#guided-return=verify")
    page.locator("#guided-current").wait_for()
    assert current(page) == "Step 4: Transfer to Tier 2"


def test_a_stale_or_forged_call_stack_is_ignored(agent, flow_site):
    page = agent.page
    page.goto(f"{flow_site.url}sops/identity/")
    page.evaluate(
        """sessionStorage.setItem('sopkb.guided.calls', JSON.stringify(
             [{sop: 'javascript:alert(1)', step: 'x', title: '<img src=x onerror=alert(1)>', number: '1'}]))"""
    )
    page.goto(f"{flow_site.url}sops/identity/#guided")
    page.reload()
    page.locator("#guided-current").wait_for()
    assert page.locator("[data-guided-called]").count() == 0
    assert agent.dialogs == []


def test_the_page_shows_starts_actors_calls_waits_limits_outside_procedures_and_unknowns(agent, flow_site):
    page = agent.page
    page.goto(f"{flow_site.url}sops/callback/")
    starts = page.locator(".sopkb-starts li")
    assert starts.all_inner_texts() == [
        "Inbound call: start at step 2, Greet the customer",
        "Outbound call (we call them): start at step 1, Dial the customer",
    ]
    assert page.locator("#step-approval ~ .sopkb-actor").inner_text() == "Done by: Team lead"
    assert page.locator(".sopkb-call").first.inner_text() == (
        "Call: Do Verify identity, then continue with step 4."
    )
    assert page.locator(".sopkb-wait").first.inner_text() == (
        "Wait: up to 30 seconds until Tier 2 answers; if not by then → Go to step 6: Take a message"
    )
    assert (
        page.locator(".sopkb-limit").inner_text()
        == "Limit: within 14 days — the customer replies to the offer"
    )
    assert (
        page.locator("#ext-account-changes").inner_text()
        == "Account Changes workflow — KB-1234 in Salesforce"
    )
    # the flowchart as a screen reader gets it: wrapped lines keep their spaces, a decision's
    # title and question are two phrases
    chart = page.locator("svg.sopkb-chart").aria_snapshot()
    assert "No answer after 30 seconds" in chart and "No, billing question" in chart
    assert "4. Transfer to Tier 2 Did Tier 2 answer?" in chart and "30seconds" not in chart
    page.locator(".sopkb-procedure a.sopkb-ext-link", has_text="the account workflow").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#ext-account-changes"
    assert serious(page) == [] and serious(page, "dark") == []

    page.goto(f"{flow_site.url}sops/identity/")
    meta = page.locator(".sopkb-meta").inner_text()
    assert "Owner: unknown — needs an owner" in meta and "Version unknown — needs a version" in meta
    assert page.locator(".sopkb-review-banner").inner_text() == (
        "Check before relying on it: this SOP does not say its owner, version, effective date and "
        "review date; it needs an owner to confirm or update it."
    )
    assert serious(page) == []


def test_read_and_sign_works_with_an_unknown_version(agent, flow_site):
    from .test_learning import set_learner

    page = agent.page
    page.goto(f"{flow_site.url}sops/identity/")
    set_learner(page, "Ana Silva")
    sign = page.locator("[data-signoff-sign]")
    assert sign.inner_text() == "I have read this SOP (version unknown)"
    press(page, "[data-signoff-sign]")
    page.locator('[data-signoff][data-state="done"]').wait_for()
    assert "signed version unknown" in page.locator("[data-signoff-status]").inner_text()


def test_a_waits_timeout_inside_a_called_sop_returns_and_says_so(agent, flow_site):
    page = agent.page
    page.clock.install()
    page.goto(f"{flow_site.url}sops/callback/#guided=verify")
    page.locator("#guided-current").wait_for()
    press(page, "[data-guided-call]")
    arrive(page, "**/sops/identity/#guided")
    assert current(page) == "Step 1: Ask for the full name"
    press(page, "[data-timer-toggle]")
    page.clock.run_for(3_500)
    offer = page.locator("[data-guided-timeout]")
    assert offer.is_visible() and offer.inner_text() == "If not by then: Return to Callback request"
    assert page.evaluate("document.activeElement.hasAttribute('data-guided-timeout')")
    page.keyboard.press("Enter")
    arrive(page, "**/sops/callback/#guided-return=verify")  # the label told the truth
    assert current(page) == "Step 4: Transfer to Tier 2"
    choose(page, 1)
    next_step(page)
    assert current(page) == "Call notes"
    notes = page.locator("#guided-notes").input_value()
    assert "2. [Verify identity] Step 1: Ask for the full name — No answer after 3 seconds\n" in notes
    assert "null" not in notes


def test_back_from_a_called_sop_goes_to_the_calling_step_and_back_from_the_caller_into_it(agent, flow_site):
    page = agent.page
    page.goto(f"{flow_site.url}sops/callback/#guided=verify")
    page.locator("#guided-current").wait_for()
    press(page, "[data-guided-call]")
    arrive(page, "**/sops/identity/#guided")
    back = page.locator("[data-guided-back]")
    assert back.is_enabled()  # the step before is the caller's
    press(page, "[data-guided-back]")
    arrive(page, "**/sops/callback/#guided=verify")
    assert current(page) == "Step 3: Verify the customer"
    assert page.locator("[data-guided-call]").inner_text() == "Do Verify identity now"  # the call undone
    assert page.locator("[data-guided-called]").count() == 0 and path_list(page) == ["Just started"]
    assert page.evaluate("sessionStorage.getItem('sopkb.guided.calls')") is None

    press(page, "[data-guided-call]")  # again, through to the end of Verify identity
    arrive(page, "**/sops/identity/#guided")
    next_step(page)
    assert current(page) == "Step 2: Confirm the address"
    press(page, "[data-guided-back]")  # Back on one page, as before
    assert current(page) == "Step 1: Ask for the full name"
    next_step(page)
    press(page, "[data-guided-return]")
    arrive(page, "**/sops/callback/#guided-return=verify")
    assert current(page) == "Step 4: Transfer to Tier 2"
    press(page, "[data-guided-back]")  # just back from the call: into it again, at its last step
    arrive(page, "**/sops/identity/#guided=ask-name")
    assert current(page) == "Step 1: Ask for the full name"
    assert (
        page.locator("[data-guided-called]")
        .inner_text()
        .startswith("You are in Verify identity, called from Callback request step 3.")
    )
    assert serious(page) == []


def test_a_hand_off_inside_a_called_sop_still_returns_to_the_caller(agent, flow_site):
    page = agent.page
    page.goto(f"{flow_site.url}sops/callback/#guided=verify")
    page.locator("#guided-current").wait_for()
    press(page, "[data-guided-call]")
    arrive(page, "**/sops/identity/#guided")
    page.goto(f"{flow_site.url}sops/identity/#guided=passphrase")  # the stack stays in the tab
    page.reload()
    page.locator("#guided-current").wait_for()
    page.keyboard.press("2")  # "No, they forgot it": hand over to Address check
    arrive(page, "**/sops/address/#guided")
    assert current(page) == "Step 1: Look up the address"
    assert (
        page.locator("[data-guided-called]")
        .inner_text()
        .startswith("You are in Address check, called from Callback request step 3.")
    )
    press(page, "[data-guided-back]")  # back to the SOP that handed over, the call still open
    arrive(page, "**/sops/identity/#guided=passphrase")
    assert page.locator("[data-guided-called]").count() == 1
    page.keyboard.press("2")
    arrive(page, "**/sops/address/#guided")
    next_step(page)
    assert current(page) == "Step 2: Confirm the address with the customer"
    assert page.locator("[data-guided-next]").inner_text() == "Return to Callback request"
    next_step(page)
    arrive(page, "**/sops/callback/#guided-return=verify")
    assert current(page) == "Step 4: Transfer to Tier 2"
    assert page.locator("[data-guided-called]").count() == 0


def test_a_stored_call_naming_an_sop_the_site_lacks_is_explained_not_followed(agent, flow_site):
    page = agent.page
    page.goto(f"{flow_site.url}sops/identity/")
    page.evaluate(
        """sessionStorage.setItem('sopkb.guided.calls', JSON.stringify(
             [{sop: 'no-such-sop', step: 'verify', title: 'Callback request', number: '3'}]))"""
    )
    page.goto(f"{flow_site.url}sops/identity/#guided")
    page.reload()
    page.locator("[data-guided-called]").wait_for()
    press(page, "[data-guided-return]")
    page.wait_for_function("document.querySelector('#guided-current').textContent.includes('cannot go')")
    assert page.url.endswith("/sops/identity/#guided")  # not sent to a missing page
    assert current(page) == "Guided mode cannot go to Callback request"
    card = page.locator(".sopkb-guided__step").inner_text()
    assert "This site has no procedure “no-such-sop”" in card
    assert page.evaluate("document.activeElement.id") == "guided-current"
    assert page.locator("[data-guided-called]").count() == 0
    assert page.evaluate("sessionStorage.getItem('sopkb.guided.calls')") is None
    assert serious(page) == []
    next_step(page)  # "End call and write notes": the call is closed
    assert current(page) == "Call notes"
    # the only console error is the browser's own line for the page the guide asked for
    assert all("404" in e for e in agent.console_errors) and len(agent.console_errors) == 1
    agent.console_errors.clear()


def test_a_missing_step_to_come_back_to_is_said(agent, flow_site):
    page = agent.page
    page.goto(f"{flow_site.url}sops/identity/#guided-return=no-such-step")
    page.locator("#guided-current").wait_for()
    assert current(page) == "Step 1: Ask for the full name"
    assert page.locator(".sopkb-guided__notice").inner_text() == (
        "This procedure has no step “no-such-step” to come back to, so guided mode starts it from the beginning."
    )
