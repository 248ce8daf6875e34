"""Tables whose first column numbers the steps (`Step | Action | IF | Then`): a step per numbered
row; an IF/THEN pair of cells, or a row under a step with a label in its first cell, is one of
that step's answers."""

from __future__ import annotations

import re

from .blocks import Block
from .content import _CONDITION_HEADERS, _into_branch, _question, _times_and_actor, classify, title_and_rest
from .phrases import condition, goto
from .step_draft import BranchDraft, StepDraft


def step_from_table(block: Block, group: int) -> list[StepDraft]:
    """A table whose first column numbers the steps: a step per numbered row; an IF/THEN pair of
    cells, or a row under a step with a label in its first cell, is one of that step's answers."""
    rows = [list(r) for r in block.rows]
    header = [c.strip().lower().rstrip(":") for c in rows[0]]
    cond_col = next((i for i, h in enumerate(header) if h in _CONDITION_HEADERS), None)
    steps: list[StepDraft] = []
    for row in rows[1:]:
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if re.fullmatch(r"\d+[.)]?", cells[0]):
            action = next((c for i, c in enumerate(cells[1:], 1) if c and i != cond_col), "")
            title, rest = title_and_rest(action) if action else (f"Step {cells[0].rstrip('.)')}", "")
            step = StepDraft(title, block.where, number=cells[0].rstrip(".)"), group=group)
            step.texts += [c for c in cells if c]
            if rest:
                classify(step, rest)
            if not action:
                step.review.append(f"The source's step {cells[0]} has no action text (lost in extraction?).")
            steps.append(step)
            cells = [c if i == 0 or i >= (cond_col or 99) else "" for i, c in enumerate(cells)]
            cells[0] = ""
        if not steps:
            continue
        _table_branch(steps[-1], [c for c in cells if c], cond_col is not None)
    for step in steps:
        _settle_table_branches(step)
    return steps


def _table_branch(step: StepDraft, cells: list[str], has_condition_column: bool) -> None:
    if not cells:
        return
    step.texts += cells
    answer = condition(cells[0])
    if step.branches and not answer and len(cells[0].split()) > 10:  # a cell's text, not an answer
        for cell in cells:
            _into_branch(step.branches[-1], cell, step)
        return
    branch = BranchDraft(
        (answer[0] if answer else cells[0]).rstrip(":") or cells[0], target=goto(" ".join(cells))
    )
    if answer and answer[1]:
        _into_branch(branch, answer[1], step)
    for cell in cells[1:]:
        _into_branch(branch, cell, step)
    step.branches.append(branch)


def _settle_table_branches(step: StepDraft) -> None:
    if len(step.branches) == 1:
        branch = step.branches.pop()
        step.do.append({"text": branch.answer, "items": branch.do} if branch.do else branch.answer)
        step.say.extend(branch.say)
    elif step.branches:
        step.question = _question(step, [b.answer for b in step.branches])
        step.review.append(
            "Guessed: a decision made from the rows of the source's step table; check each answer."
        )
    _times_and_actor(step)
