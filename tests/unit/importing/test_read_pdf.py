"""The PDF reader: the seeds as LibreOffice prints them from Word, the layout rules on small
hand-made pages, and PDFs that cannot or must not be read."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from sopkb.importing import read_pdf as reader
from sopkb.importing.blocks import UnreadableDocument, Where
from sopkb.importing.pdf_objects import pdfium_objects, pdfplumber_objects
from sopkb.importing.read_docx import read_docx
from sopkb.importing.read_pdf import read_pdf

from tests.unit.importing.hostile import (
    partly_scanned,
    placed,
    ruled_table,
    scanned,
    text_page,
    thousands_of_pages,
    to_pdf,
    write_pdf,
)
from tests.unit.importing.seed_documents import SEEDS, as_tuples, expected_blocks, write_docx


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Each seed as DOCX and as the PDF LibreOffice exports from it (one soffice run)."""
    folder = tmp_path_factory.mktemp("seed-pdf")
    docx = [write_docx(doc, folder / f"seed_{doc.name}.docx") for doc in SEEDS]
    pdfs = to_pdf(docx, folder / "pdf", tmp_path_factory.mktemp("lo-profile"))
    return {doc.name: (d, p) for doc, d, p in zip(SEEDS, docx, pdfs, strict=True)}


def _squash(rows):
    return tuple(tuple(" ".join(cell.split()) for cell in row) for row in rows)


def _comparable(blocks):
    return [(k, t, lvl, n, _squash(r)) for k, t, lvl, n, r in blocks]


@pytest.mark.parametrize("name", ["000", "001", "002"])
def test_a_printed_seed_reads_as_its_word_original(seeds, name):
    docx, pdf = seeds[name]
    doc = next(d for d in SEEDS if d.name == name)
    got = read_pdf(pdf, "seed.pdf")
    assert _comparable(as_tuples(got)) == _comparable(expected_blocks(doc))
    assert as_tuples(got) == as_tuples(read_docx(docx, "seed.docx"))
    assert got[0].where == Where("seed.pdf", page=1) and got[-1].where.page == 2


def test_numbered_headings_read_as_printed(seeds):
    # LibreOffice 7.4 prints Word's legal numbering (isLgl) as "III.1" where Word shows "3.1":
    # the PDF reader reads what the PDF shows. Everything else is as the Word original.
    docx, pdf = seeds["003"]
    got = as_tuples(read_pdf(pdf, "003.pdf"))
    printed = []
    for kind, text, level, number, rows in expected_blocks(SEEDS[3]):
        if kind == "heading" and level == 3:
            section, rest = text.split(" ", 1)
            major, minor = section.split(".")
            text = f"{['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII'][int(major) - 1]}.{minor} {rest}"
        printed.append((kind, text, level, number, rows))
    assert got == printed


def test_decision_tables_across_page_breaks(seeds):
    _, pdf = seeds["004"]
    got = read_pdf(pdf, "004.pdf")
    expected = expected_blocks(SEEDS[4])
    assert [(b.kind, b.text, b.level) for b in got] == [(k, t, lvl) for k, t, lvl, _, _ in expected]
    tables = [b.rows for b in got if b.kind == "table"]
    wanted = [rows for kind, *_, rows in expected if kind == "table"]
    # The two tables whose page break falls in a row mid-sentence come out whole: the header Word
    # repeats is dropped and the cut row joined.
    assert _squash(tables[0]) == _squash(wanted[0])
    assert _squash(tables[1]) == _squash(wanted[1])
    assert _squash(tables[3]) == _squash(wanted[3])
    # In the third, the break falls between two sentences of a cell: nothing tells a cut row from
    # a new one, so the rest comes as a row of its own. No word is lost or moved out of its column.
    assert len(tables[2]) == len(wanted[2]) + 1
    for column in range(4):
        got_text = " ".join(row[column] for row in tables[2]).split()
        assert got_text == " ".join(row[column] for row in wanted[2]).split()


# ---------------------------------------------------------------- layout rules, on small pages


def blocks_of(tmp_path: Path, *pages: bytes) -> list[tuple]:
    path = write_pdf(tmp_path / "page.pdf", list(pages))
    return [(b.kind, b.level, b.number, b.text) for b in read_pdf(path, "page.pdf")]


def test_headings_by_size_and_bold_items_by_marker_and_indent(tmp_path):
    page = placed(
        [
            (72, 740, "Returns", 20, False),
            (72, 712, "Before you start", 14, False),
            (72, 690, "Procedure", 11, True),  # bold at body size, no marker: a heading
            (72, 670, "1.", 11, False),  # a marker alone, its text on the next line
            (72, 655, "Greet the customer.", 11, False),
            (90, 640, "• Smile.", 11, False),
            (72, 625, "2. Verify the order.", 11, False),
            (72, 600, "Close the call politely and note the outcome in the ticket.", 11, False),
        ]
    )
    assert blocks_of(tmp_path, page) == [
        ("heading", 1, None, "Returns"),
        ("heading", 2, None, "Before you start"),
        ("heading", 3, None, "Procedure"),
        ("item", 0, "1.", "Greet the customer."),
        ("item", 1, None, "Smile."),
        ("item", 0, "2.", "Verify the order."),
        ("paragraph", 0, None, "Close the call politely and note the outcome in the ticket."),
    ]


def test_paragraphs_end_where_the_line_ended_early(tmp_path):
    wrapped = [
        "Explain that tracking numbers may take some time to generate in our system and may not",
        "immediately appear on the tracking site.",
        "Offer to stay connected.",  # starts a paragraph: "Offer" would have fitted above
        "Document the details of the interaction, including customer information, tracking issue,",
        "and guid-",
        "ance provided.",
    ]
    page = placed([(72, 700 - 15 * i, line, 11, False) for i, line in enumerate(wrapped)])
    assert blocks_of(tmp_path, page) == [
        ("paragraph", 0, None, wrapped[0] + " " + wrapped[1]),
        ("paragraph", 0, None, wrapped[2]),
        ("paragraph", 0, None, wrapped[3] + " " + wrapped[4]),
        ("paragraph", 0, None, "ance provided."),
    ]


def test_table_text_is_not_read_twice_and_a_row_cut_by_the_page_is_joined(tmp_path):
    first = placed([(72, 740, "Check the order first.", 11, False)]) + ruled_table(
        [["If", "Then"], ["Late", ["Check the tracking and offer the", "customer"]]],
        top=700,
        widths=[80, 180],
    )
    second = ruled_table(
        [["If", "Then"], ["", ["a refund of the postage."]], ["Lost", "Open a claim."]],
        top=740,
        widths=[80, 180],
    ) + placed([(72, 600, "Then close the call.", 11, False)])
    path = write_pdf(tmp_path / "tables.pdf", [first, second])
    blocks = read_pdf(path, "tables.pdf")
    assert [(b.kind, b.text, b.where.page) for b in blocks] == [
        ("paragraph", "Check the order first.", 1),
        ("table", "", 1),
        ("paragraph", "Then close the call.", 2),  # a table between: not the same paragraph
    ]
    assert blocks[1].rows == (
        ("If", "Then"),
        ("Late", "Check the tracking and offer the customer a refund of the postage."),
        ("Lost", "Open a claim."),
    )


def test_running_headers_and_page_numbers_are_left_out(tmp_path):
    pages = [
        placed(
            [
                (72, 770, "ACME Customer Care - Internal", 9, False),
                (72, 700, f"Step {n}: do the thing number {n}.", 11, False),
                (72, 30, f"Page {n} of 3", 9, False),
            ]
        )
        for n in (1, 2, 3)
    ]
    assert [b[3] for b in blocks_of(tmp_path, *pages)] == [
        "do the thing number 1.",
        "do the thing number 2.",
        "do the thing number 3.",
    ]


# ---------------------------------------------------------------- pdfium and pdfminer


def both_readings(path: Path) -> tuple[list, list]:
    """Each page's objects as pdfium's reader makes them (None: not modelled) and as pdfminer's."""
    import pdfplumber
    import pypdfium2

    data = path.read_bytes()
    pdf = pdfplumber.open(io.BytesIO(data))
    with pypdfium2.PdfDocument(data) as document:
        fast = [pdfium_objects(document, index, page) for index, page in enumerate(pdf.pages)]
    return fast, [pdfplumber_objects(page) for page in pdf.pages]


def edge(e: dict) -> tuple:
    return (e["orientation"], round(e["x0"], 2), round(e["top"], 2), round(e["x1"], 2), round(e["bottom"], 2))


def blocks_from(objects: list) -> list:
    return reader._Assembler("x.pdf", [reader._read_page(page) for page in objects]).blocks()


@pytest.mark.parametrize("name", ["000", "001", "002", "003", "004"])
def test_pdfium_reads_a_printed_seed_as_pdfminer_does(seeds, name):
    fast, slow = both_readings(seeds[name][1])
    assert None not in fast  # every page read by pdfium, none handed back to pdfminer
    assert blocks_from(fast) == blocks_from(slow)
    for mine, theirs in zip(fast, slow, strict=True):
        assert "".join(sorted(c["text"] for c in mine.chars)) == "".join(
            sorted(c["text"] for c in theirs.chars)
        )
        assert len(mine.edges) == len(theirs.edges)


def test_pdfium_reads_hand_made_pages_as_pdfminer_does(tmp_path):
    page = placed(
        [(72, 740, "Check the order first.", 11, False), (72, 725, "guid-", 11, True)]
    ) + ruled_table(
        [["If", "Then"], ["Late", ["Check the tracking and offer the", "customer"]]],
        top=700,
        widths=[80, 180],
    )
    path = write_pdf(
        tmp_path / "page.pdf", [page, b"0.5 g 72 600 200 0.5 re f 72 500 m 100 550 150 550 172 500 c S"]
    )
    fast, slow = both_readings(path)
    assert None not in fast
    assert blocks_from(fast) == blocks_from(slow)
    for mine, theirs in zip(fast, slow, strict=True):
        assert sorted(map(edge, mine.edges)) == sorted(map(edge, theirs.edges))
        assert [c["text"] for c in mine.chars] == [c["text"] for c in theirs.chars]
        # pdfium computes in 32-bit floats: the same places to a hundredth of a point
        places = zip(mine.chars, theirs.chars, strict=True)
        assert all(abs(a[k] - b[k]) < 0.01 for a, b in places for k in ("x0", "x1", "size"))


def test_pages_pdfium_does_not_model_are_read_by_pdfminer(tmp_path):
    turned_page = write_pdf(tmp_path / "turned.pdf", [text_page("1. Greet the customer.")], rotate=90)
    turned_text = write_pdf(
        tmp_path / "text.pdf", [b"BT /F1 11 Tf 0 1 -1 0 300 300 Tm (Greet the customer.) Tj ET"]
    )
    for path in (turned_page, turned_text):
        fast, slow = both_readings(path)
        assert fast == [None]
        assert read_pdf(path, "x.pdf") == blocks_from(slow) != []


# ---------------------------------------------------------------- PDFs that cannot be read


def refused(path: Path, seconds: float = 5.0) -> str:
    started = time.monotonic()
    with pytest.raises(UnreadableDocument) as caught:
        read_pdf(path, path.name)
    assert time.monotonic() - started < seconds
    return str(caught.value)


@pytest.fixture(scope="module")
def protected(seeds, tmp_path_factory) -> dict[str, Path]:
    """Seed 000 exported by LibreOffice with an open password, and with permissions only."""
    docx, _ = seeds["000"]
    profile = tmp_path_factory.mktemp("lo-profile-protected")
    folder = tmp_path_factory.mktemp("protected")
    password = (
        '{"EncryptFile":{"type":"boolean","value":"true"},'
        '"DocumentOpenPassword":{"type":"string","value":"secret"}}'
    )
    permissions = (
        '{"RestrictPermissions":{"type":"boolean","value":"true"},'
        '"PermissionPassword":{"type":"string","value":"owner"},"Printing":{"type":"long","value":"0"}}'
    )
    (locked,) = to_pdf([docx], folder / "locked", profile, password)
    (restricted,) = to_pdf([docx], folder / "restricted", profile, permissions)
    return {"locked": locked, "restricted": restricted}


def test_a_password_protected_pdf(protected):
    assert b"/Encrypt" in protected["locked"].read_bytes()
    assert refused(protected["locked"]) == "is encrypted; remove the password and import again"


def test_a_pdf_with_permissions_but_no_open_password_reads(protected, seeds):
    # Encrypted too, but anyone may open it: no password is needed, so it imports.
    assert b"/Encrypt" in protected["restricted"].read_bytes()
    blocks = read_pdf(protected["restricted"], "restricted.pdf")
    assert as_tuples(blocks) == as_tuples(read_pdf(seeds["000"][1], "seed.pdf"))


def test_scans(tmp_path):
    assert refused(scanned(tmp_path / "scan.pdf")) == "has no text layer (a scan?); run OCR first"
    assert refused(partly_scanned(tmp_path / "part.pdf")) == (
        "has a page without a text layer (scanned: page 2); run OCR first"
    )


def test_text_in_fonts_without_characters(tmp_path):
    page = b"BT /F3 11 Tf 72 700 Td <0041004200430044> Tj ET"
    assert refused(write_pdf(tmp_path / "glyphs.pdf", [page])) == (
        "has text in fonts that give no characters (only glyph numbers); run OCR first"
    )


def test_ten_thousand_pages_are_refused_quickly(tmp_path):
    path = thousands_of_pages(tmp_path / "manual.pdf")
    assert refused(path, seconds=5) == (
        "has 10,000 pages; sopkb imports PDFs of up to 500 pages (split it, or import the procedure's own pages)"
    )
    lying = thousands_of_pages(tmp_path / "lying.pdf", declared=3)  # /Count says 3
    assert refused(lying, seconds=5) == (
        "has more than 500 pages; sopkb imports PDFs of up to 500 pages (split it, or import the procedure's own pages)"
    )


def test_five_hundred_pages_are_read(tmp_path):
    pages = [text_page(f"Step {n} of the long manual.") for n in range(1, 501)]
    blocks = read_pdf(write_pdf(tmp_path / "long.pdf", pages), "long.pdf")
    assert len(blocks) == 500 and blocks[-1].where.page == 500


def test_damaged_and_disguised_files(tmp_path, seeds):
    _, pdf = seeds["000"]
    whole = pdf.read_bytes()
    cases = {
        "not.pdf": (b"PK\x03\x04 a zip", "is not a PDF file (it does not start as one)"),
        "garbage.pdf": (b"%PDF-1.7\n" + bytes(range(256)) * 10, "is not a readable PDF: it is damaged ("),
        "half.pdf": (whole[: len(whole) // 2], None),
    }
    for name, (content, expected) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        if expected is None:
            # Half a file: pdfminer rebuilds what it can. Either the first page reads or it is a
            # clear error; never a traceback.
            try:
                blocks = read_pdf(path, name)
            except UnreadableDocument as error:
                assert "\n" not in str(error)
            else:
                assert blocks and blocks[0].where.page == 1
        else:
            assert refused(path).startswith(expected)


def test_a_decompression_bomb_is_refused_before_it_inflates(tmp_path):
    """7 MB of text operators packed into 7 KB: refused from the stream's size, in bounded steps."""
    bomb = write_pdf(tmp_path / "bomb.pdf", [b"BT /F1 1 Tf " + b"(A) Tj " * 1_000_000 + b"ET"], compress=True)
    assert bomb.stat().st_size < 50_000
    with pytest.raises(UnreadableDocument) as caught:
        read_pdf(bomb, "bomb.pdf")
    assert str(caught.value) == (
        "page 1 would unpack to more than 5 MB of drawing instructions; a page of a procedure needs"
        " far less (a decompression bomb?)"
    )


def test_a_page_of_too_many_characters_is_refused(tmp_path):
    crowded = write_pdf(tmp_path / "crowded.pdf", [b"BT /F1 1 Tf " + b"(A) Tj " * 150_000 + b"ET"], compress=True)
    with pytest.raises(UnreadableDocument) as caught:
        read_pdf(crowded, "crowded.pdf")
    assert str(caught.value) == (
        "page 1 holds 150,000 characters; a page of small print holds about 6,000 (sopkb reads up to 100,000 a page)"
    )
    packed = write_pdf(tmp_path / "packed.pdf", [text_page("Step one: greet the caller.")], compress=True)
    assert [b.text for b in read_pdf(packed, "packed.pdf")] == ["Step one: greet the caller."]


def test_a_page_tree_nested_thousands_deep_is_refused(tmp_path):
    depth = 5_000
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    for n in range(depth):  # object 2 + n is a /Pages node holding the next
        objects.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (3 + n))
    objects.append(b"<< /Type /Page /MediaBox [0 0 612 792] >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path = tmp_path / "deep.pdf"
    path.write_bytes(bytes(out))
    with pytest.raises(UnreadableDocument) as caught:
        read_pdf(path, "deep.pdf")
    assert str(caught.value) == "is not a readable PDF: its page tree nests deeper than any real document's"
