"""The numbers Word shows before list paragraphs ("1.", "b)", "3.1", "IV."), computed from
numbering.xml as Word computes them while it lays the page out: they are not in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .docx_styles import Styles
from .docx_xml import W, to_int, val


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

    def __init__(self, element, styles: Styles):
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
            link = val(abstract, f"{W}numStyleLink")
            if link:
                self.style_links[abstract_id] = link
        for num in element.iter(f"{W}num"):
            num_id = num.get(f"{W}numId")
            abstract_id = val(num, f"{W}abstractNumId")
            if num_id is None or abstract_id is None:
                continue
            entry = _Num(abstract_id)
            for override in num.findall(f"{W}lvlOverride"):
                ilvl = to_int(override.get(f"{W}ilvl"))
                if ilvl is None:
                    continue
                start = to_int(val(override, f"{W}startOverride"))
                if start is not None:
                    entry.start_overrides[ilvl] = start
                level = override.find(f"{W}lvl")
                if level is not None:
                    entry.levels[ilvl] = self._level(level)[1]
            self.nums[num_id] = entry

    @staticmethod
    def _level(element) -> tuple[int | None, _Level]:
        legal = element.find(f"{W}isLgl")
        return to_int(element.get(f"{W}ilvl")), _Level(
            start=to_int(val(element, f"{W}start"), 1),
            fmt=val(element, f"{W}numFmt") or "decimal",
            text=val(element, f"{W}lvlText") if element.find(f"{W}lvlText") is not None else "",
            restart=to_int(val(element, f"{W}lvlRestart")),
            legal=legal is not None and legal.get(f"{W}val", "1") not in ("0", "false", "off"),
            style=val(element, f"{W}pStyle"),
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
