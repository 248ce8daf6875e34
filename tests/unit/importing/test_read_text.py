"""The plain-text reader: items, headings, wrapped lines, PDF-style bullets, tables, bad bytes."""

from __future__ import annotations

import pytest
from sopkb.importing.blocks import UnreadableDocument
from sopkb.importing.read_text import decode, read_text, text_blocks


def shapes(text: str) -> list[tuple]:
    return [(b.kind, b.level, b.number, b.text) for b in text_blocks(text, "x.txt")]


def test_numbered_forms_bullets_and_the_title():
    blocks = shapes("Resetting a password\n1. Greet.\n2) Ask.\nStep 3: Check.\n3.1 Sub step\n∙ A bullet\n- Dash\n")
    assert blocks == [
        ("heading", 1, None, "Resetting a password"),
        ("item", 0, "1.", "Greet."),
        ("item", 0, "2)", "Ask."),
        ("item", 0, "Step 3:", "Check."),
        ("item", 1, "3.1", "Sub step"),
        ("item", 0, None, "A bullet"),
        ("item", 0, None, "Dash"),
    ]


def test_wrapped_lines_join_and_pdf_bullets_move_to_the_next_line():
    blocks = shapes("Objective: Help the customer in\nresolving the issue.\n∙ Allow them to explain. ∙\nPay attention.\n-\nMarker alone\n")
    assert blocks == [
        ("paragraph", 0, None, "Objective: Help the customer in resolving the issue."),
        ("item", 0, None, "Allow them to explain."),
        ("item", 0, None, "Pay attention."),
        ("item", 0, None, "Marker alone"),
    ]


def test_roman_numeral_and_capitals_headings():
    blocks = shapes("Title\nII. Scope\nSome text.\nPROCEDURE\n")
    assert [(k, lvl, n, t) for k, lvl, n, t in blocks] == [
        ("heading", 1, None, "Title"),
        ("heading", 2, "II.", "Scope"),
        ("paragraph", 0, None, "Some text."),
        ("heading", 2, None, "PROCEDURE"),
    ]


def test_pipe_tables_with_a_separator_row():
    (table,) = [b for b in text_blocks("If | Then\n---|---\nYes | Refund\nNo | Replace\n", "x.txt") if b.kind == "table"]
    assert table.rows == (("If", "Then"), ("Yes", "Refund"), ("No", "Replace"))


def test_invalid_utf8_is_a_located_error(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"Title\nfine line\nbad \xff byte\n")
    with pytest.raises(UnreadableDocument) as caught:
        read_text(path, "bad.txt")
    assert str(caught.value) == (
        "line 3, column 5: the file is not UTF-8 text (byte 20); save it as UTF-8 and import it again"
    )


def test_a_byte_order_mark_and_control_characters_are_dropped():
    assert decode(b"\xef\xbb\xbfHi", "x") == "Hi"
    assert shapes("Title\nA \x1b[31mred\x07 line.\n")[1] == ("paragraph", 0, None, "A red line.")


def test_a_huge_line_is_one_bounded_paragraph():
    line = "word " * 200_000
    (title,) = text_blocks(line, "x.txt")
    assert title.kind == "paragraph" and len(title.text) == len(line.strip())



def test_terminal_colour_codes_go_whole():
    from sopkb.importing.read_text import clean_line

    assert clean_line("\x1b[31mRefunds\x1b[0m for \x1b]0;title\x07orders \x9b2Jnow") == "Refunds for orders now"
