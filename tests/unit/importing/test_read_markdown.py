"""The Markdown reader: headings, list numbers as shown, nesting, tables, raw HTML kept as text."""

from __future__ import annotations

from sopkb.importing.read_markdown import markdown_blocks


def test_repeated_one_is_numbered_as_shown_and_nesting_is_kept():
    blocks = markdown_blocks("# Title\n\n1. First\n   - sub *point*\n1. Second\n1. Third\n", "x.md")
    assert [(b.kind, b.level, b.number, b.text) for b in blocks] == [
        ("heading", 1, None, "Title"),
        ("item", 0, "1.", "First"),
        ("item", 1, None, "sub point"),
        ("item", 0, "2.", "Second"),
        ("item", 0, "3.", "Third"),
    ]


def test_tables_and_raw_html_and_line_numbers():
    text = "Intro <b>bold</b> text.\n\n| If | Then |\n|---|---|\n| Yes | Go on |\n\n<div onclick=x>Hi</div>\n"
    blocks = markdown_blocks(text, "x.md")
    assert blocks[0].text == "Intro <b>bold</b> text."
    assert blocks[1].rows == (("If", "Then"), ("Yes", "Go on")) and blocks[1].where.line == 3
    assert blocks[2].text == "<div onclick=x>Hi</div>" and blocks[2].where.line == 7


def test_dialogue_and_typed_markers_on_consecutive_lines_stay_lines():
    text = (
        "Agent: Is there anything else I can help you with?\nCustomer: No, thanks.\n"
        "Agent: Have a good day,\nand thank you.\n\nA plain paragraph\nwrapped here.\n"
    )
    assert [b.text for b in markdown_blocks(text, "dialogue.md")] == [
        "Agent: Is there anything else I can help you with?",
        "Customer: No, thanks.",
        "Agent: Have a good day, and thank you.",
        "A plain paragraph wrapped here.",
    ]
