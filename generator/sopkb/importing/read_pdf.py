"""PDF → blocks, with pdfplumber: the text of each page as paragraphs, list items and headings,
and its ruled tables as tables. What is drawn on each page (characters, lines, images) is read
with pdfium (importing/pdf_objects.py) in the shapes pdfplumber gives it, about five times
faster than pdfminer; pdfplumber's table finder and line grouping then work on it unchanged.

A PDF keeps where each character is drawn and in which font, not what the author meant, so the
structure here is inferred, and only from evidence on the page:

- a **table** is what pdfplumber's table finder finds from the ruling lines; its text is taken
  out of the page's text, so it is not read twice. A table that runs on over a page break is one
  table (its repeated header row dropped), and a row the break cut in two is joined again when
  its first part plainly stops mid-sentence.
- a **list item** starts with a marker typed or drawn on the line ("1.", "3.1", "a)", "•", "∙",
  Word's Symbol bullet); its nesting level is the rank of the marker's indentation among all the
  markers of the document.
- a **heading** is a line in a font clearly bigger than the body text (15% or more), or a short
  line set wholly in bold that is not a list item; levels go by size, biggest first.
- a **paragraph** ends where the next line starts a list item or a heading, is indented
  differently, is far below, or would have fitted on the line before (so that line ended early).
- lines repeated at the top or bottom of most pages (running headers, "Page 3 of 9") are left out.

This module opens the file and walks its page tree within the limits (importing/limits.py,
pdf_streams.py); each page is read by pdf_page.py (its lines: pdf_lines.py, its tables:
pdf_tables.py) and the pages are put together into blocks by pdf_document.py.
"""

from __future__ import annotations

import io
from pathlib import Path

from ..core.console import one_line
from . import limits
from .blocks import Block, UnreadableDocument
from .pdf_document import Assembler as _Assembler  # (private here: the tests assemble pages with it)
from .pdf_objects import pdfium_objects, pdfplumber_objects
from .pdf_page import Page
from .pdf_page import read_page as _read_page
from .pdf_streams import check_unpacked


def read_pdf(path: Path, display: str) -> list[Block]:
    """The blocks of a PDF, in reading order."""
    data = limits.read_bytes(path)
    if b"%PDF-" not in data[:1024]:
        raise UnreadableDocument("is not a PDF file (it does not start as one)")
    import pdfplumber  # imported here so the other formats never load it

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as error:  # pdfplumber wraps every pdfminer failure in PdfminerException
        raise UnreadableDocument(_open_failure(error)) from None
    # Not `with pdf:` — pdfplumber's close() builds every page object first (to close it), which
    # for a 10,000-page file is the very work the page limit is there to refuse. The file is in
    # memory (BytesIO), so there is nothing to close until the pages exist.
    try:
        check_unpacked(_walked_pages(pdf))
        read = _read_pages(data, pdf)
    except UnreadableDocument:
        raise
    except Exception as error:  # a broken content stream, font or object deep in the file
        raise UnreadableDocument(f"is damaged ({_describe(error)})") from None
    finally:
        if getattr(pdf, "_pages", None) is not None:
            pdf.close()
    return _Assembler(display, read).blocks()


def _read_pages(data: bytes, pdf) -> list[Page]:
    """Each page read from the objects pdfium finds on it; a page pdfium's reader does not model,
    or every page when pdfium does not see the pages pdfminer walked (it trusts a /Count that
    lies), from pdfminer's (pdfplumber's page)."""
    import pypdfium2

    pages = pdf.pages  # pdfminer's view of each page's boxes, rotation and place in the document
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        return [_read_page(pdfplumber_objects(page)) for page in pages]
    with document:
        same = len(document) == len(pages)
        return [
            _read_page((same and pdfium_objects(document, index, page)) or pdfplumber_objects(page))
            for index, page in enumerate(pages)
        ]


def _open_failure(error: Exception) -> str:
    cause = error.args[0] if error.args and isinstance(error.args[0], BaseException) else error
    name = type(cause).__name__
    if name == "PDFPasswordIncorrect":
        return "is encrypted; remove the password and import again"
    if name in ("PDFEncryptionError", "PDFEncryptionWarning"):
        return "is encrypted in a way sopkb cannot open; remove the password and import again"
    return f"is not a readable PDF: it is damaged ({_describe(cause)})"


def _describe(error: BaseException) -> str:
    text = one_line(str(error))[:200]
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _walked_pages(pdf) -> list:
    """The pages (pdfminer's), at most MAX_PDF_PAGES, counted in the page tree (stopping past the
    limit): the /Count the file declares may lie, and is only used to say how many pages it claims."""
    from itertools import islice

    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import resolve1

    try:
        pages = list(islice(PDFPage.create_pages(pdf.doc), limits.MAX_PDF_PAGES + 1))
        walked = len(pages)
    except RecursionError:
        raise UnreadableDocument(
            "is not a readable PDF: its page tree nests deeper than any real document's"
        ) from None
    except Exception as error:
        raise UnreadableDocument(
            f"is not a readable PDF: its page tree is damaged ({_describe(error)})"
        ) from None
    if walked <= limits.MAX_PDF_PAGES:
        return pages
    try:
        declared = resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count"))
    except Exception:
        declared = None
    pages = (
        f"{declared:,}" if isinstance(declared, int) and declared > walked else f"more than {walked - 1:,}"
    )
    raise UnreadableDocument(
        f"has {pages} pages; sopkb imports PDFs of up to {limits.MAX_PDF_PAGES} pages"
        " (split it, or import the procedure's own pages)"
    )
