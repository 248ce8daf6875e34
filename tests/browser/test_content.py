"""Callouts, written messages and tables in Chromium (tests/fixtures/kb-content): on the page and in
guided mode, by keyboard; a callout is never a line to say; a message's Copy copies its text."""

from __future__ import annotations

import pytest
from sopkb.build.site_build import build_site

from tests.conftest import FIXTURES

from .conftest import axe_violations, open_watched, serve

pytestmark = pytest.mark.browser
CALLOUTS = [
    "Never take card details over chat.",
    "Supervisors answer on extension 4400.",
    "The water board's direct line is for agents only.",
    "Most customers want all three utilities.",
    "Read the address back before you send anything.",
]


@pytest.fixture(scope="module")
def content_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("content") / "site"
    build_site(FIXTURES / "kb-content", out)
    server, served = serve(out, FIXTURES / "kb-content")
    yield served
    server.shutdown()


@pytest.fixture
def agent(browser, content_site):  # noqa: ANN001, ANN201
    w = open_watched(
        browser,
        content_site.url.rstrip("/"),
        viewport={"width": 1366, "height": 768},
        permissions=["clipboard-read", "clipboard-write"],
    )
    w.page.goto(content_site.url + "sops/start-service/")
    yield w
    assert w.console_errors == [] and w.off_origin == []
    w.page.context.close()


def start_guided(page) -> None:  # noqa: ANN001
    page.locator("[data-guided-start]").focus()
    page.keyboard.press("Enter")
    page.locator("#guided-current").wait_for()


def next_step(page) -> None:  # noqa: ANN001
    page.locator("[data-guided-next]").focus()
    page.keyboard.press("Enter")


def assert_reference_table(scope) -> None:  # noqa: ANN001
    table = scope.get_by_role("table", name="Utility phone numbers")
    assert table.count() == 1
    assert table.get_by_role("columnheader").all_inner_texts() == ["Utility", "Phone number", "Hours"]
    assert table.get_by_role("rowheader").all_inner_texts() == ["Gas", "Water"]
    assert table.get_by_role("row").nth(1).get_by_role("cell").all_inner_texts() == ["555-0100", "24 hours"]


def test_a_table_is_a_table_with_caption_and_header_cells_on_the_page_and_in_guided_mode(agent):
    page = agent.page
    assert_reference_table(page.locator(".sopkb-procedure"))
    assert_reference_table(page.locator(".sopkb-quick"))  # a key step's table is on the quick card
    notes = page.locator('[data-step-parts="identify"] .sopkb-notes')
    assert notes.get_by_role("columnheader").all_inner_texts() == ["Speed", "Fee"]  # Markdown, in a note
    assert "|" not in notes.inner_text()
    start_guided(page)
    guided = page.locator("#guided")
    assert_reference_table(guided)
    assert guided.locator(".sopkb-notes").get_by_role("columnheader").all_inner_texts() == ["Speed", "Fee"]


def test_a_callout_is_never_a_line_to_say_copy_or_read_in_a_script(agent):
    page = agent.page
    said = page.locator(".sopkb-say, .sopkb-dialogue, .sopkb-quick__say").all_inner_texts()
    copied = page.locator(".sopkb-say .sopkb-copy, .sopkb-scripts .sopkb-copy").evaluate_all(
        "buttons => buttons.map((b) => b.getAttribute('data-copy'))"
    )
    assert said and copied
    callouts = page.locator(".sopkb-procedure .sopkb-callout").all_inner_texts()
    assert sum(text in c for text in CALLOUTS for c in callouts) == len(CALLOUTS)
    assert "Internal only — do not read to the customer" in callouts[1]
    for text in CALLOUTS:
        assert not any(text in s for s in said + copied), text
    start_guided(page)
    while True:  # every step of the guided call: callouts shown, never as what to say
        guided = page.locator("#guided")
        assert not any(text in s for text in CALLOUTS for s in guided.locator(".sopkb-say").all_inner_texts())
        if page.locator("#guided-current").inner_text() == "Step 1: Identify the utility":
            assert (
                "Internal only — do not read to the customer"
                in guided.locator(".sopkb-step__parts .sopkb-callout").first.inner_text()
            )
            guided.locator(".sopkb-say .sopkb-copy").focus()
            page.keyboard.press("Enter")
            page.wait_for_function(
                "() => document.querySelector('#sopkb-live')?.textContent === 'Copied to the clipboard'"
            )
            assert (
                page.evaluate("navigator.clipboard.readText()")
                == "Which utility should we connect at {address}?"
            )
        if page.locator("[data-answer]").count():
            page.keyboard.press("1")
        if page.locator("[data-guided-copy-notes]").count():
            break
        next_step(page)
    assert not any(text in page.locator("#guided-notes").input_value() for text in CALLOUTS)


def test_a_message_names_its_channel_and_its_copy_button_copies_the_text(agent):
    page = agent.page
    message = page.get_by_role("group", name="Email template: Connection booked")
    assert message.locator(".sopkb-message__channel").inner_text().lower() == "email"
    assert message.locator(".sopkb-ph").all_inner_texts() == [
        "{date}",
        "{customer_name}",
        "{utility}",
        "{date}",
    ]
    copy = message.get_by_role("button", name="Copy the text of the Email template: Connection booked")
    copy.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('#sopkb-live')?.textContent === 'Copied to the clipboard'"
    )
    assert page.evaluate("navigator.clipboard.readText()") == (
        "Hello {customer_name},\n\nYour {utility} connection is booked for {date}."
    )
    assert page.locator("#sopkb-live").get_attribute("aria-live") == "polite"
    message.get_by_role("button", name="Copy the subject of the Email template: Connection booked").click()
    page.wait_for_function(
        "() => navigator.clipboard.readText().then((t) => t === 'Your connection on {date}')"
    )
    assert not page.locator(".sopkb-say .sopkb-message, .sopkb-message .sopkb-say").count()


def test_guided_mode_shows_notes_and_ends_with_the_procedures_messages(agent):
    page = agent.page
    start_guided(page)
    assert "Connection fees:" in page.locator("#guided .sopkb-notes").inner_text()
    rules = page.locator("#guided details.sopkb-guided__rules")
    assert rules.get_attribute("open") is not None  # open at the first step
    next_step(page)
    page.keyboard.press("2")  # No: book the next free slot
    next_step(page)
    assert page.locator("#guided-current").inner_text() == "Step 3: Confirm by email"
    assert page.locator("#guided details.sopkb-guided__rules").get_attribute("open") is None
    assert page.locator("#guided").get_by_role("group", name="Email template: Connection booked").count() == 1
    next_step(page)
    end = page.locator("#guided .sopkb-guided__end")
    assert end.get_by_role("group", name="SMS template: Day-before reminder").count() == 1
    ids = page.evaluate("Array.from(document.querySelectorAll('[id]')).map((e) => e.id)")
    assert len(ids) == len(set(ids))  # the copies of the page's blocks carry no ids


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious_on_the_page_and_in_guided_mode(browser, content_site, scheme):
    w = open_watched(browser, content_site.url.rstrip("/"), color_scheme=scheme)
    page = w.page
    failures = []

    def check(state: str) -> None:
        for v in axe_violations(page):
            if v["impact"] in ("serious", "critical"):
                failures.append(
                    f"{state}: {v['id']} ({v['impact']}) at {[n['target'] for n in v['nodes']][:3]}"
                )

    page.goto(content_site.url + "sops/start-service/")
    check("page")
    start_guided(page)
    check("guided step 1")
    next_step(page)
    page.keyboard.press("1")
    next_step(page)
    check("guided step 3")
    page.goto(content_site.url + "sops/documentation/")
    check("documentation page")
    w.page.context.close()
    assert failures == []
