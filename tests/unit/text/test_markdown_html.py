"""Author text: Markdown formatting yes, raw HTML and off-origin loads never."""

from __future__ import annotations

import pytest
from sopkb.text.markdown import block, highlighted, inline, is_number, plain, plain_lines


@pytest.mark.parametrize(
    ("text", "html"),
    [
        (
            "Hello {customer_name}, **now**",
            'Hello <span class="sopkb-ph">{customer_name}</span>, <strong>now</strong>',
        ),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("[click](javascript:alert(1))", "[click](javascript:alert(1))"),
        (
            "![logo](https://cdn.example.com/x.png)",
            '<span class="sopkb-blocked-image">[image not shown: logo]</span>',
        ),
        (
            "![logo](//cdn.example.com/x.png)",
            '<span class="sopkb-blocked-image">[image not shown: logo]</span>',
        ),
        ("![logo](img/logo.png)", '<img src="img/logo.png" alt="logo" loading="lazy">'),
        ("`{code}` stays code", "<code>{code}</code> stays code"),
        ("Tom & Jerry", "Tom &amp; Jerry"),
        ("[policy](https://intranet.example/p)", '<a href="https://intranet.example/p">policy</a>'),
    ],
)
def test_inline(text, html):
    assert str(inline(text)) == html


def test_block_keeps_paragraphs_and_lists():
    assert str(block("One\n\n- a\n- b")) == "<p>One</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"


def test_plain_strips_marks_for_copy_and_svg():
    assert plain("Say **hello** to {customer_name}") == "Say hello to {customer_name}"


TABLE = "Fees:\n\n| Speed | Fee |\n|:--|--:|\n| Same day | <b>$25</b> |"


@pytest.mark.parametrize("render", [block, inline], ids=["block", "inline"])
def test_a_markdown_table_is_an_accessible_table_in_any_field(render):
    html = str(render(TABLE))
    assert html.startswith(
        '<p>Fees:</p>\n<div class="sopkb-table-scroll" role="region" tabindex="0" aria-label="Table: Speed, Fee">'
        '<table class="sopkb-table">'
    )
    assert html.endswith("</table>\n</div>")  # a wide table scrolls in its named region, not the page
    assert '<th scope="col" class="sopkb-align-left">Speed</th>' in html
    assert '<td class="sopkb-align-right">&lt;b&gt;$25&lt;/b&gt;</td>' in html  # raw HTML stays text
    assert "style=" not in html  # the page policy allows no style attribute
    assert "|" not in html


def test_numbers_in_a_table_are_kept_whole_and_a_region_is_named_by_its_first_columns():
    html = str(block("| Item | Fee | Phone | When |\n|--|--|--|--|\n| Same day | $1,250.00 | 555-0100 | 24 hours |"))
    assert '<td class="sopkb-num">$1,250.00</td>' in html and '<td class="sopkb-num">555-0100</td>' in html
    assert "<td>Same day</td>" in html and "<td>24 hours</td>" in html
    assert 'aria-label="Table: Item, Fee, Phone, … (4 columns)"' in html
    assert [is_number(t) for t in ("$25", "10 kWh", "(555) 010-0199", "2026-01-31", "Tier 2", "8am to 6pm")] == [
        True, True, True, True, False, False,
    ]  # fmt: skip
    assert 'aria-label="Table: &lt;b&gt;, **x**"' not in str(block("| <b> | **x** |\n|--|--|\n| 1 | 2 |"))
    assert 'aria-label="Table: &lt;b&gt;, x"' in str(block("| <b> | **x** |\n|--|--|\n| 1 | 2 |"))


def test_pipes_that_are_not_a_table_stay_inline():
    assert str(inline("Press A | B")) == "Press A | B"
    assert str(inline("a | b\nno delimiter row")) == "a | b\nno delimiter row"


def test_plain_of_a_table_is_its_words():
    assert plain(TABLE) == "Fees: Speed Fee Same day <b>$25</b>"


def test_plain_lines_keeps_paragraphs_lists_and_rows_for_pasting():
    text = "Dear {name},\n\nYour **refund**\nis on its way:\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    assert plain_lines(text) == (
        "Dear {name},\n\nYour refund\nis on its way:\n\n- one\n- two\n\na | b\n1 | 2"
    )


def test_highlighted_marks_placeholders_and_escapes_everything_else():
    assert str(highlighted("Your <b>order</b> {order_id}")) == (
        'Your &lt;b&gt;order&lt;/b&gt; <span class="sopkb-ph">{order_id}</span>'
    )
