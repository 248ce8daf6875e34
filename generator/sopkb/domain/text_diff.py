"""Word- and line-level differences between two texts, as plain data a page can highlight.

Words are compared, not characters: "within 14 days" → "within 30 days" is one word replaced,
which is what a reader notices; punctuation counts apart ("amount." → "amount and the reason."
inserts three words before the full stop). Each run of words keeps the spacing that followed it, so joining
the runs' text gives back the text they came from.

Word comparisons are remembered (their results are immutable): comparing each of an SOP's earlier
versions with the current one meets the same pair of lines once per version that still had it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Literal

Op = Literal["equal", "insert", "delete"]
LineKind = Literal["added", "removed", "changed"]

_WORD = re.compile(r"(?:\w+|[^\w\s]+)\s*")  # a word or a run of punctuation, and the spaces after it
_WORDS_ONLY = re.compile(r"\w+")
_PAIRED = 0.25
"""Two lines in the same place are one line reworded when at least this share of their words is
kept (by difflib's ratio); below it, one line was removed and another added."""


@dataclass(frozen=True)
class WordRun:
    op: Op
    text: str


@dataclass(frozen=True)
class LineChange:
    """One line of a list (a `do` item, a say line) or of a single text (a title)."""

    kind: LineKind
    before: str | None
    after: str | None
    words: tuple[WordRun, ...] = ()  # for "changed": before and after, word by word


def _words(text: str) -> tuple[str, list[str]]:
    """Leading spaces, and each word with the spaces after it."""
    stripped = text.lstrip()
    return text[: len(text) - len(stripped)], _WORD.findall(stripped)


@lru_cache(maxsize=4096)
def word_diff(before: str, after: str) -> tuple[WordRun, ...]:
    """Runs of equal, deleted and inserted words; a replacement is its deletion, then its insertion."""
    lead_a, old = _words(before)
    lead_b, new = _words(after)
    matcher = SequenceMatcher(None, [w.strip() for w in old], [w.strip() for w in new], autojunk=False)
    runs: list[WordRun] = [WordRun("equal", lead_b)] if lead_b else []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _append(runs, "equal", "".join(new[j1:j2]))
            continue
        if tag in ("delete", "replace"):
            _append(runs, "delete", "".join(old[i1:i2]))
        if tag in ("insert", "replace"):
            _append(runs, "insert", "".join(new[j1:j2]))
    return tuple(runs)


def _append(runs: list[WordRun], op: Op, text: str) -> None:
    if not text:
        return
    if runs and runs[-1].op == op:
        runs[-1] = WordRun(op, runs[-1].text + text)
    else:
        runs.append(WordRun(op, text))


@lru_cache(maxsize=4096)
def similarity(before: str, after: str) -> float:
    """The share of words two texts have in common, in order (punctuation left out: every
    sentence ends with a full stop)."""
    old, new = _WORDS_ONLY.findall(before), _WORDS_ONLY.findall(after)
    return SequenceMatcher(None, old, new, autojunk=False).ratio()


def text_change(before: str | None, after: str | None) -> tuple[LineChange, ...]:
    """A single text (a title, a target) as at most one change."""
    if before == after:
        return ()
    if before is None:
        return (LineChange("added", None, after),)
    if after is None:
        return (LineChange("removed", before, None),)
    return (LineChange("changed", before, after, word_diff(before, after)),)


def line_changes(before: list[str], after: list[str]) -> tuple[LineChange, ...]:
    """A list of lines compared as a list: lines added, removed, and reworded in place. One line
    replacing one line (a title, an answer) is that line changed, however different."""
    if before == after:
        return ()
    if len(before) == len(after) == 1:
        return text_change(before[0], after[0])
    out: list[LineChange] = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        old, new = before[i1:i2], after[j1:j2]
        paired = min(len(old), len(new)) if tag == "replace" else 0
        for a, b in zip(old[:paired], new[:paired], strict=True):
            if similarity(a, b) >= _PAIRED:
                out.append(LineChange("changed", a, b, word_diff(a, b)))
            else:
                out += [LineChange("removed", a, None), LineChange("added", None, b)]
        out += [LineChange("removed", a, None) for a in old[paired:]]
        out += [LineChange("added", None, b) for b in new[paired:]]
    return tuple(out)
