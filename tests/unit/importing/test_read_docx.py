"""The Word reader: the seeds as Word documents, Word's numbering rules one by one, what the body
can hold (content controls, text boxes, tracked changes, a table of contents), and files that
are no DOCX at all."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from sopkb.importing.blocks import UnreadableDocument, Where
from sopkb.importing.read_docx import format_number, read_docx

from tests.unit.importing.hostile import docx_with_document_xml, lying_docx, small_docx, zip_bomb_docx
from tests.unit.importing.seed_documents import (
    SEED_000,
    SEED_002,
    SEED_003,
    SEED_004,
    SEEDS,
    as_tuples,
    expected_blocks,
    write_docx,
)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("seed-docx")
    return {doc.name: write_docx(doc, folder / f"seed_{doc.name}.docx") for doc in SEEDS}


@pytest.mark.parametrize("doc", SEEDS, ids=lambda d: d.name)
def test_each_seed_reads_back_as_written(seed_docx, doc):
    assert as_tuples(read_docx(seed_docx[doc.name], "seed.docx")) == expected_blocks(doc)


def test_numbers_come_from_numbering_xml_not_the_text(seed_docx):
    with zipfile.ZipFile(seed_docx["000"]) as package:
        body = package.read("word/document.xml").decode()
    assert "1. Greet" not in body and "<w:numId " in body  # Word's numbering, not typed numbers
    blocks = read_docx(seed_docx["000"], "000.docx")
    steps = [(b.number, b.text) for b in blocks if b.kind == "item" and b.level == 0]
    assert steps == [
        ("1.", "Customer Service Representative (CSR):"),
        # A second list on the same definition with "Restart at 1" (a startOverride) starts over.
        ("1.", "Greet Customer:"),
        ("2.", "Listen and Understand:"),
        ("3.", "Verify Customer Information:"),
        ("4.", "Advise Customer: Missed Delivery on the Same Day:"),
        ("5.", "Provide Reassurance:"),
        ("6.", "Disposition and Documentation:"),
        ("7.", "Closing Interaction:"),
    ]
    bullets = [b for b in blocks if b.kind == "item" and b.level == 1]
    assert bullets and all(b.number is None for b in bullets)


def test_a_list_resumed_after_a_paragraph_goes_on_counting(seed_docx):
    blocks = read_docx(seed_docx["002"], "002.docx")
    texts = [b.text for b in blocks]
    note = texts.index("The steps go on after this note, in the same list.")
    assert (blocks[note - 1].number, blocks[note + 1].number) == (None, "5.")
    assert blocks[note + 1].text == "Determine Tracking Status:"


def test_numbered_heading_styles_show_roman_and_legal_numbers(seed_docx):
    headings = [(b.level, b.text) for b in read_docx(seed_docx["003"], "003.docx") if b.kind == "heading"]
    assert headings[:6] == [
        (1, "Customer Service SOP"),
        (2, "I. Objective"),
        (2, "II. Scope"),
        (2, "III. Customer Inquiry Handling"),
        (3, "3.1 Receiving Customer Inquiries"),  # isLgl: "3.1", not "III.1"
        (3, "3.2 Information Gathering"),
    ]
    assert (2, "VIII. Approval") in headings and (3, "7.2 Analysis and Action") in headings


def test_tables_come_in_body_order_with_merged_cells_once(seed_docx):
    blocks = read_docx(seed_docx["004"], "004.docx")
    assert [b.kind for b in blocks] == [
        "heading", "paragraph", "heading", "table", "heading", "table", "heading", "table", "heading", "table",
    ]  # fmt: skip
    decision = blocks[3].rows
    assert decision[0] == ("Step", "Event/Action", "IF", "Then")
    assert decision[1][:3] == ("1", decision[1][1], "YES:")
    assert decision[2] == ("", "", "NO:", "Go to Step 2.")  # merged with the row above: said once
    handling = blocks[9].rows
    assert handling[2] == ("2", "Gather the following Information based on the customer’s concern", "")
    assert handling[8] == ("Closing the interaction", "", "")
    assert blocks[3].where == Where("004.docx", paragraph=4)


def test_seed_expectations_hold_independently_of_the_reader():
    # The expectations are data written out by hand, not the reader's output read back.
    assert expected_blocks(SEED_000)[3] == ("item", "Customer Service Representative (CSR):", 0, "1.", ())
    assert sum(1 for b in expected_blocks(SEED_004) if b[0] == "table") == 4
    assert sum(1 for b in expected_blocks(SEED_003) if b[0] == "heading") == 1 + 8 + 16
    assert expected_blocks(SEED_002)[-1][0] == "paragraph"


# ---------------------------------------------------------------- Word's numbering, rule by rule


def _lvl(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{extra}'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
    )


def lists_docx(tmp_path: Path, numbering: str, paragraphs: list[tuple[str | None, int, str]]) -> Path:
    """A DOCX whose numbering.xml holds `numbering` and whose body is (numId, ilvl, text)
    paragraphs (numId None: a plain paragraph)."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    root = document.part.numbering_part.element
    for child in list(root):
        root.remove(child)
    for element in parse_xml(f'<w:numbering xmlns:w="{W_NS}">{numbering}</w:numbering>'):
        root.append(element)
    for num_id, ilvl, text in paragraphs:
        paragraph = document.add_paragraph(text)
        if num_id is not None:
            num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = ilvl
            num_pr.get_or_add_numId().val = int(num_id)
    path = tmp_path / "lists.docx"
    document.save(path)
    return path


def numbers(path: Path) -> list[tuple[str, str | None, int]]:
    return [(b.text, b.number, b.level) for b in read_docx(path, "lists.docx")]


def test_formats_and_level_texts(tmp_path):
    numbering = (
        '<w:abstractNum w:abstractNumId="1">'
        + _lvl(0, "decimal", "%1.")
        + _lvl(1, "lowerLetter", "%2)")
        + _lvl(2, "lowerRoman", "(%3)")
        + _lvl(3, "decimal", "%1.%2.%4")  # other levels in their own formats
        + "</w:abstractNum>"
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
    )
    path = lists_docx(
        tmp_path,
        numbering,
        [
            ("1", 0, "one"),
            ("1", 1, "a"),
            ("1", 1, "b"),
            ("1", 2, "i"),
            ("1", 2, "ii"),
            ("1", 3, "deep"),
            ("1", 0, "two"),
            ("1", 1, "again a"),
        ],
    )
    assert numbers(path) == [
        ("one", "1.", 0),
        ("a", "a)", 1),
        ("b", "b)", 1),
        ("i", "(i)", 2),
        ("ii", "(ii)", 2),
        ("deep", "1.b.1", 3),
        ("two", "2.", 0),
        ("again a", "a)", 1),  # a level restarts when a level above it is used
    ]


def test_start_values_overrides_and_instances_sharing_a_definition(tmp_path):
    numbering = (
        '<w:abstractNum w:abstractNumId="1">' + _lvl(0, "upperLetter", "%1.", start=3) + "</w:abstractNum>"
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'  # no override: continues
        '<w:num w:numId="3"><w:abstractNumId w:val="1"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="10"/></w:lvlOverride></w:num>'
    )
    path = lists_docx(
        tmp_path,
        numbering,
        [("1", 0, "c"), ("1", 0, "d"), (None, 0, "between"), ("2", 0, "e"), ("3", 0, "j"), ("3", 0, "k")],
    )
    assert numbers(path) == [
        ("c", "C.", 0),
        ("d", "D.", 0),
        ("between", None, 0),
        ("e", "E.", 0),
        ("j", "J.", 0),
        ("k", "K.", 0),
    ]


def test_lvl_restart_zero_never_restarts_and_bullets_have_no_number(tmp_path):
    numbering = (
        '<w:abstractNum w:abstractNumId="1">'
        + _lvl(0, "decimal", "Part %1")
        + _lvl(1, "decimal", "%2.", extra='<w:lvlRestart w:val="0"/>')
        + _lvl(2, "bullet", "\uf0b7")
        + "</w:abstractNum>"
        '<w:num w:numId="7"><w:abstractNumId w:val="1"/></w:num>'
    )
    path = lists_docx(
        tmp_path, numbering, [("7", 0, "A"), ("7", 1, "x"), ("7", 2, "dot"), ("7", 0, "B"), ("7", 1, "y")]
    )
    assert numbers(path) == [
        ("A", "Part 1", 0),
        ("x", "1.", 1),
        ("dot", None, 2),
        ("B", "Part 2", 0),
        ("y", "2.", 1),
    ]


def test_a_list_defined_through_a_numbering_style(tmp_path):
    import docx
    from docx.oxml import parse_xml

    numbering = (
        '<w:abstractNum w:abstractNumId="1"><w:styleLink w:val="StepList"/>'
        + _lvl(0, "decimal", "%1)")
        + "</w:abstractNum>"
        '<w:abstractNum w:abstractNumId="2"><w:numStyleLink w:val="StepList"/></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="2"/></w:num>'
    )
    path = lists_docx(tmp_path, numbering, [("2", 0, "first"), ("2", 0, "second")])
    document = docx.Document(path)
    document.styles.element.append(
        parse_xml(
            f'<w:style xmlns:w="{W_NS}" w:type="numbering" w:styleId="StepList"><w:name w:val="Step List"/>'
            '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
        )
    )
    document.save(path)
    assert numbers(path) == [("first", "1)", 0), ("second", "2)", 0)]


@pytest.mark.parametrize(
    ("value", "fmt", "shown"),
    [
        (1, "lowerLetter", "a"),
        (26, "upperLetter", "Z"),
        (27, "lowerLetter", "aa"),  # Word repeats the letter
        (53, "lowerLetter", "aaa"),
        (4, "upperRoman", "IV"),
        (1994, "lowerRoman", "mcmxciv"),
        (7, "decimalZero", "07"),
        (22, "ordinal", "22nd"),
        (13, "ordinal", "13th"),
        (5, "none", ""),
        (5, "chineseCounting", "5"),  # a format we do not spell: the count, not nothing
    ],
)
def test_format_number(value, fmt, shown):
    assert format_number(value, fmt) == shown


# ---------------------------------------------------------------- what a body can hold


def body_docx(tmp_path: Path, body: str) -> Path:
    xml = (
        f'<w:document xmlns:w="{W_NS}" '
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>'
        f"{body}</w:body></w:document>"
    )
    return docx_with_document_xml(tmp_path / "body.docx", xml.encode())


def test_text_in_controls_links_insertions_and_text_boxes_is_kept_deleted_text_is_not(tmp_path):
    path = body_docx(
        tmp_path,
        '<w:p><w:pPr><w:pStyle w:val="TOC1"/></w:pPr><w:r><w:t>Contents line 3</w:t></w:r></w:p>'
        "<w:sdt><w:sdtContent><w:p><w:r><w:t>Inside a content control.</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        '<w:p><w:r><w:t xml:space="preserve">Call </w:t></w:r><w:hyperlink><w:r><w:t>Tier 2</w:t></w:r></w:hyperlink>'
        '<w:ins><w:r><w:t xml:space="preserve"> now</w:t></w:r></w:ins><w:del><w:r><w:delText> later</w:delText></w:r></w:del>'
        "<w:r><w:tab/><w:t>then wait.</w:t></w:r></w:p>"
        "<w:p><w:r><mc:AlternateContent><mc:Choice><w:txbxContent><w:p><w:r><w:t>Boxed note.</w:t></w:r></w:p>"
        "</w:txbxContent></mc:Choice><mc:Fallback><w:txbxContent><w:p><w:r><w:t>Boxed note.</w:t></w:r></w:p>"
        "</w:txbxContent></mc:Fallback></mc:AlternateContent></w:r></w:p>"
        "<w:p><w:r><w:t>1. A typed number</w:t></w:r></w:p>",
    )
    # The table of contents style (TOC1) is not in the fixture's styles, so that line stays:
    # only a style Word names "toc n" is dropped. Everything else reads as the page shows it.
    assert [(b.kind, b.number, b.text) for b in read_docx(path, "body.docx")] == [
        ("paragraph", None, "Contents line 3"),
        ("paragraph", None, "Inside a content control."),
        ("paragraph", None, "Call Tier 2 now then wait."),
        ("paragraph", None, "Boxed note."),
        ("item", "1.", "A typed number"),
    ]


def test_a_table_of_contents_is_left_out(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Procedure\t3", style=document.styles.add_style("toc 1", 1))
    document.add_heading("Procedure", level=1)
    document.save(tmp_path / "toc.docx")
    assert [(b.kind, b.text) for b in read_docx(tmp_path / "toc.docx", "toc.docx")] == [
        ("heading", "Procedure")
    ]


def test_a_table_in_a_cell_becomes_lines_of_that_cell(tmp_path):
    import docx

    document = docx.Document()
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "If the customer is"
    inner = outer.cell(0, 1).add_table(rows=2, cols=2)
    for r, row in enumerate([("Available", "Transfer"), ("Away", "Call back")]):
        for c, text in enumerate(row):
            inner.cell(r, c).text = text
    document.save(tmp_path / "nested.docx")
    (table,) = read_docx(tmp_path / "nested.docx", "nested.docx")
    assert table.rows == (("If the customer is", "Available | Transfer\nAway | Call back"),)


# ---------------------------------------------------------------- files that are no DOCX


def refused(path: Path, seconds: float = 5.0) -> str:
    started = time.monotonic()
    with pytest.raises(UnreadableDocument) as caught:
        read_docx(path, path.name)
    assert time.monotonic() - started < seconds
    return str(caught.value)


def test_a_zip_bomb_is_refused_before_anything_is_unpacked(tmp_path):
    path = zip_bomb_docx(tmp_path / "bomb.docx", unpacked_mb=50)
    assert path.stat().st_size < 1024 * 1024
    assert refused(path, seconds=2) == (
        "part 'word/media/image1.png' would unpack to 1,028 times its packed size; refusing a likely zip bomb"
    )


def test_a_directory_that_understates_a_part_does_not_unpack_it(tmp_path):
    # zipfile cuts the data at the declared size, the checksum fails: a clear error, little memory.
    assert refused(lying_docx(tmp_path / "lying.docx")) == (
        "is not a Word (DOCX) file: it is damaged (Bad CRC-32 for file 'word/document.xml')"
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"PK\x03\x04 not really a zip", "is not a Word (DOCX) file: it is damaged or not a ZIP package"),
        (b"%PDF-1.7 renamed", "is not a Word (DOCX) file: it is damaged or not a ZIP package"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
            "is an old-format (.doc) or password-protected Word file; remove any password, save it as .docx and import again",
        ),
    ],
)
def test_files_that_are_no_docx(tmp_path, content, expected):
    path = tmp_path / "bad.docx"
    path.write_bytes(content)
    assert refused(path) == expected


def test_a_zip_that_is_no_word_package(tmp_path):
    path = tmp_path / "notes.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("notes.txt", "Greet the customer.")
    assert refused(path) == (
        "is not a readable Word (DOCX) file: it is damaged or not a Word document"
        " (There is no item named '[Content_Types].xml' in the archive)"
    )


def test_a_truncated_docx(tmp_path):
    whole = small_docx(tmp_path / "whole.docx").read_bytes()
    (tmp_path / "half.docx").write_bytes(whole[: len(whole) // 2])
    assert refused(tmp_path / "half.docx") == "is not a Word (DOCX) file: it is damaged or not a ZIP package"


def test_damaged_and_absurdly_deep_xml(tmp_path):
    broken = docx_with_document_xml(tmp_path / "broken.docx", b"<w:document><w:body><w:p>")
    assert refused(broken).startswith("is not a readable Word (DOCX) file: its XML is damaged (")
    deep = (
        f'<w:document xmlns:w="{W_NS}"><w:body>'.encode()
        + b"<w:sdt><w:sdtContent>" * 100_000
        + b"</w:sdtContent></w:sdt>" * 100_000
        + b"</w:body></w:document>"
    )
    # Packed, it is a zip bomb (400 times); stored, libxml2's depth limit stops the parser.
    packed = docx_with_document_xml(tmp_path / "deep.docx", deep)
    assert refused(packed) == (
        "part 'word/document.xml' would unpack to 407 times its packed size; refusing a likely zip bomb"
    )
    stored = docx_with_document_xml(tmp_path / "stored.docx", deep, compression=zipfile.ZIP_STORED)
    message = refused(stored)
    assert message.startswith("is not a readable Word (DOCX) file: its XML is damaged (")
    assert "\n" not in message


def test_no_message_carries_the_file_name(tmp_path):
    path = tmp_path / "evil\nname.docx"
    path.write_bytes(b"garbage")
    assert "evil" not in refused(path)  # the caller names the file, escaped (limits.located)
