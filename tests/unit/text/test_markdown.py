"""Author Markdown as HTML that survives being cut into blocks at blank lines."""

from __future__ import annotations

import html

import pytest
from sopkb.build.html_blocks import lift
from sopkb.text.markdown import block, inline, link_targets

CODE = "Send this:\n\n```\nREFUND <order>\n\n*amount* = total\n  \n\n\nend\n```\n"


def _pre_text(rendered: str) -> str:
    start = rendered.index("<code>") + len("<code>")
    return html.unescape(rendered[start : rendered.index("</code>")])


@pytest.mark.parametrize("text", [CODE, "a\n\nb", "a\n  \n\n\nb", "**a**\n\n\nb"])
def test_rendered_author_text_has_no_blank_line(text):
    for rendered in (block(text), inline(text)):
        lines = str(rendered).split("\n")
        assert all(line.strip() for line in lines[:-1]), rendered


def test_a_code_block_keeps_every_character_of_its_empty_lines():
    assert _pre_text(str(block(CODE))) == "REFUND <order>\n\n*amount* = total\n  \n\n\nend\n"


def test_a_code_block_with_empty_lines_is_lifted_whole():
    page = f'---\ntitle: x\n---\n\n<div class="sopkb-objective">{block(CODE)}</div>\n\nTail'
    lifted = lift(page)
    assert len(lifted.blocks) == 1 and lifted.blocks[0].endswith("</div>")
    assert "*amount*" not in lifted.stub  # nothing of it is left for Python-Markdown


def test_an_ext_link_goes_to_the_procedures_entry_on_the_page_never_off_site():
    assert str(inline("See [Billing](ext:billing) first")) == (
        'See <a href="#ext-billing" class="sopkb-ext-link">Billing</a> first'
    )
    assert (
        str(block("[ref][b]\n\n[b]: ext:billing"))
        == '<p><a href="#ext-billing" class="sopkb-ext-link">ref</a></p>\n'
    )
    assert "href" not in str(inline("[x](javascript:alert(1))"))  # refused as a link: shown as text


def test_a_sop_link_goes_where_the_renderer_says_and_never_to_a_sop_address():
    def links(sop_id: str, step: str | None) -> str:
        return f"../../sops/{sop_id}/" + (f"#step-{step}" if step else "")

    assert str(inline("Do [Verify](sop:identity#ask-name) first", links)) == (
        'Do <a href="../../sops/identity/#step-ask-name" class="sopkb-sop-link">Verify</a> first'
    )
    assert str(block("[ref][v]\n\n[v]: sop:identity", links)) == (
        '<p><a href="../../sops/identity/" class="sopkb-sop-link">ref</a></p>\n'
    )
    table = "| Case | See |\n|---|---|\n| Lost | [Lost](sop:lost-package) |"
    assert 'href="../../sops/lost-package/"' in str(inline(table, links))
    # without the page's addresses (text rendered outside a page), the link is its text only
    assert str(inline("Do [Verify](sop:identity#ask-name)")) == 'Do <a class="sopkb-sop-link">Verify</a>'


def test_link_targets_are_found_in_inline_reference_and_nested_links():
    text = "A [b](ext:billing), [c][r], `[not](ext:code)` and - [d](https://x.example)\n\n[r]: ext:refunds"
    assert link_targets(text) == ["ext:billing", "ext:refunds", "https://x.example"]
    assert link_targets("no links here (ext:billing)") == []
    assert link_targets("[a](sop:x#y) [b](<sop:café x>)") == ["sop:x#y", "sop:café x"]  # as written
