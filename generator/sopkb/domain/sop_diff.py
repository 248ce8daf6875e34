"""What changed between two versions of an SOP, in the SOP's own terms: steps added, removed,
moved or reworded, branches added, removed or retargeted, say lines word by word, the
documentation, and the details around them. Not a diff of the file's lines: reformatting the
YAML, reordering its keys or adding a comment changes nothing here.

`sop_diff(before, after)` gives plain data; `change_words.py` puts it into words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..models.sop import Sop
from ..models.step import Branch, Step
from .sop_parts import METADATA, branch_parts, sop_parts, step_parts
from .text_diff import LineChange, line_changes, text_change


@dataclass(frozen=True)
class FieldChange:
    """One part (`say`, `do`, `title`, `objective`, `dispositions` …) and its changed lines."""

    name: str
    lines: tuple[LineChange, ...]


@dataclass(frozen=True)
class BranchChange:
    kind: Literal["added", "removed", "retargeted", "reworded"]
    answer: str  # as it is now (as it was, for a removed branch)
    goto_before: str | None
    goto_after: str | None
    fields: tuple[FieldChange, ...] = ()  # the answer, `do` or `say` reworded (a retargeted branch too)
    where_before: str | None = None  # `goto_before` in words: 'step 3 “Record the refund”'
    where_after: str | None = None


@dataclass(frozen=True)
class StepChange:
    kind: Literal["added", "removed", "changed"]
    step_id: str
    title: str  # as it is now (as it was, for a removed step)
    number_before: str | None
    number_after: str | None
    moved: bool = False  # its place among the steps both versions have changed
    fields: tuple[FieldChange, ...] = ()  # parts reworded (`next` is in `retargeted`, not here)
    retargeted: FieldChange | None = None  # where the flow goes after it (`next`) changed
    branches: tuple[BranchChange, ...] = ()

    @property
    def reworded(self) -> bool:
        return bool(self.fields)


@dataclass(frozen=True)
class MetadataChange:
    name: str  # a key of the SOP: owner, review_by, tags …
    before: str
    after: str


@dataclass(frozen=True)
class SopDiff:
    before_version: str
    after_version: str
    steps: tuple[StepChange, ...]  # in the new order; a removed step where it stood
    parts: tuple[FieldChange, ...]  # the rest of the content: objective, callouts, dispositions …
    metadata: tuple[MetadataChange, ...]  # title, owner, dates, tags …: not the procedure

    @property
    def content_changed(self) -> bool:
        """Anything a reader of the procedure must re-read (metadata alone is not)."""
        return bool(self.steps or self.parts)

    @property
    def changed_step_ids(self) -> set[str]:
        return {s.step_id for s in self.steps if s.kind == "changed"}


def sop_diff(before: Sop, after: Sop) -> SopDiff:
    parts = _fields(sop_parts(before), sop_parts(after))
    metadata = tuple(
        MetadataChange(name, old, new)
        for name in METADATA
        if (old := _metadata(before, name)) != (new := _metadata(after, name))
    )
    return SopDiff(before.version, after.version, _steps(before, after), parts, metadata)


def _metadata(sop: Sop, name: str) -> str:
    value = getattr(sop, name)
    if name == "related":
        return ", ".join(r.sop for r in value)
    return ", ".join(value) if isinstance(value, list) else str(value)


def _fields(before: dict[str, list[str]], after: dict[str, list[str]]) -> tuple[FieldChange, ...]:
    out = []
    for name in dict.fromkeys([*before, *after]):
        lines = line_changes(before.get(name, []), after.get(name, []))
        if lines:
            out.append(FieldChange(name, lines))
    return tuple(out)


def target_words(before: Sop, after: Sop) -> dict[str, str]:
    """Each place a flow can go, in words: a step of the SOP (as numbered now, else as it was),
    the end, another SOP or a procedure outside the KB."""
    words: dict[str, str] = {"end": "the end"}
    for sop in (before, after):
        numbers = sop.step_numbers()
        words.update({s.id: f"step {numbers[s.id]} “{s.title}”" for s in sop.all_steps()})
        words.update({f"ext:{e.id}": f"“{e.title}” (outside the KB)" for e in sop.external})
    return words


def _where(goto: str | None, words: dict[str, str]) -> str | None:
    if goto is None or goto in words:
        return words.get(goto) if goto else None
    if goto.startswith("sop:"):
        sop_id, _, step = goto[4:].partition("#")
        return f"SOP {sop_id}" + (f", step {step}" if step else "")
    return goto


def _steps(before: Sop, after: Sop) -> tuple[StepChange, ...]:
    old = {s.id: s for s in before.all_steps()}
    new = {s.id: s for s in after.all_steps()}
    old_numbers, new_numbers = before.step_numbers(), after.step_numbers()
    moved = _moved([i for i in old if i in new], [i for i in new if i in old])
    words = target_words(before, after)
    removed_after = _removed_positions(list(old), new)
    out: list[StepChange] = [
        StepChange("removed", i, old[i].title, old_numbers[i], None) for i in removed_after.get(None, [])
    ]
    for step_id, step in new.items():
        if step_id not in old:
            out.append(StepChange("added", step_id, step.title, None, new_numbers[step_id]))
        else:
            change = _step_change(old[step_id], step, step_id in moved, words)
            if change is not None:
                numbers = {"number_before": old_numbers[step_id], "number_after": new_numbers[step_id]}
                out.append(StepChange("changed", step_id, step.title, **numbers, **change))
        out += [
            StepChange("removed", i, old[i].title, old_numbers[i], None)
            for i in removed_after.get(step_id, [])
        ]
    return tuple(out)


def _moved(old_order: list[str], new_order: list[str]) -> set[str]:
    """The steps outside the longest run of steps kept in the same order: those are the ones moved
    (one step moved up is one move, not every step it passed)."""
    kept: set[str] = set()
    position = {step_id: n for n, step_id in enumerate(old_order)}
    # longest increasing subsequence of old positions, in new order (patience sorting)
    tails: list[int] = []
    links: dict[int, int | None] = {}
    ends: list[int] = []
    for n, step_id in enumerate(new_order):
        value = position[step_id]
        low, high = 0, len(tails)
        while low < high:
            mid = (low + high) // 2
            if tails[mid] < value:
                low = mid + 1
            else:
                high = mid
        links[n] = ends[low - 1] if low else None
        if low == len(tails):
            tails.append(value)
            ends.append(n)
        else:
            tails[low], ends[low] = value, n
    at = ends[-1] if ends else None
    while at is not None:
        kept.add(new_order[at])
        at = links[at]
    return set(new_order) - kept


def _removed_positions(old_order: list[str], new: dict) -> dict[str | None, list[str]]:
    """Each removed step under the nearest step before it that is still there (None: at the top)."""
    out: dict[str | None, list[str]] = {}
    anchor: str | None = None
    for step_id in old_order:
        if step_id in new:
            anchor = step_id
        else:
            out.setdefault(anchor, []).append(step_id)
    return out


def _step_change(old: Step, new: Step, moved: bool, words: dict[str, str]) -> dict | None:
    if old == new and not moved:
        return None  # most steps: compared once, not part by part
    fields = _fields(step_parts(old), step_parts(new))
    next_lines = text_change(_where(old.next, words), _where(new.next, words))
    branches = _branches(old, new, words)
    if not (fields or next_lines or branches or moved):
        return None
    retargeted = FieldChange("next", next_lines) if next_lines else None
    return {"moved": moved, "fields": fields, "retargeted": retargeted, "branches": branches}


def _branches(old: Step, new: Step, words: dict[str, str]) -> tuple[BranchChange, ...]:
    before = list(old.decision.branches) if old.decision else []
    after = list(new.decision.branches) if new.decision else []
    pairs, added, removed = _pair_branches(before, after)
    out: list[BranchChange] = []
    for a, b in pairs:
        fields = _fields(branch_parts(a), branch_parts(b))
        where = {"where_before": _where(a.goto, words), "where_after": _where(b.goto, words)}
        if a.goto != b.goto:
            out.append(BranchChange("retargeted", b.answer, a.goto, b.goto, fields, **where))
        elif fields:
            out.append(BranchChange("reworded", b.answer, a.goto, b.goto, fields, **where))
    out += [BranchChange("added", b.answer, None, b.goto, where_after=_where(b.goto, words)) for b in added]
    out += [
        BranchChange("removed", a.answer, a.goto, None, where_before=_where(a.goto, words)) for a in removed
    ]
    return tuple(out)


def _pair_branches(
    before: list[Branch], after: list[Branch]
) -> tuple[list[tuple[Branch, Branch]], list[Branch], list[Branch]]:
    """The same branch is the same answer; an answer reworded is still the same branch when it
    leads to the same place and no other answer there was kept."""
    new_by_answer = {b.answer.casefold(): b for b in after}
    pairs = [(a, new_by_answer[a.answer.casefold()]) for a in before if a.answer.casefold() in new_by_answer]
    kept = {id(b) for _, b in pairs} | {id(a) for a, _ in pairs}
    old_left = [a for a in before if id(a) not in kept]
    new_left = [b for b in after if id(b) not in kept]
    for a in list(old_left):
        same_place = [b for b in new_left if b.goto == a.goto]
        if len(same_place) == 1:
            pairs.append((a, same_place[0]))
            old_left.remove(a)
            new_left.remove(same_place[0])
    order = {id(b): n for n, b in enumerate(after)}
    pairs.sort(key=lambda pair: order[id(pair[1])])
    return pairs, new_left, old_left
