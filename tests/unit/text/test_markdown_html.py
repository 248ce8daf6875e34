"""Author text: Markdown formatting yes, raw HTML and off-origin loads never."""

from __future__ import annotations

import pytest
from sopkb.text.markdown import block, inline, plain


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
