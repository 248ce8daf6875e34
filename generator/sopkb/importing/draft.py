"""Blocks → draft SOPs (plain data in the order bundled SOPs are written), one per procedure.

Every guess leaves a `review` note where it was made; a sentence of the source that no field
took is listed in a review note of its own, so the draft holds all of the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .blocks import Block
from .content import classify
from .draft_body import procedure_body
from .draft_links import add_links, references
from .fields import (
    UNKNOWN,
    KnownSop,
    clean_title,
    documentation,
    keywords,
    metadata,
    part_text,
    responsibilities,
    slug,
)
from .outline import Outline, Part, numbered_headings, outline, procedures
from .scripts import sample_calls, scripts
from .sentences import missing, source_sentences, split, texts_in
from .step_draft import StepDraft, unique
from .steps import build_steps
from .targets import assign_ids, section_data, steps_data

_CONCLUSION = re.compile(
    r"^(?:by following this|in conclusion|following this (?:sop|procedure))", re.IGNORECASE
)
_TEXT_FIELDS = ("background", "scope", "conclusion")


@dataclass
class Draft:
    id: str
    data: dict
    blocks: list[Block]  # the source's blocks this draft comes from


def draft_document(
    blocks: list[Block], file_name: str, *, category: str, known: list[KnownSop], taken: set[str]
) -> list[Draft]:
    blocks = numbered_headings(blocks)
    doc = outline(blocks)
    out = []
    several = procedures(doc)
    for one in several:
        data = draft_one(one, file_name, category, known, taken)
        own = [b for p in one.parts for b in _heading_content(p) + p.blocks]
        own = ([one.title_block] if one.title_block else []) + own
        if len(several) > 1 and doc.title_block is not None and doc.title_block not in own:
            data["source"] = f"{file_name}, “{doc.title}”, “{one.title}”"  # a handbook's own title
            own.insert(0, doc.title_block)
        out.append(Draft(data["id"], data, own))
    _adopt_orphans(blocks, doc, out)
    for draft in out:
        add_unplaced(draft.data, draft.blocks)
    return out


def _adopt_orphans(blocks: list[Block], doc: Outline, drafts: list[Draft]) -> None:
    """A block no draft took (a layout the splitting did not foresee) goes to the first draft,
    which lists what it could not place: nothing read is dropped, and the figures count it."""
    structure = {id(p.heading) for p in doc.parts if p.heading is not None and p.name != "other"}
    taken = {id(b) for d in drafts for b in d.blocks} | structure
    orphans = [b for b in blocks if id(b) not in taken]
    if orphans and drafts:
        drafts[0].blocks.extend(orphans)


def _heading_content(part: Part) -> list[Block]:
    """What a part's heading says besides naming the section: a label's text after the colon."""
    if part.heading is None:
        return []
    if part.name == "other":
        return [part.heading]
    if part.heading.kind == "heading":
        return []
    said = (part.rest,) if part.name == "metadata" else (part.extra, part.rest)
    return [Block("paragraph", text, part.heading.where) for text in said if text]


def draft_one(doc: Outline, file_name: str, category: str, known: list[KnownSop], taken: set[str]) -> dict:
    review: list[str] = []
    stem = re.sub(r"[_\s]+", " ", file_name.rsplit(".", 1)[0]).strip() or "Imported procedure"
    title = clean_title(doc.title) if doc.title else stem[:1].upper() + stem[1:]
    if not doc.title:
        review.append("Guessed: the source has no title; this one is the file name.")
    texts = {name: _text(doc, name) for name in ("objective", "summary", *_TEXT_FIELDS)}
    body, sections = procedure_body(doc)
    conclusion = [b.text for b in body if b.kind == "paragraph" and _CONCLUSION.match(b.text)]
    body = [b for b in body if b.text not in conclusion or b.kind != "paragraph"]
    texts["conclusion"] = "\n\n".join(filter(None, [texts["conclusion"], *conclusion])) or None
    steps, before = build_steps(body) if sections is None else ([], body)
    intro = StepDraft("", blocks_where(doc))
    for block in before:
        classify(intro, block.text) if block.kind != "table" else intro.notes.append(block.text)
    background = "\n\n".join(
        filter(None, [texts["background"], *intro.do, *intro.ask, *intro.verify, *intro.notes])
    )
    data = _identity(doc, title, texts, category, steps, file_name, taken, review)
    if background:
        data["background"] = background
    data["objective"] = texts["objective"] or texts["summary"] or "Not stated in the source."
    if not texts["objective"]:
        review.append("The source states no objective (purpose): write one.")
    if texts["scope"]:
        data["scope"] = texts["scope"]
    roles, role_review = responsibilities(doc.named("responsibilities"))
    if roles:
        data["responsibilities"] = roles
    review += role_review
    if intro.callouts:
        data["callouts"] = intro.callouts
    all_steps = steps or [s for _, group in sections or [] for s in group]
    if not all_steps:
        placeholder = StepDraft("Procedure", blocks_where(doc))
        placeholder.review.append(
            "The source has no steps the importer could find; write them from the source."
        )
        steps = all_steps = [placeholder]
    refs = references(all_steps, known)
    assign_ids(all_steps)
    if sections is None:
        data["steps"] = steps_data(steps, refs)
    else:
        taken_sections: set[str] = set()
        data["sections"] = [section_data(title, number, group, refs) for (title, number), group in sections]
        for section in data["sections"]:
            section["id"] = unique(section["id"], taken_sections)
    if texts["conclusion"]:
        data["conclusion"] = texts["conclusion"]
    _care(data, doc, all_steps, intro, refs, review)
    data["review"] = review
    return data


def _care(
    data: dict, doc: Outline, all_steps: list[StepDraft], intro: StepDraft, refs: dict, review: list[str]
) -> None:
    """What to record, sample calls, other procedures, and the notes on approval and references."""
    step_texts = [t for s in all_steps for t in s.texts]
    docs = documentation(step_texts, doc.named("documentation"))
    if docs:
        data["documentation"] = docs
    scripts(data, all_steps + ([intro] if intro.script else []), review)
    sample_calls(data, doc.named("script"), all_steps, review)
    add_links(data, refs, review)
    approval = [b.text for p in doc.named("approval") for b in p.blocks]
    if approval:
        review.append(
            "The approval block names no one the importer could read as the owner: " + " ".join(approval)
        )
    if any(p.name == "references" for p in doc.parts):
        review.append(
            "References listed in the source: " + " ".join(part_text(p) for p in doc.named("references"))
        )


def _identity(doc: Outline, title: str, texts: dict, category: str, steps: list[StepDraft], file_name: str,
              taken: set[str], review: list[str]) -> dict:  # fmt: skip
    """The draft's identity and care fields: id, title, summary, category, keywords, status, owner,
    version, dates (`unknown` unless the source states them) and source."""
    data: dict = {"id": unique(slug(title, words=8, limit=70), taken), "title": title}
    data["summary"] = _summary(texts, title, review)
    data["category"] = category
    data["keywords"] = keywords(title, [line for s in steps for who, line in s.script if who == "customer"])
    data["status"] = "draft"
    meta = metadata(doc.parts)
    for key in ("owner", "version", "effective", "review_by"):
        data[key] = meta.get(key, UNKNOWN)
    data["source"] = f"{file_name}, “{doc.title}”" if doc.title else file_name
    return data


def blocks_where(doc: Outline):  # noqa: ANN201
    for part in doc.parts:
        for block in ([part.heading] if part.heading else []) + part.blocks:
            return block.where
    from .blocks import Where

    return Where("?")


def _text(doc: Outline, name: str) -> str | None:
    return "\n\n".join(part_text(p) for p in doc.named(name) if part_text(p)) or None


def _summary(texts: dict, title: str, review: list[str]) -> str:
    for name in ("summary", "objective", "background"):
        if texts.get(name):
            first = split(texts[name].split("\n")[0])[0]
            review.append(
                f"Guessed: the summary is the first sentence of the {name}; make it one line saying when "
                "to use this SOP."
            )
            return first[:300]
    review.append("Guessed: the summary is the title; make it one line saying when to use this SOP.")
    return title


def located(block: Block) -> str:
    where = block.where
    parts = [f"line {where.line}" if where.line else "", f"page {where.page}" if where.page else "",
             f"paragraph {where.paragraph}" if where.paragraph else ""]  # fmt: skip
    return ", ".join(p for p in parts if p) or "the source"


def add_unplaced(data: dict, blocks: list[Block]) -> None:
    """Every sentence of the source no field took goes into a review note of its own."""
    sentences = source_sentences(blocks)
    lost = set(missing((s for s, _ in sentences), "\n".join(texts_in(data))))
    for sentence, block in sentences:
        if sentence in lost:
            data["review"].append(f"Not placed by the importer ({located(block)}): {sentence}")
            lost.discard(sentence)
    if not data["review"]:
        del data["review"]
