"""Word (DOCX) → blocks: headings from paragraph styles, list items numbered as Word shows them,
tables, all in the order of the document's body.

python-docx opens the package and finds its parts; the body, the styles and numbering.xml are
then read as XML, because the numbers Word shows ("1.", "b)", "3.1", "IV.") are not in the text:
Word computes them while it lays the page out, from each paragraph's list (numId) and level
(ilvl) and the list's definition in numbering.xml. `WordNumbering` repeats that computation.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..core.console import one_line
from . import limits
from .blocks import Block, UnreadableDocument, Where
from .markers import split_marker

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
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
        styles = _Styles(document.styles.element)
        numbering = _numbering_element(document)
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as error:
        raise UnreadableDocument(f"is not a {KIND} file: it is damaged ({one_line(str(error))})") from None
    except Exception as error:  # python-docx and lxml raise many kinds; none of them is a bug of ours
        raise UnreadableDocument(f"is not a readable {KIND} file: {_reason(error)}") from None
    return _BodyReader(display, styles, WordNumbering(numbering, styles)).read(body)


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


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _val(element, path: str) -> str | None:
    found = element.find(path) if element is not None else None
    return found.get(f"{W}val") if found is not None else None


# ---------------------------------------------------------------- styles


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str | None
    num_id: str | None
    ilvl: int | None
    outline: int | None  # 0-based outline level, 9 = body text


class _Styles:
    """Paragraph styles by id, and what a style chain (basedOn) says about a paragraph."""

    def __init__(self, element):
        self.by_id: dict[str, _Style] = {}
        self.default: str | None = None
        for style in element.iter(f"{W}style") if element is not None else ():
            if style.get(f"{W}type") not in (None, "paragraph", "numbering"):  # numbering: numStyleLink's
                continue
            style_id = style.get(f"{W}styleId")
            if style_id is None:
                continue
            ppr = style.find(f"{W}pPr")
            self.by_id[style_id] = _Style(
                name=(_val(style, f"{W}name") or style_id).strip().lower(),
                based_on=_val(style, f"{W}basedOn"),
                num_id=_val(ppr, f"{W}numPr/{W}numId"),
                ilvl=_int(_val(ppr, f"{W}numPr/{W}ilvl")),
                outline=_int(_val(ppr, f"{W}outlineLvl")),
            )
            if style.get(f"{W}default") in ("1", "true", "on"):
                self.default = style_id

    def chain(self, style_id: str | None) -> list[_Style]:
        """The style and those it is based on, nearest first (a loop ends the chain)."""
        found: list[_Style] = []
        seen: set[str] = set()
        current = style_id or self.default
        while current is not None and current not in seen and current in self.by_id and len(seen) < 50:
            seen.add(current)
            found.append(self.by_id[current])
            current = self.by_id[current].based_on
        return found

    def heading_level(self, style_id: str | None, own_outline: int | None) -> int | None:
        """1 for Title, n + 1 for Heading n (a section under the title, as `##` in Markdown); or
        the outline level the paragraph or its style gives, which is what Word's navigation pane
        goes by (outline level 1 is Heading 1's); None for body text."""
        if own_outline is not None:
            return own_outline + 2 if 0 <= own_outline < 9 else None
        for style in self.chain(style_id):
            if style.name == "title":
                return 1
            heading = re.fullmatch(r"heading\s*([1-9])", style.name)
            if heading:
                return int(heading.group(1)) + 1
            if style.outline is not None:
                return style.outline + 2 if 0 <= style.outline < 9 else None
        return None

    def numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        for style in self.chain(style_id):
            if style.num_id is not None:
                return style.num_id, style.ilvl
        return None, None

    def is_table_of_contents(self, style_id: str | None) -> bool:
        return any(s.name.startswith("toc ") or s.name == "toc heading" for s in self.chain(style_id)[:1])


# ---------------------------------------------------------------- numbering


@dataclass(frozen=True)
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    restart: int | None = None  # lvlRestart: restart after this 1-based level; 0 = never
    legal: bool = False  # isLgl: every number of the text shown as decimal ("3.1", not "III.1")
    style: str | None = None  # the paragraph style this level is linked to


@dataclass
class _Num:
    abstract: str
    start_overrides: dict[int, int] = field(default_factory=dict)
    levels: dict[int, _Level] = field(default_factory=dict)


class WordNumbering:
    """The number Word shows before each list paragraph.

    Word keeps one running count per abstract list definition (abstractNum), not per list
    instance (num): several numIds on one abstractNum continue each other, and a numId whose
    lvlOverride has a startOverride restarts the count at that level where it first appears
    ("Restart at 1" and "Set numbering value" in Word write exactly that). A level restarts when a
    level above it is used (or as its lvlRestart says). Each %n in the level's text is the count
    of level n in that level's format; isLgl shows them all as decimals.
    """

    def __init__(self, element, styles: _Styles):
        self.styles = styles
        self.abstracts: dict[str, dict[int, _Level]] = {}
        self.style_links: dict[str, str] = {}  # abstractNumId → style whose numbering it uses
        self.nums: dict[str, _Num] = {}
        self.counts: dict[str, dict[int, int]] = {}
        self.seen: set[tuple[str, int]] = set()
        if element is None:
            return
        for abstract in element.iter(f"{W}abstractNum"):
            abstract_id = abstract.get(f"{W}abstractNumId")
            if abstract_id is None:
                continue
            self.abstracts[abstract_id] = {
                ilvl: level
                for ilvl, level in map(self._level, abstract.findall(f"{W}lvl"))
                if ilvl is not None
            }
            link = _val(abstract, f"{W}numStyleLink")
            if link:
                self.style_links[abstract_id] = link
        for num in element.iter(f"{W}num"):
            num_id = num.get(f"{W}numId")
            abstract_id = _val(num, f"{W}abstractNumId")
            if num_id is None or abstract_id is None:
                continue
            entry = _Num(abstract_id)
            for override in num.findall(f"{W}lvlOverride"):
                ilvl = _int(override.get(f"{W}ilvl"))
                if ilvl is None:
                    continue
                start = _int(_val(override, f"{W}startOverride"))
                if start is not None:
                    entry.start_overrides[ilvl] = start
                level = override.find(f"{W}lvl")
                if level is not None:
                    entry.levels[ilvl] = self._level(level)[1]
            self.nums[num_id] = entry

    @staticmethod
    def _level(element) -> tuple[int | None, _Level]:
        legal = element.find(f"{W}isLgl")
        return _int(element.get(f"{W}ilvl")), _Level(
            start=_int(_val(element, f"{W}start"), 1),
            fmt=_val(element, f"{W}numFmt") or "decimal",
            text=_val(element, f"{W}lvlText") if element.find(f"{W}lvlText") is not None else "",
            restart=_int(_val(element, f"{W}lvlRestart")),
            legal=legal is not None and legal.get(f"{W}val", "1") not in ("0", "false", "off"),
            style=_val(element, f"{W}pStyle"),
        )

    def _definition(self, num_id: str) -> tuple[str, dict[int, _Level], _Num] | None:
        """The abstract list a numId counts on (following numStyleLink) and its levels."""
        num = self.nums.get(num_id)
        seen: set[str] = set()
        while num is not None and num.abstract in self.style_links and num.abstract not in seen:
            seen.add(num.abstract)
            linked_num, _ = self.styles.numbering(self.style_links[num.abstract])
            if linked_num is None or linked_num not in self.nums:
                break
            num = replace(self.nums[linked_num], start_overrides=num.start_overrides, levels=num.levels)
        if num is None or num.abstract not in self.abstracts:
            return None
        return num.abstract, {**self.abstracts[num.abstract], **num.levels}, self.nums[num_id]

    def level_for_style(self, num_id: str, style_id: str | None) -> int:
        """A style's numbering without an ilvl: the level linked to that style, else the first."""
        found = self._definition(num_id)
        if found is not None and style_id is not None:
            for ilvl, level in found[1].items():
                if level.style == style_id:
                    return ilvl
        return 0

    def next(self, num_id: str, ilvl: int) -> tuple[bool, str | None]:
        """(is a list paragraph, the number Word shows or None for a bullet), counting it."""
        found = self._definition(num_id)
        if found is None or ilvl not in found[1]:
            return False, None  # Word shows no number for a list it has no definition of
        abstract, levels, num = found
        counts = self.counts.setdefault(abstract, {})
        if (num_id, ilvl) not in self.seen:
            self.seen.add((num_id, ilvl))
            if ilvl in num.start_overrides:
                counts[ilvl] = num.start_overrides[ilvl] - 1
        counts[ilvl] = counts.get(ilvl, levels[ilvl].start - 1) + 1
        for deeper in [d for d in counts if d > ilvl]:
            restart = levels[deeper].restart if deeper in levels else None
            if restart is None:
                restart = deeper
            if restart and ilvl < restart:
                del counts[deeper]
        level = levels[ilvl]
        if level.fmt == "bullet":
            return True, None

        def shown(match: re.Match) -> str:
            at = int(match.group(1)) - 1
            defined = levels.get(at, _Level())
            value = counts.get(at, defined.start)
            return format_number(value, "decimal" if level.legal and defined.fmt != "none" else defined.fmt)

        marker = re.sub(r"%([1-9])", shown, level.text).strip()
        return True, marker or None


def format_number(value: int, fmt: str) -> str:
    """A count as Word writes it in a numbering format (unknown formats as decimals)."""
    if fmt == "none":
        return ""
    if fmt in ("lowerLetter", "upperLetter") and value > 0:
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)  # 27 → aa, as Word
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman") and 0 < value < 4000:
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "ordinal":
        suffix = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
        return f"{value}{suffix}"
    return str(value)


def _roman(value: int) -> str:
    numerals = [
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ]  # fmt: skip
    out = []
    for amount, numeral in numerals:
        count, value = divmod(value, amount)
        out.append(numeral * count)
    return "".join(out)


# ---------------------------------------------------------------- the body


_SPACES = re.compile(r"\s+")


def _collapse(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True)
class _Paragraph:
    kind: str  # heading | item | paragraph | skip
    text: str
    level: int = 0
    number: str | None = None


class _BodyReader:
    def __init__(self, display: str, styles: _Styles, numbering: WordNumbering):
        self.display = display
        self.styles = styles
        self.numbering = numbering
        self.cells = 0

    def read(self, body) -> list[Block]:
        blocks: list[Block] = []
        for index, element in enumerate(self._children(body), start=1):
            where = Where(self.display, paragraph=index)
            if element.tag == f"{W}p":
                paragraph = self._paragraph(element)
                if paragraph.kind != "skip" and paragraph.text:
                    blocks.append(
                        Block(paragraph.kind, paragraph.text, where, paragraph.level, paragraph.number)
                    )  # type: ignore[arg-type]
            elif element.tag == f"{W}tbl":
                rows = self._table(element, depth=1)
                if any(cell for row in rows for cell in row):
                    blocks.append(Block("table", "", where, rows=rows))
            elif element.tag == f"{W}altChunk":
                raise UnreadableDocument(
                    "embeds another document (altChunk) that only Word can unpack; open it in Word,"
                    " save it again and import that"
                )
        return blocks

    def _children(self, container):
        """Paragraphs and tables in order, through content controls and custom XML wrappers."""
        stack = [iter(container)]
        while stack:
            element = next(stack[-1], None)
            if element is None:
                stack.pop()
            elif element.tag in (f"{W}sdt",):
                content = element.find(f"{W}sdtContent")
                if content is not None and len(stack) < limits.MAX_NESTING:
                    stack.append(iter(content))
            elif element.tag in (f"{W}customXml", f"{W}sdtContent") and len(stack) < limits.MAX_NESTING:
                stack.append(iter(element))
            elif element.tag in (f"{W}p", f"{W}tbl", f"{W}altChunk"):
                yield element

    def _paragraph(self, p) -> _Paragraph:
        ppr = p.find(f"{W}pPr")
        style_id = _val(ppr, f"{W}pStyle")
        if self.styles.is_table_of_contents(style_id):
            return _Paragraph("skip", "")  # the headings again, with page numbers
        text = _collapse(_text_of(p))
        num_id = _val(ppr, f"{W}numPr/{W}numId")
        ilvl = _int(_val(ppr, f"{W}numPr/{W}ilvl"))
        style_num, style_ilvl = self.styles.numbering(style_id)
        if num_id is None:
            num_id = style_num
            if ilvl is None and style_num is not None:
                ilvl = (
                    style_ilvl
                    if style_ilvl is not None
                    else self.numbering.level_for_style(style_num, style_id)
                )
        is_list, number = False, None
        if num_id not in (None, "0"):
            # Counted even when empty: Word shows (and counts) a number on an empty list paragraph.
            is_list, number = self.numbering.next(num_id, ilvl or 0)
        heading = self.styles.heading_level(style_id, _int(_val(ppr, f"{W}outlineLvl")))
        if heading is not None:
            return _Paragraph("heading", f"{number} {text}" if number and text else text, heading)
        if is_list:
            return _Paragraph("item", text, ilvl or 0, number)
        typed = split_marker(text)
        if typed is not None and typed.text:
            return _Paragraph("item", typed.text, 0, typed.number)
        return _Paragraph("paragraph", text)

    def _table(self, tbl, depth: int) -> tuple[tuple[str, ...], ...]:
        if depth > limits.MAX_NESTING:
            raise UnreadableDocument(f"has tables nested more than {limits.MAX_NESTING} deep")
        rows: list[list[str]] = []
        for tr in _descend(tbl, f"{W}tr"):
            trpr = tr.find(f"{W}trPr")
            row = [""] * max(0, _int(_val(trpr, f"{W}gridBefore"), 0) or 0)
            for tc in _descend(tr, f"{W}tc"):
                tcpr = tc.find(f"{W}tcPr")
                merge = tcpr.find(f"{W}vMerge") if tcpr is not None else None
                continued = merge is not None and merge.get(f"{W}val", "continue") == "continue"
                # A cell merged with the one above shows that cell's text once, so it stays there;
                # the rows below keep an empty cell and the table keeps its columns.
                row.append("" if continued else self._cell(tc, depth))
                span = min(max(_int(_val(tcpr, f"{W}gridSpan"), 1) or 1, 1), 1000)
                row.extend([""] * (span - 1))
            row.extend([""] * max(0, _int(_val(trpr, f"{W}gridAfter"), 0) or 0))
            self.cells += len(row)
            if self.cells > limits.MAX_TABLE_CELLS:
                raise UnreadableDocument(f"has more than {limits.MAX_TABLE_CELLS:,} table cells")
            rows.append(row)
        width = max((len(row) for row in rows), default=0)
        return tuple(tuple(row + [""] * (width - len(row))) for row in rows)

    def _cell(self, tc, depth: int) -> str:
        """The cell's paragraphs one to a line, list numbers kept; a table inside, row by row."""
        lines: list[str] = []
        for element in self._children(tc):
            if element.tag == f"{W}p":
                paragraph = self._paragraph(element)
                if paragraph.text and paragraph.kind != "skip":
                    lines.append(
                        f"{paragraph.number} {paragraph.text}" if paragraph.number else paragraph.text
                    )
            elif element.tag == f"{W}tbl":
                for row in self._table(element, depth + 1):
                    line = " | ".join(cell.replace("\n", " ") for cell in row if cell)
                    if line:
                        lines.append(line)
        return "\n".join(lines)


def _descend(parent, tag: str):
    """Children with `tag`, looking through content controls and custom XML wrappers."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in (f"{W}sdt", f"{W}customXml"):
            content = child.find(f"{W}sdtContent") if child.tag == f"{W}sdt" else child
            if content is not None:
                yield from (c for c in content if c.tag == tag)


_TEXT_TAGS = {f"{W}t": None, f"{W}tab": " ", f"{W}br": " ", f"{W}cr": " ", f"{W}noBreakHyphen": "-"}


def _text_of(p) -> str:
    """The visible text of a paragraph: its runs, hyperlinks, insertions, fields' results and
    text boxes, without deleted text, field codes or the fallback copy of a drawing."""
    has_fallback = p.find(f".//{MC_FALLBACK}") is not None
    parts: list[str] = []
    for element in p.iter(*_TEXT_TAGS):
        if has_fallback and any(a.tag == MC_FALLBACK for a in element.iterancestors()):
            continue
        fixed = _TEXT_TAGS[element.tag]
        parts.append(element.text or "" if fixed is None else fixed)
    return "".join(parts)
