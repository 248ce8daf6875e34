"""Our HTML blocks lifted out of the Markdown Python-Markdown sees, and put back after it."""

from __future__ import annotations

import re

from sopkb.build.html_blocks import lift, lift_page, pack, unpack
from sopkb.render.pages import Page


def as_markdown(stub: str) -> str:
    """What Python-Markdown makes of a stub, as far as it matters here: every paragraph in <p>."""
    return "\n".join(f"<p>{chunk}</p>" for chunk in stub.split("\n\n"))


def test_each_chunk_starting_with_a_tag_becomes_a_placeholder_paragraph():
    lifted = lift('## Steps\n\n<div class="a">\n<p>one</p>\n</div>\n\nSome *text*.\n\n<ol><li>x</li></ol>')
    assert lifted.stub == "## Steps\n\nSOPKBBLOCK0X\n\nSome *text*.\n\nSOPKBBLOCK1X"
    assert lifted.blocks == ['<div class="a">\n<p>one</p>\n</div>', "<ol><li>x</li></ol>"]


def test_a_chunk_not_starting_with_a_tag_stays_markdown():
    for text in (
        "  <div>indented</div>",
        "Text then <b>bold</b>",
        "\n<div>after a newline</div>",
        "- <a>x</a>",
    ):
        lifted = lift(f"<p>first</p>\n\n{text}")
        assert lifted.stub == f"SOPKBBLOCK0X\n\n{text}" and lifted.blocks == ["<p>first</p>"], text


def test_front_matter_is_kept_as_it_is_even_when_it_starts_with_a_tag():
    page = '---\ntitle: "<b>x</b>"\n---\n\n<div>body</div>'
    lifted = lift(page)
    assert lifted.stub == '---\ntitle: "<b>x</b>"\n---\n\nSOPKBBLOCK0X'
    assert lifted.blocks == ["<div>body</div>"]
    assert lift("<hr>\n\n---\n\n<p>x</p>").stub == "SOPKBBLOCK0X\n\n---\n\nSOPKBBLOCK1X"  # no front matter


def test_a_page_without_html_is_left_alone():
    page = "# Title\n\nText.\n"
    assert (lift(page).stub, lift(page).blocks) == (page, [])


def test_indexed_blocks_go_back_early_and_excluded_ones_only_late():
    lifted = lift('<div class="card" data-search-exclude>card</div>\n\nWords.\n\n<div id="s">step</div>')
    early = lifted.restore_early(as_markdown(lifted.stub))
    assert early == '<!--sopkb-late-0-->\n<p>Words.</p>\n<div id="s">step</div>'
    assert lifted.restore_late(early) == (
        '<div class="card" data-search-exclude>card</div>\n<p>Words.</p>\n<div id="s">step</div>'
    )


def test_only_the_first_tag_decides_whether_a_block_is_excluded():
    lifted = lift(
        '<div>\n<svg data-search-exclude="">x</svg>\n</div>\n\n<figure\n data-search-exclude>f</figure>'
    )
    early = lifted.restore_early(as_markdown(lifted.stub))
    assert early == '<div>\n<svg data-search-exclude="">x</svg>\n</div>\n<!--sopkb-late-1-->'


def test_restoring_puts_every_block_back_in_its_place_past_ten_blocks():
    blocks = [f'<div data-n="{n}"{" data-search-exclude" if n % 3 == 0 else ""}>{n}</div>' for n in range(12)]
    page = "\n\n".join(x for n, b in enumerate(blocks) for x in (b, f"Paragraph {n}."))
    lifted = lift(page)
    assert lifted.blocks == blocks
    html = lifted.restore_late(lifted.restore_early(as_markdown(lifted.stub)))
    assert html == as_markdown(page).replace("<p><div", "<div").replace("</div></p>", "</div>")
    assert not re.search("SOPKBBLOCK|sopkb-late", html)


def test_a_placeholder_markdown_did_not_leave_a_paragraph_on_its_own_is_not_touched():
    lifted = lift("<div>x</div>")
    assert lifted.restore_early("<li>SOPKBBLOCK0X</li>") == "<li>SOPKBBLOCK0X</li>"
    assert lifted.restore_late("no comments here") == "no comments here"


def test_the_blocks_wait_compressed_and_come_back_whole():
    """MkDocs reads every page before writing any: the blocks of all of them wait at once."""
    blocks = [f'<div class="step" id="s{n}">\n<p>Say “hello” to caller {n}.</p>\n</div>' for n in range(300)]
    lifted = lift("\n\n".join(["# Title", *blocks]))
    assert lifted.blocks == blocks
    assert len(lifted.packed) * 5 < sum(len(b.encode()) for b in blocks)


def test_a_lifted_page_hands_mkdocs_the_stub_and_keeps_its_path_and_files():
    page = Page("sops/x/index.md", "# X\n\n<div>body</div>", (("data/x.json", "{}"),))
    lifted = lift_page(page)
    assert (lifted.path, lifted.content, lifted.files) == (page.path, "# X\n\nSOPKBBLOCK0X", page.files)
    assert lifted.lifted.blocks == ["<div>body</div>"]


def test_packed_text_comes_back_as_it_was():
    html = "<p>“Quoted” – ünïcode, 漢字 and an emoji 🙂</p>\n" * 50
    assert unpack(pack(html)) == html and len(pack(html)) < len(html) // 5
