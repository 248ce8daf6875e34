"""A step while it is being drafted: what the source said, sorted into a step's parts, and
where its branches go in the source's own words ("Go to Step 2") until ids are known."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .blocks import Where

Item = str | dict  # a line, or {"text": …, "items": […]}


@dataclass
class BranchDraft:
    answer: str
    do: list[Item] = field(default_factory=list)
    say: list[str] = field(default_factory=list)
    target: str | None = None  # "step N", "end", "sop:<id>", "ext:<id>", or None: the next step
    review: list[str] = field(default_factory=list)


@dataclass
class StepDraft:
    title: str
    where: Where
    number: str | None = None
    group: int = 0  # steps numbered 1, 2, … again start a new group ("Go to Step 2" stays inside one)
    id: str = ""
    actor: str | None = None
    callouts: list[dict] = field(default_factory=list)
    do: list[Item] = field(default_factory=list)
    say: list[str] = field(default_factory=list)
    ask: list[str] = field(default_factory=list)
    verify: list[str] = field(default_factory=list)
    tables: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    wait: dict | None = None
    limit: dict | None = None
    call: str | None = None
    question: str | None = None
    branches: list[BranchDraft] = field(default_factory=list)
    next: str | None = None  # "end", or a target as in BranchDraft
    review: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # every source text, for a plain fallback
    script: list[tuple[str, str]] = field(default_factory=list)  # (speaker, line) of a dialogue

    def all_text(self) -> list[str]:
        texts = [self.title, *self.texts]
        return texts


def slug(text: str, words: int = 5, limit: int = 60) -> str:
    parts = re.sub(r"[^a-z0-9]+", " ", text.lower().replace("'", "")).split()
    stop = {"the", "a", "an", "of", "to", "and", "for", "on", "in", "with", "their", "your", "s"}
    kept = [w for w in parts if w not in stop] or parts
    value = "-".join(kept[:words])[:limit].strip("-")
    return value or "step"


def unique(base: str, taken: set[str]) -> str:
    value, n = base, 2
    while value in taken or value == "end":
        value = f"{base}-{n}"
        n += 1
    taken.add(value)
    return value
