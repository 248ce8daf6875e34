"""Word (DOCX) → blocks: headings from paragraph styles, list items numbered as Word shows them,
tables, all in the order of the document's body.

python-docx opens the package and finds its parts; the body, the styles and numbering.xml are
then read as XML, because the numbers Word shows ("1.", "b)", "3.1", "IV.") are not in the text:
Word computes them while it lays the page out, from each paragraph's list (numId) and level
(ilvl) and the list's definition in numbering.xml. `WordNumbering` repeats that computation.

This module opens the package (refusing what is no DOCX, or too big unpacked); the styles are
read by docx_styles.py, the numbering by docx_numbering.py, the body and its tables by
docx_body.py.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..core.console import one_line
from . import limits
from .blocks import Block, UnreadableDocument
from .docx_body import BodyReader
from .docx_numbering import WordNumbering, format_number
from .docx_styles import Styles

__all__ = ["format_number", "read_docx"]  # format_number: the tests check Word's formats through here

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 (.doc) and encrypted DOCX alike
KIND = "Word (DOCX)"


def read_docx(path: Path, display: str) -> list[Block]:
    """The blocks of a Word document, in reading order."""
    limits.check_file(path)
    with path.open("rb") as file:
        head = file.read(8)
    if head == OLE_MAGIC:
        # Word saves a password-protected DOCX in the same OLE container as an old .doc.
        raise UnreadableDocument(
            "is an old-format (.doc) or password-protected Word file; remove any password,"
            " save it as .docx and import again"
        )
    limits.check_zip_package(path, KIND)
    try:
        import docx  # python-docx: imported here so the other formats never load it

        document = docx.Document(str(path))
        body = document.element.body
        styles = Styles(document.styles.element)
        numbering = _numbering_element(document)
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as error:
        raise UnreadableDocument(f"is not a {KIND} file: it is damaged ({one_line(str(error))})") from None
    except Exception as error:  # python-docx and lxml raise many kinds; none of them is a bug of ours
        raise UnreadableDocument(f"is not a readable {KIND} file: {_reason(error)}") from None
    return BodyReader(display, styles, WordNumbering(numbering, styles)).read(body)


def _numbering_element(document):
    try:
        part = document.part.part_related_by(
            "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
        )
    except KeyError:
        return None  # no lists at all
    return part.element


def _reason(error: Exception) -> str:
    name = type(error).__name__
    if name == "PackageNotFoundError":
        return "it is damaged or not a Word document"
    if "content type" in str(error).lower():
        return "it is another kind of Office file"
    if name == "XMLSyntaxError":
        return f"its XML is damaged ({one_line(str(error))[:200]})"
    if isinstance(error, KeyError):  # str() of a KeyError quotes its message
        missing = one_line(str(error)).strip("\"'")
        return f"it is damaged or not a Word document ({missing[:200]})"
    return f"it is damaged ({name}: {one_line(str(error))[:200]})"
