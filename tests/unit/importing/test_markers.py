"""Typed list markers: what starts a list item in a PDF line or a typed Word paragraph."""

from __future__ import annotations

import pytest
from sopkb.importing.markers import Marker, split_marker


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("1. Greet Customer:", Marker("1.", "Greet Customer:")),
        ("12) Escalate", Marker("12)", "Escalate")),
        ("(3) Verify", Marker("(3)", "Verify")),
        ("3.1 Receiving Customer Inquiries", Marker("3.1", "Receiving Customer Inquiries")),
        ("III. Customer Inquiry Handling", Marker("III.", "Customer Inquiry Handling")),
        ("iv) Close", Marker("iv)", "Close")),
        ("b. Offer a refund", Marker("b.", "Offer a refund")),
        ("Step 3: Transfer", Marker("Step 3:", "Transfer")),
        ("∙ Greet the customer warmly.", Marker(None, "Greet the customer warmly.")),
        ("• Listen", Marker(None, "Listen")),
        ("\uf0b7 Word's Symbol bullet", Marker(None, "Word's Symbol bullet")),
        ("- All customer inquiries", Marker(None, "All customer inquiries")),
        ("-", Marker(None, "")),  # a marker alone on its line: the text is on the next
        ("2.", Marker("2.", "")),
    ],
)
def test_a_line_starting_with_a_marker_is_split(line, expected):
    assert split_marker(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Objective: This SOP provides guidelines",
        "30 seconds is the longest wait",
        "2024 was a busy year",
        "Mix. the two",  # letters that are no Roman number below 40
        "Iv. mixed case",
        ". a stray full stop",
        "3.1 4 apples",  # a figure in a sentence
        "",
    ],
)
def test_a_line_without_a_marker_is_left_alone(line):
    assert split_marker(line) is None
