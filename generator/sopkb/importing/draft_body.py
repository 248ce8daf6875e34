"""A procedure's body for a draft: the blocks its steps are built from, or, for a policy written
as headed chapters (each with its own list or table), one section of steps per chapter.
"""

from __future__ import annotations

from .blocks import Block
from .content import classify
from .outline import Outline, Part
from .step_draft import StepDraft
from .steps import build_steps

Sections = list[tuple[tuple[str, str | None], list[StepDraft]]]  # per chapter: (title, number), steps


def procedure_body(doc: Outline) -> tuple[list[Block], Sections | None]:
    """The procedure's blocks, or the sections of a policy written as headed chapters."""
    parts = _with_subheadings_folded(doc.parts)
    chapters = [p for p in parts if p.name == "other" and p.heading and p.heading.kind == "heading"]
    with_items = [p for p in chapters if any(b.kind in ("item", "table") for b in p.blocks)]
    body_parts = [p for p in parts if p.name in ("body", "procedure", "other")]
    if len(with_items) >= 2 and not any(p.name == "procedure" and p.blocks for p in doc.parts):
        sections = []
        for part in with_items:
            steps, before = build_steps(part.blocks)
            if not steps:
                steps = [StepDraft(part.title, part.heading.where)]
            for block in before:
                classify(steps[0], block.text)
            sections.append(((part.title, part.heading.number), steps))
        loose = [
            b
            for p in body_parts
            if p not in with_items
            for b in ([p.heading] if p.heading else []) + p.blocks
        ]
        return loose, sections
    blocks: list[Block] = []
    for part in body_parts:
        if part.heading is not None and part.name not in ("body", "procedure"):
            blocks.append(
                part.heading
                if part.heading.kind == "heading"
                else Block("heading", part.title, part.heading.where, 3)
            )
        blocks += part.blocks
    return blocks, None


def _with_subheadings_folded(parts: list[Part]) -> list[Part]:
    """A chapter's own sub-headings (`III. Complaints` then `3.1 Reception`, one heading level
    deeper) belong to the chapter: they are its steps, not chapters of their own. Each deeper
    heading that names no section goes, with what follows it, into the chapter above it."""
    folded: list[Part] = []
    chapter: Part | None = None
    for part in parts:
        heading = part.heading if part.heading is not None and part.heading.kind == "heading" else None
        if part.name != "other" or heading is None:
            folded.append(part)
            chapter = None if part.heading is not None else chapter
            continue
        if chapter is not None and heading.level > chapter.heading.level:  # type: ignore[union-attr]
            chapter.blocks += [heading, *part.blocks]
            continue
        chapter = Part(part.name, part.title, list(part.blocks), heading=part.heading)
        folded.append(chapter)
    return folded
