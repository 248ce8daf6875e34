"""The HTML reader: structure, chrome left out, numbering as browsers show it, charsets, and
pages built to break parsers."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sopkb.importing import limits
from sopkb.importing.blocks import UnreadableDocument, Where
from sopkb.importing.read_html import decode_html, read_html

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>Missed deliveries</title>
<style>p { color: red }</style><script>document.write("<p>not text</p>")</script></head>
<body><header><nav><a href="/">Home</a> <a href="/sops">SOPs</a></nav><p>ACME intranet</p></header>
<main><article><header><h1>Missed Deliveries When Customer Is at Home</h1></header>
<p>Objective: help the customer
   rebook.<br>Stay positive.</p>
<h2>Procedure:</h2>
<ol>
  <li>Greet Customer:<ul><li>Start with a friendly greeting.</li></ul></li>
  <li>Verify Customer Information:
     <ul><li>Confirm the name<ol type="a"><li>full name</li><li>order number</ol></li></ul>
  <li value="6">Disposition and Documentation:
  <li>Closing Interaction:<p>Thank the customer.</p></li>
</ol>
<ol start="3" type="I"><li>Third</li><li>Fourth</li></ol>
<ol reversed><li>three</li><li>two</li><li>one</li></ol>
<p>1. Typed one<br>2. Typed two</p>
<table><caption>When the driver can come back</caption>
  <tr><th>If</th><th>Then</th><th>Note</th></tr>
  <tr><td rowspan="2">Same day</td><td>Ask the driver to return.</td><td>Call dispatch.</td></tr>
  <tr><td colspan="2">Tell the customer the time window.</td></tr>
  <tr><td>Next day<td>Schedule<ul><li>morning</li><li>afternoon</li></ul><td>
</table>
<aside role="note"><p>Note: never promise an exact time.</p></aside>
<div hidden>Draft text nobody sees.</div>
<footer><p>Reviewed yearly.</p></footer>
</article></main>
<footer><p>© ACME</p></footer>
</body></html>
"""


def read(tmp_path: Path, text: str | bytes, name: str = "page.html"):
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return read_html(path, name)


def test_a_page_reads_as_headings_paragraphs_items_and_tables(tmp_path):
    blocks = read(tmp_path, PAGE)
    assert [(b.kind, b.level, b.number, b.text) for b in blocks if b.kind != "table"] == [
        ("heading", 1, None, "Missed Deliveries When Customer Is at Home"),
        ("paragraph", 0, None, "Objective: help the customer rebook. Stay positive."),
        ("heading", 2, None, "Procedure:"),
        ("item", 0, "1.", "Greet Customer:"),
        ("item", 1, None, "Start with a friendly greeting."),
        ("item", 0, "2.", "Verify Customer Information:"),
        ("item", 1, None, "Confirm the name"),
        ("item", 2, "a.", "full name"),
        ("item", 2, "b.", "order number"),
        ("item", 0, "6.", "Disposition and Documentation:"),
        ("item", 0, "7.", "Closing Interaction:"),
        ("paragraph", 0, None, "Thank the customer."),
        ("item", 0, "III.", "Third"),
        ("item", 0, "IV.", "Fourth"),
        ("item", 0, "3.", "three"),
        ("item", 0, "2.", "two"),
        ("item", 0, "1.", "one"),
        ("item", 0, "1.", "Typed one"),
        ("item", 0, "2.", "Typed two"),
        ("paragraph", 0, None, "When the driver can come back"),
        ("paragraph", 0, None, "Note: never promise an exact time."),
        ("paragraph", 0, None, "Reviewed yearly."),  # a footer inside the article is content
    ]
    (table,) = [b for b in blocks if b.kind == "table"]
    assert table.rows == (
        ("If", "Then", "Note"),
        ("Same day", "Ask the driver to return.", "Call dispatch."),
        ("", "Tell the customer the time window.", ""),  # under a rowspan; after a colspan
        ("Next day", "Schedule\nmorning\nafternoon", ""),
    )
    assert blocks[0].where == Where("page.html", line=5)
    assert table.where.line == 19


def test_text_outside_any_element_and_unclosed_tags_still_count(tmp_path):
    blocks = read(tmp_path, "Loose text<p>First<p>Second<h3>Unclosed heading")
    assert [(b.kind, b.text) for b in blocks] == [
        ("paragraph", "Loose text"),
        ("paragraph", "First"),
        ("paragraph", "Second"),
        ("heading", "Unclosed heading"),
    ]


# ---------------------------------------------------------------- built to break parsers


def timed(call, seconds: float):
    started = time.monotonic()
    result = call()
    assert time.monotonic() - started < seconds
    return result


def test_a_hundred_thousand_nested_divs_read_as_one_paragraph(tmp_path):
    page = "<div>" * 100_000 + "Deep text." + "</div>" * 100_000 + "<p>After.</p>"
    blocks = timed(lambda: read(tmp_path, page), seconds=15)
    assert [b.text for b in blocks] == ["Deep text.", "After."]


def test_a_hundred_thousand_unclosed_inline_tags(tmp_path):
    blocks = timed(lambda: read(tmp_path, "<p>" + "<b><i><span>" * 100_000 + "Bold."), seconds=15)
    assert [b.text for b in blocks] == ["Bold."]


def test_chrome_nested_a_hundred_thousand_deep_is_skipped_whole(tmp_path):
    page = "<nav>" * 100_000 + "Menu" + "</nav>" * 100_000 + "<p>Content.</p>"
    assert [b.text for b in timed(lambda: read(tmp_path, page), seconds=15)] == ["Content."]


@pytest.mark.parametrize("nest", ["<ul><li>", "<ol><li>", "<table><tr><td>", "<li>x<ul>"])
def test_lists_and_tables_nested_a_hundred_thousand_deep_are_refused(tmp_path, nest):
    with pytest.raises(UnreadableDocument) as caught:
        timed(lambda: read(tmp_path, nest * 100_000 + "deep"), seconds=5)
    assert str(caught.value) == "nests lists and tables more than 100 deep; no procedure needs that"


def test_spans_cannot_blow_a_table_up(tmp_path):
    row = "<tr>" + '<td colspan="1000" rowspan="1000">x</td>' * 300 + "</tr>"
    with pytest.raises(UnreadableDocument) as caught:
        timed(lambda: read(tmp_path, "<table>" + row * 2 + "</table>"), seconds=5)
    assert str(caught.value) == f"has more than {limits.MAX_TABLE_CELLS:,} table cells"


# ---------------------------------------------------------------- charsets


def test_the_declared_charset_is_used():
    assert decode_html(b'<meta charset="windows-1252"><p>Don\x92t') == '<meta charset="windows-1252"><p>Don’t'
    # Latin-1 is read as windows-1252, as browsers do, so 0x92 is still an apostrophe.
    http_equiv = b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"><p>Don\x92t'
    assert decode_html(http_equiv).endswith("Don’t")
    assert decode_html(b"\xff\xfe" + "<p>Grüße".encode("utf-16-le")) == "<p>Grüße"  # a byte-order mark
    assert (
        decode_html(b"<?xml version='1.0' encoding='iso-8859-15'?><p>\xa4")
        == "<?xml version='1.0' encoding='iso-8859-15'?><p>€"
    )
    assert decode_html("<p>Grüße".encode()) == "<p>Grüße"  # no declaration: UTF-8


def test_bytes_invalid_in_the_encoding_are_an_error_not_replaced(tmp_path):
    with pytest.raises(UnreadableDocument) as caught:
        read(tmp_path, b"<p>Greet</p>\n<p>caf\xe9 \xff</p>")
    assert str(caught.value) == (
        "is not valid utf-8 at byte 20 (line 2): no charset is declared, so it is read as UTF-8;"
        " save it as UTF-8, or declare its real charset in <meta charset>, and import again"
    )


@pytest.mark.parametrize("charset", ["x-no-such-charset", "hex", "base64", "rot13"])
def test_a_charset_that_is_no_text_encoding_is_an_error(tmp_path, charset):
    with pytest.raises(UnreadableDocument) as caught:
        read(tmp_path, f'<meta charset="{charset}"><p>Hi'.encode())
    assert str(caught.value) == (
        f"declares the charset {charset!r}, which is no text encoding sopkb knows; save it as UTF-8 and import again"
    )


def test_word_processor_exports_read_as_their_documents(tmp_path):
    """LibreOffice's export (a Title paragraph; <li>s that write their number again in a
    ListLabel span) and Word's "Save as Web Page" (list paragraphs whose number is a
    mso-list:Ignore span, their level in the style) read as the document: one number per item."""
    libreoffice = tmp_path / "lo.html"
    libreoffice.write_text(
        '<body><p class="Title">Missed deliveries</p><h1 class="Heading_20_1">Procedure:</h1>'
        '<ol><li><p class="P1"><span class="ListLabel_20_10" style="display:block">1.</span>Greet:</p>'
        '<ul><li><p><span class="ListLabel_20_11">\uf0b7\uf0b7</span>Say hello.</p></li></ul></li>'
        '<li><p><span class="ListLabel_20_10">2.</span>Close.</p></li></ol>'
        '<h2><span class="ListLabel_20_1">3.1</span>Reception</h2>'
        '<ol><li><span class="ListLabel_1">Keep this text, it is no label</span> then this.</li></ol></body>',
        encoding="utf-8",
    )
    assert [(b.kind, b.text, b.level, b.number) for b in read_html(libreoffice, "lo.html")] == [
        ("heading", "Missed deliveries", 1, None),
        ("heading", "Procedure:", 1, None),
        ("item", "Greet:", 0, "1."),
        ("item", "Say hello.", 1, None),
        ("item", "Close.", 0, "2."),
        ("heading", "3.1 Reception", 2, None),
        ("item", "Keep this text, it is no label then this.", 0, "1."),
    ]
    word = tmp_path / "word.htm"
    word.write_text(
        "<body><p class=MsoTitle>Refunds</p>"
        "<p class=MsoListParagraphCxSpFirst style='text-indent:-.25in;mso-list:l0 level1 lfo1'>"
        "<![if !supportLists]><span style='mso-list:Ignore'>1.<span style='font:7.0pt \"Times\"'>&nbsp;&nbsp; "
        "</span></span><![endif]>Check the order.</p>"
        "<p class=MsoListParagraphCxSpMiddle style='margin-left:1.0in;mso-list:l0 level2 lfo1'>"
        "<![if !supportLists]><span style='font-family:\"Courier New\";mso-list:Ignore'>o<span>&nbsp; </span>"
        "</span><![endif]>Look at the date.</p>"
        "<p class=MsoListParagraphCxSpLast style='mso-list:l0 level1 lfo1'><span style='mso-list:Ignore'>2."
        "<span>&nbsp;</span></span>Refund it.</p><p class=MsoNormal>Done.</p></body>",
        encoding="windows-1252",
    )
    assert [(b.kind, b.text, b.level, b.number) for b in read_html(word, "word.htm")] == [
        ("heading", "Refunds", 1, None),
        ("item", "Check the order.", 0, "1."),
        ("item", "Look at the date.", 1, None),
        ("item", "Refund it.", 0, "2."),
        ("paragraph", "Done.", 0, None),
    ]


def test_list_label_spans_never_swallow_text(tmp_path):
    """A hundred thousand label spans left open: their text is read as text, bounded, not lost."""
    page = tmp_path / "labels.html"
    page.write_text(
        "<p>" + '<span class="ListLabel_1">' * 100_000 + "Keep me.</p><p>And me.</p>"
        "<ol><li>Step text.</li></ol>",
        encoding="utf-8",
    )
    started = time.perf_counter()
    blocks = read_html(page, "labels.html")
    assert time.perf_counter() - started < 5
    assert [b.text for b in blocks] == ["Keep me.", "And me.", "Step text."]


def test_the_sources_line_wrapping_is_a_space_but_pre_keeps_its_lines(tmp_path):
    page = tmp_path / "wrapped.html"
    page.write_text(
        "<p>1. Typed number paragraph that is\nwrapped in the source.<br>2. Second line</p>"
        "<ol><li>Verify the account holder with\r\nthe security PIN.</li></ol>"
        "<pre>1. Kept\n2. As lines</pre>",
        encoding="utf-8",
    )
    assert [(b.kind, b.text, b.number) for b in read_html(page, "wrapped.html")] == [
        ("item", "Typed number paragraph that is wrapped in the source.", "1."),
        ("item", "Second line", "2."),
        ("item", "Verify the account holder with the security PIN.", "1."),
        ("item", "Kept", "1."),
        ("item", "As lines", "2."),
    ]


def test_a_wikis_own_furniture_is_left_out(tmp_path):
    page = tmp_path / "wiki.html"
    page.write_text(
        '<body><div id="header"><a href="/">Home</a></div><div id="breadcrumbs">Spaces › Support</div>'
        '<div id="main-content"><h1>Changing an address</h1>'
        '<div class="page-metadata">Created by Jane Doe, last modified on Jan 12, 2024</div>'
        "<p>Applies to orders not yet shipped.</p><ol><li>Open the order.</li></ol></div>"
        '<div class="sidebar">Recent pages</div><div id="footer"><p>Powered by Atlassian Confluence</p></div>'
        "<main><div class='footer'>The article's own closing line.</div></main></body>",
        encoding="utf-8",
    )
    assert [b.text for b in read_html(page, "wiki.html")] == [
        "Changing an address",
        "Applies to orders not yet shipped.",
        "Open the order.",
        "The article's own closing line.",
    ]
