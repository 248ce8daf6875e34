"""Plain text (`.txt`) to blocks: text as it comes out of Word's "Save as text" or a PDF's copy.

Plain text has no markup, so the structure is read from how lines begin and end: a bullet
character or a number starts an item (`1.`, `2)`, `Step 3:`, `1.1`, `a.`), a Roman numeral or a
line in capitals is a heading, a line that starts in lower case continues the line before (a
wrapped sentence), and lines with `|` are table rows. The first line is the title when it reads
like one. Bullets a PDF put at the end of a line (`… package. ∙`) start the next line's item.
"""

from __future__ import annotations

import re
from pathlib import Path

from .blocks import Block, UnreadableDocument, Where

MAX_TEXT_BYTES = 5_000_000
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_TERMINAL_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, hyperlinks
    r"|\x1b[@-_]"
)
"""A terminal's colour or cursor code ("ESC[31m") pasted from a console log: all of it goes, not
only the ESC, which would leave "[31m" in the text."""
BULLETS = "•∙·▪◦●○■□➢►‣⁃*+\\-–"
_BULLET = re.compile(rf"^(\s*)[{BULLETS}]\s+(.*)$")
_BARE_MARKER = re.compile(rf"^\s*(?:[{BULLETS}]|\d+(?:\.\d+)*[.)]?|[a-z][.)])\s*$")
_TRAILING_BULLET = re.compile(r"\s[•∙▪◦●]\s*$")
_INLINE_BULLET = re.compile(r"\s[•∙▪◦●]\s+")
NUMBER = re.compile(
    r"^(\s*)(?P<n>(?:step|stage)\s+\d+[a-z]?\s*[.:)\-–]?|\d+(?:\.\d+)+\.?|\d+[.)]|\(\d+\)|[a-z][.)]|\([a-z]\))"
    r"\s+(?P<text>\S.*)$",
    re.IGNORECASE,
)
_ROMAN = re.compile(r"^\s*(?P<n>[IVX]{1,6})[.)]\s+(?P<text>\S.*)$")
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_UNDERLINE = re.compile(r"^\s*(?:={3,}|-{3,})\s*$")
_SENTENCE_END = re.compile(r"[.!?:;…\"”’)]\s*$")


def read_text(path: Path, display: str) -> list[Block]:
    return text_blocks(decode(_read(path), display), display)


def _read(path: Path) -> bytes:
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_TEXT_BYTES + 1)
    except OSError as exc:
        raise UnreadableDocument(f"cannot read the file: {exc.strerror or exc}") from None
    if len(raw) > MAX_TEXT_BYTES:
        raise UnreadableDocument(f"the file is larger than {MAX_TEXT_BYTES:,} bytes")
    return raw


def decode(raw: bytes, display: str) -> str:
    """UTF-8 (a byte-order mark is dropped); anything else is an error located at its line and column."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8-sig", errors="replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        raise UnreadableDocument(
            f"line {line}, column {column}: the file is not UTF-8 text (byte {exc.start}); "
            "save it as UTF-8 and import it again"
        ) from None


def clean_line(line: str) -> str:
    line = _TERMINAL_SEQUENCE.sub("", line)
    return _CONTROL.sub("", line.replace("\t", "    ").replace("\u00a0", " ")).rstrip()


def text_blocks(text: str, display: str) -> list[Block]:
    lines = _prepared(text)
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        number, line = lines[i]
        if not line.strip() or _UNDERLINE.match(line):
            i += 1
            continue
        if "|" in line and _is_table_start(lines, i):
            i = _table(lines, i, display, blocks)
            continue
        where = Where(display, line=number)
        following = lines[i + 1][1] if i + 1 < len(lines) else ""
        block = _block(line, where, first=not blocks, underlined=bool(_UNDERLINE.match(following)))
        if blocks and _continues(blocks[-1], line):
            blocks[-1] = _joined(blocks[-1], line.strip())
        else:
            blocks.append(block)
        i += 1
    return blocks


def _prepared(text: str) -> list[tuple[int, str]]:
    """Numbered lines, with bullets a PDF left at a line's end moved to the next line's start,
    bullets in mid-line split into lines, and a marker alone on its line joined to the next."""
    out: list[tuple[int, str]] = []
    carry = ""
    number = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = clean_line(raw)
        if carry and line.strip():
            line, carry = f"{carry} {line.strip()}", ""
        if _TRAILING_BULLET.search(line):
            line, carry = _TRAILING_BULLET.sub("", line), "∙"
        if _BARE_MARKER.match(line) and line.strip():
            carry = line.strip()
            continue
        first, *rest = _INLINE_BULLET.split(line)
        out.append((number, first))
        out.extend((number, f"∙ {part.strip()}") for part in rest)
    if carry:
        out.append((number, carry))
    return out


def _block(line: str, where: Where, *, first: bool, underlined: bool) -> Block:
    stripped = line.strip()
    bullet = _BULLET.match(line)
    if bullet and not (stripped.startswith("-") and stripped[1:2] == "-"):
        return Block("item", bullet.group(2).strip(), where, level=_indent_level(bullet.group(1)))
    roman = _ROMAN.match(line)
    if roman and _short(roman.group("text")):
        return Block("heading", roman.group("text").strip(), where, level=2, number=roman.group("n") + ".")
    numbered = NUMBER.match(line)
    if numbered:
        marker = re.sub(r"\s+", " ", numbered.group("n").strip())
        level = _number_level(marker, numbered.group(1))
        return Block("item", numbered.group("text").strip(), where, level=level, number=marker)
    if underlined and _short(stripped):
        return Block("heading", stripped, where, level=1 if first else 2)
    if first and _short(stripped, words=30) and not re.match(r"^[A-Z][\w /&-]{0,40}:\s+\S", stripped):
        return Block("heading", stripped, where, level=1)
    if stripped.isupper() and _short(stripped) and any(c.isalpha() for c in stripped):
        return Block("heading", stripped, where, level=2)
    return Block("paragraph", stripped, where)


def _short(text: str, words: int = 12) -> bool:
    return len(text.split()) <= words and not text.rstrip().endswith((".", ";", ","))


def _indent_level(indent: str) -> int:
    return min(len(indent) // 2, 6)


def _number_level(marker: str, indent: str) -> int:
    if re.match(r"^\d+(?:\.\d+)+", marker):
        return min(marker.rstrip(".").count("."), 6)
    if re.match(r"^\(?[a-z][.)]", marker):
        return max(1, _indent_level(indent))
    return _indent_level(indent)


def _continues(previous: Block, line: str) -> bool:
    """A wrapped line: it starts in lower case (or with a digit after an unfinished line) and
    carries no marker, and the line before did not end a sentence."""
    stripped = line.strip()
    if previous.kind not in ("paragraph", "item", "heading") or _BULLET.match(line) or NUMBER.match(line):
        return False
    if previous.kind == "heading" and previous.level != 1:
        return False
    unfinished = not _SENTENCE_END.search(previous.text)
    return bool(stripped[:1].islower() and (unfinished or previous.kind != "heading"))


def _joined(block: Block, more: str) -> Block:
    return Block(block.kind, f"{block.text} {more}", block.where, block.level, block.number, block.rows)


def _is_table_start(lines: list[tuple[int, str]], i: int) -> bool:
    following = lines[i + 1][1] if i + 1 < len(lines) else ""
    return bool(_SEPARATOR.match(following)) or lines[i][1].strip().startswith("|")


def _table(lines: list[tuple[int, str]], i: int, display: str, blocks: list[Block]) -> int:
    """Rows from `i` on while lines have `|`; a line without one between rows continues the
    last cell (a cell's second line, as extracted text gives it)."""
    where = Where(display, line=lines[i][0])
    rows: list[list[str]] = []
    while i < len(lines):
        line = lines[i][1]
        if _SEPARATOR.match(line):
            i += 1
            continue
        if "|" not in line:
            if not (rows and line.strip() and _continues_table(lines, i)):
                break
            rows[-1][-1] = f"{rows[-1][-1]} {line.strip()}".strip()
            i += 1
            continue
        cells = [c.strip() for c in line.strip().removeprefix("|").removesuffix("|").split("|")]
        if line.strip().startswith("|") and not line.strip().startswith("||"):
            cells = ["", *cells] if not rows or len(cells) < len(rows[0]) else cells
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            rows.append(cells)
        i += 1
    if rows:
        blocks.append(Block("table", "", where, rows=tuple(tuple(r) for r in rows)))
    return i


def _continues_table(lines: list[tuple[int, str]], i: int) -> bool:
    after = lines[i + 1][1] if i + 1 < len(lines) else ""
    after2 = lines[i + 2][1] if i + 2 < len(lines) else ""
    return "|" in after and not _SEPARATOR.match(after2)
