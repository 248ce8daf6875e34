"""The limits every reader checks before its parser sees a file."""

from __future__ import annotations

import os
import zipfile

import pytest
from sopkb.importing import limits
from sopkb.importing.blocks import UnreadableDocument

from tests.unit.importing.hostile import small_docx


def message(call, *args) -> str:
    with pytest.raises(UnreadableDocument) as caught:
        call(*args)
    return str(caught.value)


def test_missing_empty_folder_and_too_big_files_are_refused(tmp_path):
    assert message(limits.check_file, tmp_path / "nope.docx") == "no such file"
    assert message(limits.check_file, tmp_path) == "is a folder, not a document"
    (tmp_path / "empty.pdf").write_bytes(b"")
    assert message(limits.check_file, tmp_path / "empty.pdf") == "is empty"
    big = tmp_path / "big.pdf"
    with big.open("wb") as file:  # sparse: 21 MB on paper, nothing on disk
        file.truncate(21 * 1024 * 1024)
    assert message(limits.check_file, big) == "is 21 MB; sopkb imports documents up to 20 MB"


def test_a_file_within_the_limit_passes(tmp_path):
    (tmp_path / "ok.html").write_text("<p>Greet the customer.</p>")
    assert limits.check_file(tmp_path / "ok.html") == 26


def test_a_name_with_a_newline_stays_on_one_line():
    line = limits.located("evil\nname.docx", UnreadableDocument("is empty"))
    assert line == "evil\\x0aname.docx: is empty"
    assert "\n" not in limits.located("a\rb\u2028c\x1b[2J.pdf", UnreadableDocument("is empty"))


def test_a_package_that_would_unpack_past_the_total_limit_is_refused(tmp_path, monkeypatch):
    path = small_docx(tmp_path / "ok.docx")
    limits.check_zip_package(path, "Word (DOCX)")
    monkeypatch.setattr(limits, "MAX_UNPACKED_BYTES", 10 * 1024)
    assert message(limits.check_zip_package, path, "Word (DOCX)").startswith("would unpack to ")


def test_a_package_of_too_many_parts_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "many.docx"
    with zipfile.ZipFile(path, "w") as package:
        for n in range(12):
            package.writestr(f"part{n}.xml", "<x/>")
    monkeypatch.setattr(limits, "MAX_PACKAGE_PARTS", 10)
    assert message(limits.check_zip_package, path, "Word (DOCX)") == (
        "holds 12 parts where a Word (DOCX) file holds a few dozen (a zip bomb?)"
    )


def test_a_zip_member_name_in_a_message_is_escaped(tmp_path):
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/evil\nname.xml", bytes(2 * 1024 * 1024))
    text = message(limits.check_zip_package, path, "Word (DOCX)")
    assert "\n" not in text and "part 'word/evil\\x0aname.xml' would unpack" in text


@pytest.mark.parametrize(
    ("part", "prologue"),
    [
        ("word/document.xml", b'<!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'),
        ("word/styles.xml", b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'),
        ("word/document.xml", b"<!--" + os.urandom(1_500_000).hex().encode() + b"--><!DOCTYPE w>"),  # far down
        ("word/document.xml", "<!DOCTYPE w>".encode("utf-16-le")),
    ],
    ids=["external-entity", "billion-laughs", "after-a-long-comment", "utf-16"],
)
def test_xml_that_declares_a_document_type_is_refused(tmp_path, part, prologue):
    """Entities would be left out silently by the XML parser: text lost without a word."""
    source = small_docx(tmp_path / "source.docx")
    path = tmp_path / "entities.docx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == part:
                declaration = data.index(b"?>") + 2
                data = data[:declaration] + prologue + data[declaration:]
            package.writestr(info.filename, data)
    assert message(limits.check_zip_package, path, "Word (DOCX)") == (
        f"part '{part}' declares a document type (<!DOCTYPE>), which Word never writes;"
        " refusing XML that defines its own entities"
    )
    limits.check_zip_package(source, "Word (DOCX)")  # the same package without it reads
