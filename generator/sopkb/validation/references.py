"""Checks across the whole KB: ids, references, and that every flow can be followed to an end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..core.errors import Problem
from ..core.key_path import KeyPath
from ..domain.flow import END, EXTERNAL_PREFIX, SOP_PREFIX, Destination, Flow
from ..loading.document import Document
from ..models.sop import Sop
from . import duplicate_ids, once_per_document, one_of
from .loops import check_flows
from .procedures import (
    check_call_cycles,
    check_procedure_parts,
    check_sop_target,
    step_calls,
    unknown_external,
)
from .source_memo import NoMemo, SourceMemo


@dataclass
class LoadedSop:
    sop: Sop
    doc: Document
    flow: Flow


def check_sops(
    loaded: list[LoadedSop],
    today: dt.date,
    unchecked_ids: set[str] = frozenset(),
    memo: SourceMemo | None = None,
) -> list[Problem]:
    """`unchecked_ids`: SOPs whose files failed to load; links to them are not reported as unknown.
    `memo` (`sopkb serve`): an unchanged SOP's own checks against the others are kept while what
    they read of the others is the same (every SOP's id and steps, the SOPs that failed to load),
    so a save that changes no SOP's id or steps checks again only the SOPs it changed."""
    memo = memo or NoMemo()
    problems = duplicate_ids([(item.sop.id, item.doc) for item in loaded], "SOP")
    by_id: dict[str, LoadedSop] = {}
    for item in loaded:
        by_id.setdefault(item.sop.id, item)
    step_sets = {sop_id: _step_ids(item)[1] for sop_id, item in by_id.items()}
    others = memo.generation("SOP ids and steps", (step_sets, set(unchecked_ids)))
    unambiguous = []  # with a duplicate step id the graph is ambiguous: its flow is not checked
    for item in loaded:
        work = lambda item=item: _check_against_others(item, today, by_id, step_sets, unchecked_ids)  # noqa: E731
        found, clear = memo.derived(item.sop, ("checked against others", others), work)
        problems += found
        if clear:
            unambiguous.append(item)
    return problems + check_flows(unambiguous, by_id) + check_call_cycles(list(by_id.values()))


def _check_against_others(
    item: LoadedSop,
    today: dt.date,
    by_id: dict[str, LoadedSop],
    step_sets: dict[str, set[str]],
    unchecked_ids: set[str],
) -> tuple[list[Problem], bool]:
    """One SOP's problems, and whether its step ids are unambiguous (else its flow is not checked).
    Reads of the others only their ids (`by_id`'s keys are `step_sets`'), their steps, and which
    failed to load."""
    step_ids = _step_ids(item)[0]
    problems = list(once_per_document(item.doc, "ids", lambda: _check_ids(item)))
    problems += _check_targets(item, step_ids, step_sets, unchecked_ids)
    problems += _check_calls(item, step_sets, unchecked_ids)
    problems += check_procedure_parts(item, step_ids, step_sets, unchecked_ids)
    problems += once_per_document(item.doc, "scripts", lambda: _check_scripts(item, step_ids))
    problems += _check_related(item, by_id, unchecked_ids)
    problems += _check_dates(item, today)
    return problems, len(set(step_ids)) == len(step_ids)


def _step_ids(item: LoadedSop) -> tuple[list[str], set[str]]:
    """The SOP's step ids in order, and as a set: once per document."""

    def ids() -> tuple[list[str], set[str]]:
        listed = [s.id for s in item.sop.all_steps()]
        return listed, set(listed)

    return once_per_document(item.doc, "step ids", ids)


def _duplicates(doc: Document, entries: Iterable[tuple[str, tuple]], what: str) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for value, path in entries:
        if value in seen:
            problems.append(doc.problem(path, f"duplicate {what} {value!r}"))
        seen.add(value)
    return problems


def _check_ids(item: LoadedSop) -> list[Problem]:
    sop, doc = item.sop, item.doc
    problems = _duplicates(
        doc, [(step.id, (*path, "id")) for path, step in _steps_with_paths(sop)], "step id"
    )
    if sop.sections is not None:
        problems += _duplicates(
            doc, [(s.id, ("sections", i, "id")) for i, s in enumerate(sop.sections)], "section id"
        )
    problems += _duplicates(
        doc, [(c.id, ("call_scripts", i, "id")) for i, c in enumerate(sop.call_scripts)], "call script id"
    )
    for path, step in _steps_with_paths(sop):
        if step.id == END:
            problems.append(doc.problem((*path, "id"), "'end' is reserved for the end of a procedure"))
        if step.decision is not None:
            if step.next is not None:
                problems.append(
                    doc.problem(
                        (*path, "next"), "a step with a decision goes where its branches say; remove `next`"
                    )
                )
            answers = [
                (b.answer.casefold(), (*path, "decision", "branches", i, "answer"))
                for i, b in enumerate(step.decision.branches)
            ]
            problems += _duplicates(doc, answers, "answer")
    return problems


def _steps_with_paths(sop: Sop):
    for base, section in sop.located_sections():
        for i, step in enumerate(section.steps):
            yield (*base, i), step


def _check_targets(
    item: LoadedSop, step_ids: list[str], step_sets: dict[str, set[str]], unchecked_ids: set[str]
) -> list[Problem]:
    """`step_ids` in order, for messages; `step_sets[sop_id]` for lookups, built once per SOP (a
    list searched per edge was quadratic on long SOPs). Gotos to the SOP's own steps are checked
    once per document; those naming other SOPs, on every reading (the others may have changed)."""
    problems = list(once_per_document(item.doc, "step targets", lambda: _unknown_steps(item, step_ids)))
    for key_path, target in once_per_document(item.doc, "other targets", lambda: _other_targets(item)):
        if target.kind == "sop" and target.sop not in unchecked_ids:
            problems += check_sop_target(item, key_path, target.sop or "", target.step, step_sets)
        elif target.kind == "external":
            problems += unknown_external(item, key_path, target.external or "", step_sets)
    return problems


def _written_targets(item: LoadedSop) -> Iterator[tuple[KeyPath, Destination]]:
    for edges in item.flow.edges.values():
        for edge in edges:
            if not edge.implicit:
                yield edge.key_path, edge.target


def _unknown_steps(item: LoadedSop, step_ids: list[str]) -> list[Problem]:
    own = set(step_ids)
    problems = []
    for key_path, target in _written_targets(item):
        if target.kind == "step" and target.step not in own:
            choices = one_of([*step_ids, END, f"{SOP_PREFIX}<sop-id>"], target.step or "")
            message = f"unknown step {target.step!r}; expected one of: {choices}"
            problems.append(item.doc.problem(key_path, message))
    return problems


def _other_targets(item: LoadedSop) -> list[tuple[KeyPath, Destination]]:
    return [(path, target) for path, target in _written_targets(item) if target.kind in ("sop", "external")]


CALL_TARGETS = f"`{SOP_PREFIX}<sop-id>` (optionally `#<step-id>`) or `{EXTERNAL_PREFIX}<id>`"


def _check_calls(item: LoadedSop, step_sets: dict[str, set[str]], unchecked_ids: set[str]) -> list[Problem]:
    """A `call` names another procedure, which must exist (an SOP and its anchor step, or one of
    the SOP's `external` procedures)."""
    problems = []
    for where, call in step_calls(item):
        target = Destination.parse(call)
        if target.kind == "sop" and target.sop not in unchecked_ids:
            problems += check_sop_target(item, where, target.sop or "", target.step, step_sets)
        elif target.kind == "external":
            problems += unknown_external(item, where, target.external or "", step_sets)
        elif target.kind in ("step", "end"):
            message = (
                f"a call names another procedure: {CALL_TARGETS}; to go on to a step of this SOP, use `next`"
            )
            problems.append(item.doc.problem(where, message))
    return problems


def _known(by_id: dict[str, object], written: str) -> str:
    return f"; expected one of: {one_of(sorted(by_id), written)}" if by_id else ""


def _check_scripts(item: LoadedSop, step_ids: list[str]) -> list[Problem]:
    known = set(step_ids)
    problems = []
    for c_i, script in enumerate(item.sop.call_scripts):
        for l_i, line in enumerate(script.lines):
            if line.step not in known:
                problems.append(
                    item.doc.problem(
                        ("call_scripts", c_i, "lines", l_i, "step"),
                        f"unknown step {line.step!r}; expected one of: {one_of(step_ids, line.step)}",
                    )
                )
    return problems


def _check_related(item: LoadedSop, by_id: dict[str, LoadedSop], unchecked_ids: set[str]) -> list[Problem]:
    problems = []
    for i, related in enumerate(item.sop.related):
        path = ("related", i, "sop")
        if related.sop == item.sop.id:
            problems.append(item.doc.problem(path, "an SOP cannot be related to itself"))
        elif related.sop not in by_id and related.sop not in unchecked_ids:
            problems.append(
                item.doc.problem(path, f"unknown SOP {related.sop!r}" + _known(by_id, related.sop))
            )
    return problems


def _check_dates(item: LoadedSop, today: dt.date) -> list[Problem]:
    """Dates written as `unknown` are not compared (`sopkb report --stale` lists them)."""
    sop = item.sop
    if not isinstance(sop.review_by, dt.date):
        return []
    if isinstance(sop.effective, dt.date) and sop.review_by < sop.effective:
        return [
            item.doc.problem(
                ("review_by",), f"review date {sop.review_by} is before the effective date {sop.effective}"
            )
        ]
    if sop.review_by < today:
        return [
            item.doc.problem(
                ("review_by",),
                f"review date {sop.review_by} has passed; review the SOP and set a new date",
                severity="warning",
            )
        ]
    return []
