"""A procedure's blocks as steps: which blocks start a step, what belongs to it, and the
condition labels that split a procedure into ways ("How to proceed if the customer refuses:").

The steps are the numbered items of the shallowest numbering (`1.`, `Step 1:`; `3.1` under a
chapter), else the headings, else the top-level bullets, else the paragraphs; everything after
one step and before the next is that step's content (`content.py` sorts it).
"""

from __future__ import annotations

import re

from .blocks import Block
from .content import add_content, title_and_rest
from .phrases import CONDITION
from .step_draft import BranchDraft, StepDraft
from .table_steps import step_from_table

_NOISE = re.compile(r"^[\W_]*$")
_LETTERED = re.compile(r"^\(?[a-z]\)?[.)]?$", re.IGNORECASE)


def depth(number: str) -> int:
    return len(
        [p for p in re.sub(r"^(?:step|stage)\s+", "", number.lower()).rstrip(".:)-– ").split(".") if p]
    )


def step_starts(blocks: list[Block]) -> set[int]:
    """Indexes of the blocks that start a step."""
    numbered = [
        (i, b)
        for i, b in enumerate(blocks)
        if b.kind == "item" and b.number and not _LETTERED.match(b.number)
    ]
    if numbered:
        shallowest = min(depth(b.number or "") for _, b in numbered)
        return {i for i, b in numbered if depth(b.number or "") == shallowest}
    headings = {i for i, b in enumerate(blocks) if b.kind == "heading" and not _is_condition_label(b)}
    if headings:
        return headings
    items = [(i, b) for i, b in enumerate(blocks) if b.kind == "item"]
    if items:
        top = min(b.level for _, b in items)
        return {i for i, b in items if b.level == top}
    if any(b.kind == "table" and _is_step_table(b) for b in blocks):
        return set()
    return {i for i, b in enumerate(blocks) if b.kind == "paragraph" and not _is_condition_label(b)}


def _is_condition_label(block: Block) -> bool:
    return (
        block.kind in ("paragraph", "heading")
        and block.text.rstrip().endswith(":")
        and bool(CONDITION.match(block.text))
        and len(block.text.split()) <= 25
    )


def build_steps(blocks: list[Block]) -> tuple[list[StepDraft], list[Block]]:
    """The steps, and the blocks before the first step (for the SOP's own notes)."""
    starts = step_starts(blocks)
    steps: list[StepDraft] = []
    before: list[Block] = []
    group = 0
    ways: list[tuple[str, int, Block]] = []  # condition label, index of its first step, the label
    pending: list[Block] = []  # blocks of the current step
    for i, block in enumerate(blocks):
        if _NOISE.match(block.text) and block.kind != "table":
            continue
        if block.kind == "table" and _is_step_table(block):
            _flush(steps, pending)
            pending = []
            group += 1
            steps.extend(step_from_table(block, group))
            continue
        if _is_condition_label(block) and block.number is None and block.kind != "heading":
            _flush(steps, pending)
            pending = []
            group += 1
            ways.append((block.text, len(steps), block))
            continue
        if i in starts:
            _flush(steps, pending)
            pending = []
            title, rest = title_and_rest(block.text)
            step = StepDraft(title, block.where, number=block.number, group=group)
            if steps and block.number and _restarts(block.number, steps[-1]):
                group += 1
            step.group = group
            step.texts.append(block.text)
            if rest:
                pending.append(Block("item", rest, block.where, block.level + 1))
            steps.append(step)
            continue
        (pending if steps else before).append(block)
    _flush(steps, pending)
    return _with_ways(steps, ways, before), before


def _restarts(number: str, previous: StepDraft) -> bool:
    return depth(number) == 1 and re.sub(r"\D", "", number) in ("1",) and previous.number is not None


def _flush(steps: list[StepDraft], pending: list[Block]) -> None:
    if steps and pending:
        add_content(steps[-1], pending)


def _is_step_table(block: Block) -> bool:
    rows = block.rows
    if len(rows) < 2:
        return False
    header = rows[0][0].strip().lower() if rows[0] else ""
    return header in ("step", "steps", "#", "no.", "no", "step no.", "step #")


def _with_ways(
    steps: list[StepDraft], ways: list[tuple[str, int, Block]], before: list[Block]
) -> list[StepDraft]:
    """Two or more condition labels, each followed by its own steps, are a decision: a step that
    asks which applies goes before the first, each answer to its way's first step, and each way
    ends the procedure."""
    usable = []
    for n, (text, index, block) in enumerate(ways):
        following = ways[n + 1][1] if n + 1 < len(ways) else len(steps)
        if index < following:
            usable.append((text, index, block))
        elif index > 0:  # a label with no steps of its own: kept with the step before it
            steps[index - 1].notes.append(text)
            steps[index - 1].texts.append(text)
        else:
            before.append(block)
    if len(usable) < 2:
        for text, index, _ in usable:  # one way alone: kept with the step it leads to
            steps[index].notes.insert(0, text)
            steps[index].texts.append(text)
        return steps
    first = usable[0][1]
    ask = StepDraft("Which way applies?", usable[0][2].where, group=-1)
    ask.question = "Which applies?"
    for n, (text, index, _) in enumerate(usable):  # noqa: B007
        answer = CONDITION.match(text)
        words = (answer.group("cond") if answer else text).strip().rstrip(":")
        ask.branches.append(BranchDraft(words[:1].upper() + words[1:], target=f"index {index + 1}"))
        ask.texts.append(text)
        end = usable[n + 1][1] if n + 1 < len(usable) else len(steps)
        if end - 1 >= index and steps[end - 1].next is None and not steps[end - 1].branches:
            steps[end - 1].next = "end"
    ask.review.append(
        "Guessed: the source gives these ways under condition headings; the question that chooses "
        "between them is the importer's."
    )
    return steps[:first] + [ask] + steps[first:]
