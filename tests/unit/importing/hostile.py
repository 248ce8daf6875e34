"""Documents no one should have to import, made on the spot: a 10,000-page PDF, scans without a
text layer, a zip bomb dressed as a DOCX, a DOCX whose ZIP directory lies, damaged files, HTML
nested 100,000 deep. Plus the LibreOffice call that turns the seed DOCX files into PDFs.

The PDFs here are written by `write_pdf`, a few lines of PDF syntax (objects, a page tree, an
xref table): enough for what these tests need, which is a file pdfminer parses as it would any
other, cheap to make at any page count.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

# ---------------------------------------------------------------- PDF


def write_pdf(
    path: Path,
    pages: list[bytes],
    *,
    images: list[bool] | None = None,
    declared: int | None = None,
    rotate: int = 0,
    compress: bool = False,
) -> Path:
    """A PDF whose page i draws content stream pages[i] (Helvetica as /F1); images[i] puts a
    full-page 8×8 grey image on that page, as a scanner does. Identical streams are written once,
    so 10,000 pages cost one stream and 10,000 small page objects. `declared` overrides /Count;
    `rotate` turns every page (/Rotate); `compress` packs the content streams with Flate."""
    images = images or [False] * len(pages)
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    tree = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    bold = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
    # /F3: a composite font with no ToUnicode map, as some PDF producers write them: the glyphs
    # draw, but no text can be taken from them (pdfminer gives "(cid:65)").
    glyphs = add(b"")
    descendant = add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Subset+Glyphs /DW 600"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>"
    )
    objects[glyphs - 1] = (
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Subset+Glyphs /Encoding /Identity-H"
        b" /DescendantFonts [%d 0 R] >>" % descendant
    )
    pixels = bytes(range(0, 256, 4))
    image = add(
        b"<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray"
        b" /BitsPerComponent 8 /Length %d >>\nstream\n" % len(pixels) + pixels + b"\nendstream"
    )
    draw_image = b"q 612 0 0 792 0 0 cm /Im1 Do Q\n"
    streams: dict[bytes, int] = {}
    kids: list[int] = []
    for content, has_image in zip(pages, images, strict=True):
        content = (draw_image if has_image else b"") + content
        if content not in streams:
            packed, flate = (zlib.compress(content, 9), b" /Filter /FlateDecode") if compress else (content, b"")
            streams[content] = add(b"<< /Length %d%s >>\nstream\n" % (len(packed), flate) + packed + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Rotate %d /Contents %d 0 R"
                b" /Resources << /Font << /F1 %d 0 R /F2 %d 0 R /F3 %d 0 R >> /XObject << /Im1 %d 0 R >> >> >>"
                % (tree, rotate, streams[content], font, bold, glyphs, image)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    objects[tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids) if declared is None else declared,
    )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(
        b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    )
    path.write_bytes(out.getvalue())
    return path


def text_page(*lines: str, size: int = 11) -> bytes:
    """A content stream writing `lines` down the page in Helvetica."""
    return placed([(72, 720 - i * (size + 4), line, size, False) for i, line in enumerate(lines)])


def placed(lines: list[tuple[float, float, str, float, bool]], extra: bytes = b"") -> bytes:
    """A content stream writing each (x, baseline y from the bottom, text, size, bold) line,
    plus `extra` drawing operators (ruling lines)."""
    ops = []
    for x, y, text, size, bold in lines:
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(
            b"BT /F%d %g Tf %g %g Td (%s) Tj ET" % (2 if bold else 1, size, x, y, escaped.encode("cp1252"))
        )
    return b"\n".join(ops) + b"\n" + extra


def ruled_table(
    rows: list[list[str | list[str]]], *, top: float, widths: list[float], x: float = 72, size: float = 10
) -> bytes:
    """A table as Word's PDF export draws one: a ruled box per cell, its lines of text inside.
    A cell is a string or a list of lines; every row is as tall as its tallest cell."""
    ops: list[bytes] = []
    lines: list[tuple[float, float, str, float, bool]] = []
    y = top
    for row in rows:
        cells = [cell if isinstance(cell, list) else [cell] for cell in row]
        height = max(len(c) for c in cells) * (size + 3) + 6
        left = x
        for cell, width in zip(cells, widths, strict=True):
            ops.append(b"%g %g %g %g re S" % (left, y - height, width, height))
            for i, line in enumerate(cell):
                if line:
                    lines.append((left + 4, y - 4 - size - i * (size + 3), line, size, False))
            left += width
        y -= height
    return placed(lines, b"0.5 w\n" + b"\n".join(ops) + b"\n")


def thousands_of_pages(path: Path, count: int = 10_000, *, declared: int | None = None) -> Path:
    return write_pdf(path, [text_page("Page of a very long manual.")] * count, declared=declared)


def scanned(path: Path, pages: int = 2) -> Path:
    """What a scanner makes: each page one image, no text."""
    return write_pdf(path, [b""] * pages, images=[True] * pages)


def partly_scanned(path: Path) -> Path:
    """Page 1 typed, page 2 a scan: the scan's text would be lost without a word."""
    return write_pdf(path, [text_page("1. Greet the customer."), b""], images=[False, True])


# ---------------------------------------------------------------- DOCX


def small_docx(path: Path, *paragraphs: str) -> Path:
    import docx

    document = docx.Document()
    for text in paragraphs or ("Greet the customer.",):
        document.add_paragraph(text)
    document.save(path)
    return path


def zip_bomb_docx(path: Path, unpacked_mb: int = 50) -> Path:
    """A real DOCX with one more part: `unpacked_mb` MB of zeros, which pack a thousand times."""
    small_docx(path)
    chunk = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as package,
        package.open("word/media/image1.png", "w") as part,
    ):
        for _ in range(unpacked_mb):
            part.write(chunk)
    return path


def lying_docx(path: Path) -> Path:
    """A DOCX whose ZIP directory says word/document.xml unpacks to 1,000 bytes while it unpacks
    to 5 MB: what a size check on the directory alone would let through."""
    source = small_docx(path.with_suffix(".src.docx"))
    with zipfile.ZipFile(source) as original:
        parts = {info.filename: original.read(info) for info in original.infolist()}
    parts["word/document.xml"] += b" " * (5 * 1024 * 1024)  # whitespace after the root: valid XML
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    data = bytearray(path.read_bytes())
    name = b"word/document.xml"
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local header, directory
        start = 0
        while (start := data.find(signature, start)) >= 0:
            name_length = struct.unpack_from("<H", data, start + (26 if signature == b"PK\x03\x04" else 28))[
                0
            ]
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + name_length] == name:
                struct.pack_into("<I", data, start + size_at, 1000)
            start += 4
    path.write_bytes(bytes(data))
    source.unlink()
    return path


def docx_with_document_xml(path: Path, xml: bytes, compression: int = zipfile.ZIP_DEFLATED) -> Path:
    """A real DOCX package whose main part is replaced by `xml`."""
    source = small_docx(path.with_suffix(".src.docx"))
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w", compression) as package:
        for info in original.infolist():
            package.writestr(
                info.filename, xml if info.filename == "word/document.xml" else original.read(info)
            )
    source.unlink()
    return path


# ---------------------------------------------------------------- LibreOffice

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(sources: list[Path], out: Path, profile: Path, export: str = "") -> list[Path]:
    """LibreOffice's own PDF export of each source (one soffice run for them all). `export` is
    writer_pdf_Export's options as JSON (a password, restricted permissions)."""
    if SOFFICE is None:
        raise RuntimeError(
            "LibreOffice (soffice) is not installed; the PDF reader's tests convert the seed DOCX"
            " files with it. Install Debian's libreoffice-writer-nogui (scripts/test.sh does)."
        )
    target = "pdf" + (f":writer_pdf_Export:{export}" if export else "")
    env = {**os.environ, "HOME": str(profile)}
    subprocess.run(
        [
            SOFFICE, "--headless", "--norestore", "--nologo", f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to", target, "--outdir", str(out), *map(str, sources),
        ],
        check=True, capture_output=True, timeout=300, env=env,
    )  # fmt: skip
    made = [out / (source.stem + ".pdf") for source in sources]
    missing = [p.name for p in made if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice made no PDF for {missing}")
    return made
