"""Sentences, for the promise that nothing of the source is lost: the source's sentences are
counted, and each must be found again in the draft (in a field or in a review note).

Matching is on a normal form that ignores what a draft may change without losing words: case,
spacing, quote styles, bullet and trailing punctuation, the Markdown escapes the drafter adds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from .blocks import Block
from .phrases import placeholders

_SPLIT = re.compile(r"(?<=[.!?…])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")
_ABBREVIATIONS = re.compile(r"\b(?:e\.g|i\.e|etc|vs|Mr|Mrs|Ms|Dr|No|approx|incl|St)\.$", re.IGNORECASE)
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'", "`": "'", "´": "'"})
_CONDITION_WORDS = re.compile(r"^(?:how to proceed )?(?:if|when|in case) ")
_CONDITION_SPLIT = re.compile(r",?\s+then\s+|\s*:\s*|,\s+")
_LABEL = re.compile(r"^[^:]{1,30}?(?::| - )\s*(.+)$")
_NOISE = re.compile(r"^[\W_]*$")


def split(text: str) -> list[str]:
    """The sentences of a block's text; an abbreviation's full stop ends none."""
    pieces: list[str] = []
    for piece in _SPLIT.split(text.strip()):
        if pieces and _ABBREVIATIONS.search(pieces[-1]):
            pieces[-1] = f"{pieces[-1]} {piece}"
        elif piece.strip():
            pieces.append(piece.strip())
    return pieces


def normal(text: str) -> str:
    text = text.translate(_QUOTES).replace("''", '"').replace("\\[", "[").replace("\\", "")
    text = re.sub(r"\s+", " ", text.lower()).strip()
    return text.strip(" .:;,!?-–—∙•\"'")


def block_sentences(block: Block) -> list[str]:
    texts = [cell for row in block.rows for cell in row] if block.kind == "table" else [block.text]
    if block.number and block.kind != "table":
        texts = [block.text]
    return [s for text in texts for s in split(text) if not _NOISE.match(s)]


def source_sentences(blocks: Iterable[Block]) -> list[tuple[str, Block]]:
    return [(sentence, block) for block in blocks for sentence in block_sentences(block)]


def missing(sentences: Iterable[str], draft_text: str) -> list[str]:
    """The sentences whose normal form is not in the draft's text, in order, each once.

    A sentence the drafter took apart counts when all of its parts are there: a condition and
    what to do (a branch's answer and its `do`), or a label and what follows it (`Agent:` and a
    script line, `Warning:` and a callout, `IF YES:` and an answer)."""
    haystack = normal(draft_text)
    seen: set[str] = set()
    lost = []
    for sentence in sentences:
        key = normal(sentence)
        spoken = normal(placeholders(sentence))  # as a script line has it
        if key and key not in seen and not _carried(key, haystack) and not _carried(spoken, haystack):
            lost.append(sentence)
        seen.add(key)
    return lost


def _carried(key: str, haystack: str) -> bool:
    if key in haystack:
        return True
    condition = _CONDITION_WORDS.sub("", key)
    if condition != key:
        parts = [normal(p) for p in _CONDITION_SPLIT.split(condition, maxsplit=1)]
        return all(p in haystack for p in parts if p)
    label = _LABEL.match(key)
    return bool(label) and normal(label.group(1)) in haystack


def texts_in(data: object) -> Iterable[str]:
    """Every string in a draft's data, depth first."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dt.date):
        yield data.isoformat()
    elif isinstance(data, dict):
        for value in data.values():
            yield from texts_in(value)
    elif isinstance(data, list):
        for value in data:
            yield from texts_in(value)
