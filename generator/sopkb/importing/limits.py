"""What `sopkb import` agrees to read, checked before any parser sees the file.

A document to import comes from outside the project (a shared drive, an email): it may be huge,
a zip bomb dressed as a DOCX, a 10,000-page PDF, or HTML nested a hundred thousand levels deep.
Each reader checks these limits first and fails with one clear sentence (`UnreadableDocument`)
instead of filling the memory, running for minutes or ending in a traceback.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

from ..core.console import one_line
from .blocks import UnreadableDocument

MAX_FILE_BYTES = 20 * 1024 * 1024
"""No SOP is 20 MB of text; a bigger file is a scan, a video in a DOCX or not an SOP."""

MAX_PDF_PAGES = 500
"""The longest real procedure manuals run to a few hundred pages."""

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
"""A DOCX is a ZIP package: what its parts add up to once unpacked, by its own directory."""

MAX_PACKING_RATIO = 100
"""Word's XML packs about 5 to 20 times; a part packed 100 times or more is a zip bomb."""

RATIO_CHECKED_FROM_BYTES = 1024 * 1024
"""Small parts may pack very well (a run of spaces) and can do no harm: their ratio is not checked."""

MAX_PACKAGE_PARTS = 10_000


MAX_NESTING = 100
"""Lists and tables inside each other; real documents nest three or four deep."""

MAX_TABLE_CELLS = 200_000
"""Across one document: colspan and rowspan could otherwise blow a few bytes up into millions."""


def located(display: str, error: UnreadableDocument) -> str:
    """`name: message` on one line, whatever the file name holds: a newline or a terminal
    escape in it is shown escaped (core.console.one_line), so it cannot start a line of its own."""
    return one_line(f"{display}: {error}")


def check_file(path: Path) -> int:
    """The file's size, once it is known to be a regular file within MAX_FILE_BYTES."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise UnreadableDocument("no such file") from None
    except OSError as error:
        raise UnreadableDocument(f"cannot be read ({one_line(error.strerror or str(error))})") from None
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableDocument("is a folder, not a document")
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableDocument("is not a regular file")
    if info.st_size > MAX_FILE_BYTES:
        raise UnreadableDocument(
            f"is {_megabytes(info.st_size)}; sopkb imports documents up to {_megabytes(MAX_FILE_BYTES)}"
        )
    if info.st_size == 0:
        raise UnreadableDocument("is empty")
    return info.st_size


def read_bytes(path: Path) -> bytes:
    """The whole file, after check_file."""
    check_file(path)
    try:
        return path.read_bytes()
    except OSError as error:
        raise UnreadableDocument(f"cannot be read ({one_line(error.strerror or str(error))})") from None


def check_zip_package(path: Path, kind: str) -> None:
    """A ZIP package (DOCX) whose directory promises a sane unpacked size, before any part is read.

    Python's zipfile never unpacks more of a part than the directory says (it cuts the data at
    the declared size and the checksum then fails), so checking the directory bounds the memory
    a lying package can take too.
    """
    try:
        with zipfile.ZipFile(path) as package:
            parts = package.infolist()
    except zipfile.BadZipFile:
        raise UnreadableDocument(f"is not a {kind} file: it is damaged or not a ZIP package") from None
    except (OSError, ValueError, EOFError) as error:
        raise UnreadableDocument(f"is not a {kind} file: it is damaged ({one_line(str(error))})") from None
    if len(parts) > MAX_PACKAGE_PARTS:
        raise UnreadableDocument(
            f"holds {len(parts):,} parts where a {kind} file holds a few dozen (a zip bomb?)"
        )
    total = 0
    for part in parts:
        total += part.file_size
        ratio = part.file_size // max(part.compress_size, 1)
        if part.file_size >= RATIO_CHECKED_FROM_BYTES and ratio >= MAX_PACKING_RATIO:
            raise UnreadableDocument(
                f"part '{one_line(part.filename)}' would unpack to {ratio:,} times its packed size;"
                " refusing a likely zip bomb"
            )
    if total > MAX_UNPACKED_BYTES:
        raise UnreadableDocument(
            f"would unpack to {_megabytes(total)}; sopkb unpacks at most {_megabytes(MAX_UNPACKED_BYTES)}"
            " (a zip bomb?)"
        )
    _refuse_document_types(path, parts, kind)


def _refuse_document_types(path: Path, parts: list[zipfile.ZipInfo], kind: str) -> None:
    """Word never writes a `<!DOCTYPE>`; one in a package is there to define entities (billion
    laughs, external files), which the XML parser leaves out silently — text would be lost without
    a word. A document type must come before the root element, so each XML part's start is enough."""
    with zipfile.ZipFile(path) as package:
        for part in parts:
            if not part.filename.lower().endswith((".xml", ".rels")):
                continue
            try:
                declared = _declares_type(package, part)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
                damage = one_line(str(error))
                raise UnreadableDocument(f"is not a {kind} file: it is damaged ({damage})") from None
            if declared:
                raise UnreadableDocument(
                    f"part '{one_line(part.filename)}' declares a document type (<!DOCTYPE>), which"
                    " Word never writes; refusing XML that defines its own entities"
                )


def _declares_type(package: zipfile.ZipFile, part: zipfile.ZipInfo) -> bool:
    """Read in chunks (the directory has bounded the total): a declaration may hide behind any
    amount of comment; NUL bytes are dropped so UTF-16 cannot hide one either."""
    tail = b""
    with package.open(part) as stream:
        while chunk := stream.read(1024 * 1024):
            text = tail + chunk.replace(b"\x00", b"").lower()
            if b"<!doctype" in text or b"<!entity" in text:
                return True
            tail = text[-16:]
    return False


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size < 10 * 1024 * 1024 else f"{size // (1024 * 1024)} MB"
