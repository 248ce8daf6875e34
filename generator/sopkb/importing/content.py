"""A step's content sorted into its parts: what to do, say, ask and check, callouts, tables,
nested bullets, and the conditions that make a decision ("If X:" with bullets, "If X, then Y",
"IF YES / IF NO", a condition → action table, a table of numbered steps)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .blocks import Block
from .phrases import (
    VERIFY,
    callout,
    condition,
    duration,
    goto,
    is_written,
    placeholders,
    quoted_speech,
    say_line,
    say_title,
    speaker,
)
from .phrases import actor as actor_of
from .step_draft import BranchDraft, StepDraft

EMPTY_CELL = "—"
_CONDITIONAL = re.compile(
    r"^(?:if|when|otherwise|else|in case|yes|no|available|unavailable)\b", re.IGNORECASE
)
_CONDITION_HEADERS = {"if", "condition", "when", "situation", "if the customer", "scenario", "case"}
_ACTION_HEADERS = {"then", "action", "do", "what to do", "response", "next step", "result"}


@dataclass
class _Line:
    text: str
    level: int
    block: Block
    children: list[_Line] | None = None


def title_and_rest(text: str) -> tuple[str, str]:
    text = text.strip()
    said = say_title(text)
    if said is not None:
        return said, text
    if text.endswith(":") and len(text.split()) <= 16:
        return text.rstrip(": "), ""
    match = re.match(r"^([^.:!?]{2,80}?):\s+(\S.*)$", text)
    if match and len(match.group(1).split()) <= 8:
        if is_written(match.group(1)):  # "Add a note to the ticket: “…”": the quotation is the note
            return match.group(1).strip(), text
        return match.group(1).strip(), match.group(2).strip()
    if len(text.split()) <= 12:
        return text.rstrip(". "), ""
    return " ".join(text.split()[:8]).rstrip(",;:") + " …", text


def add_content(step: StepDraft, blocks: list[Block]) -> None:
    candidates: list[tuple[_Line, BranchDraft]] = []
    units = _grouped([_Line(b.text, b.level, b) for b in blocks if b.kind != "table"])
    for block in blocks:
        if block.kind == "table":
            _table(step, block)
    for unit in units:
        found = condition(unit.text) if _CONDITIONAL.match(unit.text) else None
        if found and (unit.children or found[1] or goto(unit.text)):
            branch = BranchDraft(found[0] or unit.text, target=goto(unit.text))
            step.texts.append(unit.text)
            if found[1]:
                _into_branch(branch, found[1], step)
            for child in unit.children or []:
                _into_branch(branch, child.text, step)
            candidates.append((unit, branch))
            continue
        _place(step, unit)
    _decide(step, candidates)
    _times_and_actor(step)


def _grouped(lines: list[_Line]) -> list[_Line]:
    """A line ending with ':' takes the lines after it that are deeper, or (in flat text) level
    with it, until the next line ending with ':' at its level."""
    units: list[_Line] = []
    i = 0
    while i < len(lines):
        head = lines[i]
        i += 1
        if not head.text.rstrip().endswith(":"):
            units.append(head)
            continue
        children = []
        while i < len(lines):
            line = lines[i]
            deeper = line.level > head.level
            level_with = line.level == head.level and not line.text.rstrip().endswith(":")
            if not (deeper or (level_with and head.block.kind == line.block.kind == "item")):
                break
            if line.level == head.level and condition(line.text) and line.text.lower().startswith("if"):
                break
            children.append(line)
            i += 1
        units.append(_Line(head.text, head.level, head.block, children or None))
    return units


def _place(step: StepDraft, unit: _Line) -> None:
    if unit.children:
        nested_texts = []
        for child in unit.children:
            step.texts.append(child.text)
            nested_texts.append(child.text)
            _speech(step, child.text)
        step.texts.append(unit.text)
        step.do.append({"text": unit.text, "items": nested_texts})
        return
    classify(step, unit.text)


def classify(step: StepDraft, text: str) -> None:
    step.texts.append(text)
    spoken = speaker(text)
    if spoken:
        step.script.append(spoken)
        if spoken[0] == "agent":
            step.say.append(placeholders(spoken[1]))
        return
    found = callout(text)
    if found:
        step.callouts.append(found)
        return
    say = say_line(text)
    if say:
        step.say.append(placeholders(say))
        return
    if text.rstrip().endswith("?"):
        step.ask.append(text)
    elif VERIFY.match(text):
        step.verify.append(text)
    else:
        step.do.append(text)
    _speech(step, text)


def _speech(step: StepDraft, text: str) -> None:
    for quote in quoted_speech(text):
        step.say.append(placeholders(quote))


def _into_branch(branch: BranchDraft, text: str, step: StepDraft) -> None:
    step.texts.append(text)
    text = text[:1].upper() + text[1:]
    say = say_line(text)
    if say:
        branch.say.append(placeholders(say))
        return
    branch.do.append(text)
    branch.say.extend(placeholders(q) for q in quoted_speech(text))
    branch.target = branch.target or goto(text)


def _decide(step: StepDraft, candidates: list[tuple[_Line, BranchDraft]]) -> None:
    if len(candidates) == 1 and candidates[0][1].target and not step.branches:
        unit, branch = candidates[0]
        step.branches = [branch, BranchDraft("Otherwise")]
        step.question = step.question or _question(step, [branch.answer])
        step.review.append(
            f"Guessed: the source says only “{unit.text}”; the “Otherwise” answer (go on with the next "
            "step) is the importer's."
        )
        return
    if len(candidates) < 2 and not step.branches:
        for unit, _ in candidates:
            if unit.children:
                step.do.append({"text": unit.text, "items": [c.text for c in unit.children]})
            else:
                step.do.append(unit.text)
        return
    step.branches.extend(branch for _, branch in candidates)
    step.question = step.question or _question(step, [b.answer for b in step.branches])
    step.review.append(
        "Guessed: a decision made from the conditions in the source ("
        + "; ".join(f"“{b.answer}”" for b in step.branches)
        + "); check the question and where each answer goes."
    )


def _question(step: StepDraft, answers: list[str]) -> str:
    asked = [a for a in step.ask if a.endswith("?")]
    if asked:
        return asked[-1]
    if {a.lower() for a in answers} <= {"yes", "no", "otherwise"}:
        return step.title.rstrip("?.:") + "?"
    return "Which applies?"


def _times_and_actor(step: StepDraft) -> None:
    for text in step.texts:
        found = duration(text)
        if found is None:
            continue
        verb, spoken, seconds = found
        what = " ".join(text.split())[:200]
        if seconds <= 3600 and step.wait is None and verb.startswith("wait"):
            step.wait = {"duration": spoken, "until": what}
            step.review.append(f"Guessed: a wait of {spoken} read from “{what}”.")
        elif (
            seconds > 3600 and step.limit is None or verb == "within" and step.limit is None and seconds > 600
        ):
            step.limit = {"duration": spoken, "what": what}
            step.review.append(f"Guessed: a time limit of {spoken} read from “{what}”.")
        elif step.wait is None and seconds <= 3600 and verb == "within":
            step.wait = {"duration": spoken, "until": what}
            step.review.append(f"Guessed: a wait of {spoken} read from “{what}”.")
    for text in step.texts[:3] if step.actor is None else []:
        who = actor_of(text)
        if who and who.lower() != "customer":
            step.actor = who
            step.review.append(f"Guessed: done by “{who}” (from “{text[:120]}”).")
            break


def _table(step: StepDraft, block: Block) -> None:
    rows = [list(r) for r in block.rows if any(c.strip() for c in r)]
    for row in rows:
        step.texts.extend(c for c in row if c.strip())
    header = [c.strip().lower().rstrip(":") for c in rows[0]] if rows else []
    width = max((len(r) for r in rows), default=0)
    if width == 2 and len(rows) >= 3 and (
        header[0] in _CONDITION_HEADERS or header[1] in _ACTION_HEADERS and header[0] in _CONDITION_HEADERS
        or all(r[0].lower().startswith(("if ", "when ")) for r in rows[1:])
    ):  # fmt: skip
        for row in rows[1:]:
            answer = condition(row[0])
            branch = BranchDraft(answer[0] if answer else row[0].rstrip(":"), target=goto(row[1]))
            if row[1].strip():
                _into_branch(branch, row[1], step)
            step.branches.append(branch)
        step.question = step.question or _question(step, [b.answer for b in step.branches])
        step.review.append("Guessed: a decision made from a two-column condition → action table.")
        return
    step.tables.append(table_data(rows))


def table_data(rows: list[list[str]]) -> dict:
    width = max(len(r) for r in rows)
    columns = [
        (c.strip() or f"Column {i + 1}") for i, c in enumerate(rows[0] + [""] * (width - len(rows[0])))
    ]
    body = [[(c.strip() or EMPTY_CELL) for c in r + [""] * (width - len(r))] for r in rows[1:]] or [
        [EMPTY_CELL] * width
    ]
    return {"columns": columns, "rows": body}
