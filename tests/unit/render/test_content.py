"""Callouts, messages and tables as the SOP page renders them (tests/fixtures/kb-content)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sopkb.domain.project import Project
from sopkb.pipeline import load_knowledge_base
from sopkb.render.environment import make_environment
from sopkb.render.pages import render_site

from tests.conftest import FIXTURES

TODAY = dt.date(2026, 11, 23)
CALLOUT_TEXTS = [
    "Never take card details over chat.",
    "Supervisors answer on extension 4400.",
    "The water board&#39;s direct line is for agents only.",
    "Most customers want all three utilities.",
    "Read the address back before you send anything.",
]


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    kb = load_knowledge_base(Project.at(FIXTURES / "kb-content"), today=TODAY)
    return {p.path: p.content for p in render_site(kb, make_environment(), today=TODAY)}


@pytest.fixture(scope="module")
def page(pages) -> str:
    return pages["sops/start-service.md"]


def between(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


def step_parts(page: str, step_id: str) -> str:
    return between(page, f'data-step-parts="{step_id}"', "</section>")


def test_each_callout_names_its_kind_in_words(page):
    procedure = between(page, '<div class="sopkb-procedure">', "## Message templates")
    kinds = re.findall(
        r'sopkb-callout--(\w+)" role="note"><p class="sopkb-callout__label">'
        r'<strong class="sopkb-callout__kind">([^<]+)</strong>',
        procedure,
    )
    assert kinds == [
        ("compliance", "Compliance"),
        ("internal", "Internal only — do not read to the customer"),
        ("internal", "Internal only — do not read to the customer"),
        ("tip", "Tip"),
        ("warning", "Warning"),
    ]
    assert (
        '<strong class="sopkb-callout__kind">Warning</strong> · <span class="sopkb-callout__title">Check the address</span>'
        in procedure
    )


def test_a_callout_is_never_a_line_to_say_or_to_copy_as_one(page):
    say_blocks = re.findall(r'<div class="sopkb-say">.*?</div>', page)
    scripts = between(page, "## Sample call scripts", "## About this SOP")
    copied = re.findall(r'data-copy="([^"]*)"', page)
    assert say_blocks and copied
    for text in CALLOUT_TEXTS:
        assert text in page
        assert not any(text in block for block in say_blocks)
        assert text not in scripts
        assert not any(text in c for c in copied)


def test_a_step_shows_its_parts_in_its_part_order(page):
    identify = step_parts(page, "identify")  # order: [tables, say], then the default order
    positions = [
        identify.index(marker)
        for marker in (
            "<caption>Utility phone numbers",
            'class="sopkb-say"',
            "sopkb-callout--internal",
            "sopkb-callout--tip",
            '<p class="sopkb-label">Notes',
        )
    ]
    assert positions == sorted(positions)


def test_a_reference_table_has_a_caption_and_header_cells(page):
    table = between(step_parts(page, "identify"), "<table", "</table>")
    assert table.startswith(
        '<table class="sopkb-table sopkb-table--reference"><caption>Utility phone numbers</caption>'
    )
    assert re.findall(r'<th scope="col">([^<]+)</th>', table) == ["Utility", "Phone number", "Hours"]
    assert re.findall(r'<th scope="row">([^<]+)</th>', table) == ["Gas", "Water"]


def test_a_markdown_table_in_a_note_is_a_table(page):
    notes = between(step_parts(page, "identify"), '<div class="sopkb-notes">', "</div>")
    assert '<th scope="col" class="sopkb-align-left">Speed</th>' in notes and "|" not in notes


def test_a_message_names_its_channel_highlights_placeholders_and_copies_plain_text(page):
    message = between(step_parts(page, "confirm"), '<div class="sopkb-message', "</p></div>")
    assert 'aria-label="Email template: Connection booked"' in message
    assert '<span class="sopkb-message__channel">Email</span>' in message
    assert 'Subject:</span> Your connection on <span class="sopkb-ph">{date}</span>' in message
    assert '<strong><span class="sopkb-ph">{utility}</span></strong>' in message
    assert (
        'data-copy="Hello {customer_name},&#10;&#10;Your {utility} connection is booked for {date}."'
        in message
    )
    assert 'data-copy="Your connection on {date}"' in message
    assert "sopkb-say" not in message
    sop_messages = between(page, "## Message templates", "## Sample call scripts")
    assert (
        '<span class="sopkb-message__channel">SMS</span> <strong class="sopkb-message__title">Day-before reminder'
        in sop_messages
    )


def test_the_quick_card_groups_each_answer_with_its_own_content_and_shows_what_to_do(page):
    card = between(page, '<section class="sopkb-quick"', "</section>")
    yes, no = between(card, "Yes:</strong>", "No:</strong>"), card[card.index("No:</strong>") :]
    assert "Give the urgent line, 555-0199." in yes and "Please call 555-0199" in yes
    assert "Book the next free slot." in no and "Give the urgent line" not in no
    assert "Send the confirmation email." in card  # a key step's do items
    assert "Read the address back" in card and "Supervisors answer on extension 4400." in card
    assert "Most customers want all three" not in card  # tips stay on the page
    assert "<caption>Utility phone numbers</caption>" in card
    assert "sopkb-message" not in card


def test_the_page_has_no_blank_line_inside_a_block(page):
    for chunk in page.split("\n\n"):
        if chunk.startswith("<"):
            assert chunk.count("<section") == chunk.count("</section>"), chunk[:200]
            assert chunk.count("<div") == chunk.count("</div>"), chunk[:200]


def test_a_sop_link_goes_to_the_sop_or_its_step_and_no_page_links_to_sop_addresses(pages, page):
    step = '<a href="../../sops/documentation/#step-write" class="sopkb-sop-link">the case notes step</a>'
    assert step in step_parts(page, "confirm")
    assert '<a href="../../sops/documentation/" class="sopkb-sop-link">case standards</a>' in page
    assert not [path for path, content in pages.items() if 'href="sop:' in content]
