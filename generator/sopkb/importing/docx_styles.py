"""A Word document's paragraph styles (styles.xml): which paragraphs are headings and at what
level, which are numbered through their style, and which belong to a table of contents.

A paragraph's style is based on another (basedOn), and what a style leaves unsaid its base says,
so every question here follows the chain, nearest first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .docx_xml import W, to_int, val


@dataclass(frozen=True)
class Style:
    name: str
    based_on: str | None
    num_id: str | None
    ilvl: int | None
    outline: int | None  # 0-based outline level, 9 = body text


class Styles:
    """Paragraph styles by id, and what a style chain (basedOn) says about a paragraph."""

    def __init__(self, element):
        self.by_id: dict[str, Style] = {}
        self.default: str | None = None
        for style in element.iter(f"{W}style") if element is not None else ():
            if style.get(f"{W}type") not in (None, "paragraph", "numbering"):  # numbering: numStyleLink's
                continue
            style_id = style.get(f"{W}styleId")
            if style_id is None:
                continue
            ppr = style.find(f"{W}pPr")
            self.by_id[style_id] = Style(
                name=(val(style, f"{W}name") or style_id).strip().lower(),
                based_on=val(style, f"{W}basedOn"),
                num_id=val(ppr, f"{W}numPr/{W}numId"),
                ilvl=to_int(val(ppr, f"{W}numPr/{W}ilvl")),
                outline=to_int(val(ppr, f"{W}outlineLvl")),
            )
            if style.get(f"{W}default") in ("1", "true", "on"):
                self.default = style_id

    def chain(self, style_id: str | None) -> list[Style]:
        """The style and those it is based on, nearest first (a loop ends the chain)."""
        found: list[Style] = []
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
