"""Callouts, written messages and tables in Chromium (tests/fixtures/kb-content): on the page and in
guided mode, by keyboard; a callout is never a line to say; a message's Copy copies its text."""

from __future__ import annotations

import shutil

import pytest
from sopkb.build.site_build import build_site

from tests.conftest import FIXTURES

from .conftest import axe_violations, open_watched, serve
from .test_guided import start

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
    start(page)
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
    start(page)
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
    start(page)
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
            # and the steps' headings follow "Procedure" without skipping a level (moderate, but cheap to keep)
            if v["impact"] in ("serious", "critical") or v["id"] == "heading-order":
                failures.append(
                    f"{state}: {v['id']} ({v['impact']}) at {[n['target'] for n in v['nodes']][:3]}"
                )

    page.goto(content_site.url + "sops/start-service/")
    check("page")
    start(page)
    check("guided step 1")
    next_step(page)
    page.keyboard.press("1")
    next_step(page)
    check("guided step 3")
    page.goto(content_site.url + "sops/documentation/")
    check("documentation page")
    w.page.context.close()
    assert failures == []


def test_a_link_to_another_sop_opens_its_page_at_the_step(agent):
    page = agent.page
    link = page.locator('[data-step-parts="confirm"]').get_by_role("link", name="the case notes step")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/sops/documentation/#step-write")
    assert page.locator("#step-write").inner_text().endswith("Write the case notes")


# --- Wide tables: a realistic fee table (9 columns) and an absurd one (60) ---------------------------

FEE_COLUMNS = ["Region", "Connection", "Reconnection", "Late payment", "Meter test", "Same-day surcharge",
               "Weekend surcharge", "Deposit", "Notes"]  # fmt: skip
FEE_ROW = [
    "$25.00",
    "$45.50",
    "$12.75",
    "$60.00",
    "$110.00",
    "$95.25",
    "$1,250.00",
    "Waived for priority customers",
]
REGIONS = ["North", "South", "East", "West", "Highlands", "Islands"]


def _flow(cells: list[str]) -> str:
    return "[" + ", ".join(f'"{c}"' for c in cells) + "]"


def _markdown_table(columns: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "".join(f"        {line}\n" for line in lines)


def fees_sop() -> str:
    """Two wide step tables and the same as Markdown tables in a note."""
    fee_rows = [[region, *FEE_ROW] for region in REGIONS]
    wide_columns = [f"Tariff {i}" for i in range(60)]
    wide_rows = [[f"${i},250.00" for i in range(60)] for _ in range(2)]
    tables = "".join(
        f"      - caption: {caption}\n        columns: {_flow(columns)}\n        rows:\n"
        + "".join(f"          - {_flow(row)}\n" for row in rows)
        for caption, columns, rows in (
            ("Fees by region", FEE_COLUMNS, fee_rows),
            ("Every tariff", wide_columns, wide_rows),
        )
    )
    notes = f"      - |\n{_markdown_table(FEE_COLUMNS, fee_rows)}      - |\n{_markdown_table(wide_columns, wide_rows)}"
    head = (FIXTURES / "kb-content" / "sops" / "documentation.yaml").read_text().split("steps:")[0]
    head = head.replace("id: documentation", "id: fees").replace(
        "title: Case documentation standards", "title: Fees"
    )
    return head + f"steps:\n  - id: quote\n    title: Quote the fee\n    tables:\n{tables}    notes:\n{notes}"


@pytest.fixture(scope="module")
def fees_site(tmp_path_factory):
    kb = tmp_path_factory.mktemp("wide") / "kb"
    shutil.copytree(FIXTURES / "kb-content", kb)
    (kb / "sops" / "fees.yaml").write_text(fees_sop(), encoding="utf-8")
    build_site(kb, kb.parent / "site")
    server, served = serve(kb.parent / "site", kb)
    yield served
    server.shutdown()


WORDS_SPLIT = """(scope) => {
  /* each word of each cell (a run without spaces or hyphens: a line may break after a hyphen) on one
     line, and each number cell on one line */
  const split = [];
  for (const cell of document.querySelectorAll(scope + " .sopkb-table th, " + scope + " .sopkb-table td")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const words = cell.classList.contains("sopkb-num") ? /.+/g : /[^\\s\u2010-]+/g;
      for (let m = words.exec(node.data); m; m = words.exec(node.data)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        if (new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size > 1) { split.push(m[0]); }
      }
    }
  }
  return split;
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_a_wide_table_scrolls_in_its_own_named_region_and_never_splits_a_word_or_a_number(
    browser, fees_site, width
):
    w = open_watched(browser, fees_site.url.rstrip("/"), viewport={"width": width, "height": 900})
    page = w.page
    page.goto(fees_site.url + "sops/fees/")
    assert page.evaluate(WORDS_SPLIT, ".sopkb-procedure") == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # the page never scrolls sideways
    regions = page.locator(".sopkb-procedure .sopkb-table-scroll")
    assert regions.count() == 4
    procedure = page.locator(".sopkb-procedure")
    names = [procedure.get_by_role("region", name=n, exact=True) for n in ("Fees by region", "Every tariff")]
    assert all(r.count() == 1 and r.get_attribute("tabindex") == "0" for r in names)
    assert (
        page.get_by_role("region", name="Table: Region, Connection, Reconnection, … (9 columns)").count() == 1
    )
    content = page.locator(".md-content").bounding_box()
    toc = page.locator(".md-sidebar--secondary")
    toc_left = toc.bounding_box()["x"] if toc.is_visible() else width
    for i in range(regions.count()):
        box = regions.nth(i).bounding_box()
        assert box["x"] >= content["x"] and box["x"] + box["width"] <= min(
            content["x"] + content["width"], toc_left
        )
    tariffs = names[1]
    assert tariffs.evaluate("(r) => r.scrollWidth > r.clientWidth")
    tariffs.focus()  # by keyboard: Tab reaches the region and the arrow keys scroll it
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(r) => r.scrollLeft > 0", arg=tariffs.element_handle())
    start(page)
    assert page.evaluate(WORDS_SPLIT, "#guided") == []
    assert page.locator("#guided").get_by_role("region", name="Every tariff", exact=True).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    failures = [
        v["id"]
        for v in axe_violations(page)
        if v["impact"] in ("serious", "critical") or v["id"] == "scrollable-region-focusable"
    ]
    assert failures == []
    assert w.console_errors == [] and w.off_origin == []
    w.page.context.close()
