"""A document's blocks grouped into the parts an SOP has: title, the named sections (Purpose,
Scope, Background, Responsibilities, Procedure, Documentation, Conclusion), metadata lines, and
the procedure body; and a handbook of several headed procedures split into one outline each.

A section is named by a heading ("II. Scope", "## Procedure") or by a label paragraph
("Objective: This SOP …", "Responsibilities - Customer Service Representative (CSR):").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .blocks import Block
from .phrases import callout

SECTION_NAMES = {
    "objective": "purpose objective objectives aim aims goal goals intent policy",
    "scope": "scope applicability applies",
    "background": "background overview introduction context",
    "responsibilities": "responsibilities responsibility roles",
    "procedure": "procedure procedures steps process instructions method",
    "documentation": "documentation records record-keeping dispositions disposition",
    "conclusion": "conclusion closing",
    "summary": "summary",
    "references": "references related",
    "approval": "approval approvals sign-off",
    "script": "sample example script scripts dialogue transcript",
}
_BY_WORD = {word: name for name, words in SECTION_NAMES.items() for word in words.split()}
METADATA = {
    "owner": "owner|document owner|process owner|owned by|author",
    "version": "version|revision|document version",
    "effective": "effective|effective date|date effective|issued|issue date",
    "review_by": "review by|review date|next review|next review date|review due",
}
_LABEL = re.compile(
    r"^(?P<label>[A-Za-z][A-Za-z /&'-]{1,40}?)(?:\s+[-–]\s*(?P<extra>[^:]{1,80}?))?\s*:\s*(?P<rest>.*)$"
)
_NUMBERED_HEADING = re.compile(r"^(?:[IVX]+|\d+(?:\.\d+)*|[A-Z])[.)]?\s+")
_TYPED_HEADING_NUMBER = re.compile(r"^(?P<number>(?:[IVX]+|[A-Z])[.)]|\d+(?:\.\d+)+\.?|\d+[.)])\s+(?=\S)")
"""A number typed at the start of a heading ("III. Scope", "3.1 Reception", "2) Refunds"); a bare
year or count ("2024 holiday returns", "A customer calls") is the heading's text."""


@dataclass
class Part:
    name: str  # a SECTION_NAMES key, "metadata", "body" (procedure text under no name) or "other"
    title: str
    blocks: list[Block] = field(default_factory=list)
    heading: Block | None = None
    extra: str | None = None  # "Responsibilities - <role>:"; the metadata key
    rest: str | None = None  # text after the label on the label's own line
    after_title: bool = False  # the text right under the document's title


@dataclass
class Outline:
    title: str | None
    title_block: Block | None
    parts: list[Part]

    def named(self, name: str) -> list[Part]:
        return [p for p in self.parts if p.name == name]


def section_name(text: str) -> str | None:
    words = re.sub(r"[^a-z /&-]", "", _NUMBERED_HEADING.sub("", text).lower()).replace("&", " and ").split()
    words = [w for w in words if w not in ("and", "the", "of", "this", "sop", "a")]
    if not words or len(words) > 3:
        return None
    names = {_BY_WORD.get(w) for w in words}
    names.discard(None)
    return names.pop() if len(names) == 1 and words[0] in _BY_WORD else None


def label_of(block: Block) -> tuple[str, str | None, str] | None:
    """(section or metadata key, extra, rest) of a label paragraph, else None."""
    if block.kind != "paragraph":
        return None
    if len(block.text.split()) <= 4 and not block.text.rstrip().endswith((".", "?", "!")):
        bare = section_name(block.text.rstrip(": "))
        if bare is not None:
            return bare, None, ""
    match = _LABEL.match(block.text)
    if match is None:
        return None
    label = match.group("label").strip().lower()
    for key, names in METADATA.items():
        if re.fullmatch(names, label):
            return "metadata", key, match.group("rest").strip()
    name = section_name(label)
    if name is None:
        return None
    return name, match.group("extra"), match.group("rest").strip()


def outline(blocks: list[Block]) -> Outline:
    """`blocks` with their headings' typed numbers split off (`numbered_headings`)."""
    title_block = next((b for b in blocks[:3] if b.kind == "heading" and b.level == 1), None)
    parts: list[Part] = [Part("body", "")]
    for block in blocks:
        if block is title_block:
            parts.append(Part("body", "", after_title=True))  # the title may head a procedure
            continue
        current = parts[-1]
        if block.kind == "heading":
            name = section_name(block.text) or "other"
            parts.append(Part(name, block.text, heading=block))
            continue
        label = label_of(block)
        if label is not None:
            name, extra, rest = label
            parts.append(Part(name, block.text, heading=block, extra=extra, rest=rest or None))
            continue
        if current.name in ("objective", "scope", "background", "conclusion", "summary", "metadata") and (
            block.kind == "table"
            or block.number is not None
            or current.name == "metadata"
            or callout(block.text) is not None  # "Warning: …" is a callout, not more scope
        ):
            parts.append(Part("body", ""))  # a text section ends where numbered steps or a table begin
        parts[-1].blocks.append(block)
    parts = [p for p in parts if p.blocks or p.heading is not None or p.after_title]
    title = title_block.text if title_block else None
    return Outline(title, title_block, parts)


def numbered_headings(blocks: list[Block]) -> list[Block]:
    return [_numbered(b) if b.kind == "heading" else b for b in blocks]


def _numbered(heading: Block) -> Block:
    """A heading's typed number as its number, as the text reader and Word's numbering give it,
    so "3.1 Reception" from a Word file or a web page drafts as it does from text."""
    match = _TYPED_HEADING_NUMBER.match(heading.text) if heading.number is None else None
    if match is None:
        return heading
    return replace(heading, text=heading.text[match.end() :], number=match.group("number"))


def procedures(doc: Outline) -> list[Outline]:
    """A handbook of several headed procedures as one outline per procedure; else `[doc]`.

    Split at the shallowest headings that name no section, when there are two or more, none is
    numbered like a policy's chapters (`III.`, `4.2`), and either a named section repeats under
    them or each one's numbered steps start again at 1.
    """
    headed = [p for p in doc.parts if p.name == "other" and p.heading and p.heading.kind == "heading"]
    top_level = min((p.heading.level for p in headed), default=0)
    if doc.title_block is not None and doc.title_block.level == top_level:
        # "Customer Care Handbook" as plain text, then `# Refunds`, `# Cancellations`: the first
        # level-1 heading was taken for the title, but it heads the first procedure.
        as_procedure = [
            Part("other", doc.title or "", p.blocks, heading=doc.title_block) if p.after_title else p
            for p in doc.parts
        ]
        if not any(p.after_title for p in doc.parts):
            as_procedure.insert(0, Part("other", doc.title or "", heading=doc.title_block))
        split = procedures(Outline(None, None, as_procedure))
        if len(split) > 1:
            return split
    if len(headed) < 2:
        return [doc]
    level = min(p.heading.level for p in headed)
    tops = [p for p in headed if p.heading.level == level]
    if len(tops) < 2 or any(p.heading.number or _NUMBERED_HEADING.match(p.title) for p in tops):
        return [doc]
    groups = _groups(doc.parts, tops)
    names = [p.name for p in doc.parts if p.name not in ("other", "body")]
    repeats = len(names) != len(set(names))
    if not (repeats or all(_restarts(top, group) for top, group in groups[1:])):
        return [doc]
    preamble = groups[0][1]
    shared = [p for p in preamble if p.name not in ("body", "other")]
    # The handbook's own introduction ("This handbook collects the procedures for the billing
    # desk.") is background to each of its procedures.
    introduction = [b for p in preamble if p.name in ("body", "other") for b in _own_heading(p) + p.blocks]
    out = []
    for top, group in groups[1:]:
        own = {p.name for p in group}
        inherited = [p for p in shared if p.name not in own]
        if introduction:
            inherited.insert(0, Part("background", "", list(introduction)))
        body = [Part("body", "", list(top.blocks))] if top.blocks else []
        out.append(Outline(top.title, top.heading, inherited + body + group))
    return out


def _own_heading(part: Part) -> list[Block]:
    return [part.heading] if part.heading is not None and part.name == "other" else []


def _groups(parts: list[Part], tops: list[Part]) -> list[tuple[Part | None, list[Part]]]:
    groups: list[tuple[Part | None, list[Part]]] = [(None, [])]
    for part in parts:
        if part in tops:
            groups.append((part, []))
        else:
            groups[-1][1].append(part)
    return groups


def _restarts(top: Part | None, group: list[Part]) -> bool:
    blocks = (top.blocks if top else []) + [b for p in group for b in p.blocks]
    return first_number_is_one(blocks)


def first_number_is_one(blocks: list[Block]) -> bool:
    first = next((b.number for b in blocks if b.kind == "item" and b.number), None)
    return first is not None and re.sub(r"\D", "", first.split(".")[0] or "x") == "1"
