"""Checks of what ties a procedure to others: procedures outside the KB (`external`, `ext:` targets
and Markdown links), `sop:` targets and Markdown links, several starts, and calls, which must come back.

A call cycle (A calls B, B calls A) would never come back, so it is an error at each call on it.
The check runs on the SOPs' call graph (one node per SOP), linear in SOPs + calls.
"""

from __future__ import annotations

import difflib
import re
from collections import deque
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ..core.errors import Problem
from ..core.key_path import KeyPath
from ..domain.flow import EXTERNAL_PREFIX, SOP_PREFIX, Destination
from ..text.markdown import EXTERNAL_LINK, SOP_LINK, link_targets
from . import once_per_document, one_of
from .loops import MAX_NAMED_SOPS, strongly_connected
from .schema import shown

if TYPE_CHECKING:
    from .references import LoadedSop

CLOSEST = 3  # ids suggested for an unknown `ext:` id: the closest few, never every one
_NOT_LINKS = {"id", "goto", "next", "call", "timeout", "url", "step", "sop"}  # ids and targets, not Markdown


def check_procedure_parts(
    item: LoadedSop,
    step_ids: list[str],
    step_sets: dict[str, set[str]],
    unchecked_ids: set[str] = frozenset(),
) -> list[Problem]:
    """`step_ids`: the SOP's own steps in order; `step_sets`: every SOP's steps by SOP id;
    `unchecked_ids`: SOPs whose files failed to load (links to them are not reported)."""
    return (
        _check_external(item, step_sets)
        + _check_starts(item, step_ids)
        + _check_links(item, step_sets, unchecked_ids)
    )


def check_sop_target(
    item: LoadedSop, path: KeyPath, sop_id: str, step: str | None, step_sets: dict[str, set[str]]
) -> list[Problem]:
    """`sop:<id>` (in a goto, a call or a Markdown link) names an SOP of the KB, and `#<step>` one
    of its steps; if not, the message names the closest (or every one, when there are few)."""
    steps = step_sets.get(sop_id)
    if steps is None:
        known = f"; expected one of: {one_of(sorted(step_sets), sop_id)}" if step_sets else ""
        return [item.doc.problem(path, f"unknown SOP {sop_id!r}{known}")]
    if step is not None and step not in steps:
        message = f"SOP {sop_id!r} has no step {step!r}; expected one of: {one_of(sorted(steps), step)}"
        return [item.doc.problem(path, message)]
    return []


def unknown_external(
    item: LoadedSop, path: KeyPath, ext_id: str, step_sets: dict[str, set[str]]
) -> list[Problem]:
    """`ext:<id>` must name one of the SOP's `external` procedures."""
    known = [e.id for e in item.sop.external]
    if ext_id in known:
        return []
    message = f"unknown external procedure {ext_id!r}"
    close = difflib.get_close_matches(ext_id, known, n=CLOSEST, cutoff=0.6)
    if ext_id in step_sets:
        message += f"; SOP {ext_id!r} is in the KB: use {SOP_PREFIX}{ext_id}"
    elif close:
        message += f"; the closest: {', '.join(EXTERNAL_PREFIX + c for c in close)}"
    else:
        message += "; list it under `external` (its id, title, and url or identifier)"
    return [item.doc.problem(path, message)]


def _check_external(item: LoadedSop, step_sets: dict[str, set[str]]) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    for i, procedure in enumerate(item.sop.external):
        if procedure.id in seen:
            problems.append(
                item.doc.problem(("external", i, "id"), f"duplicate external procedure id {procedure.id!r}")
            )
        elif procedure.id in step_sets:
            message = f"external procedure {procedure.id!r} is now in the KB: use {SOP_PREFIX}{procedure.id}"
            problems.append(item.doc.problem(("external", i, "id"), message, severity="warning"))
        seen.add(procedure.id)
        if procedure.url is None and procedure.identifier is None:
            message = (
                f"external procedure {procedure.id!r} does not say where to find it: give its `url` "
                "(an http(s) address) or its `identifier` (like 'KB-1234 in Salesforce')"
            )
            problems.append(item.doc.problem(("external", i), message, severity="warning"))
        for reason in web_address_problems(procedure.url) if procedure.url is not None else []:
            problems.append(item.doc.problem(("external", i, "url"), reason))
    return problems


_ENCODED_CONTROL = re.compile(r"%(?:[01][0-9a-f]|7f)", re.IGNORECASE)


def web_address_problems(url: str) -> list[str]:
    """Why `url` is not an http(s) address a reader may open; none if it is. Refused: other schemes
    (`javascript:`, `data:`, `file:`), relative paths, anything a browser would read differently
    (spaces, control characters, backslashes, an encoded control character like `%00`), a user name
    or password (never quoted back: it is a secret), and a port outside 1-65535."""
    not_web = [f"expected an http:// or https:// address but received: {shown(url)}"]
    if any(c.isspace() or ord(c) < 32 or c in "\\\x7f" for c in url):
        return not_web
    try:
        parts = urlsplit(url)
    except ValueError:  # a malformed host: `http://[::1`
        return not_web
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return not_web
    reasons = []
    if parts.username is not None or parts.password is not None:
        reasons.append("an address must not hold a user name or password (`user:password@`): remove them")
    try:
        port = parts.port
    except ValueError:  # not a number, or over 65535
        port = 0
    if port == 0:
        host_and_port = parts.netloc.rpartition("@")[2]
        reasons.append(f"expected a port from 1 to 65535 in the address but received: {shown(host_and_port)}")
    control = _ENCODED_CONTROL.search(url)
    if control is not None:
        what = "an encoded control character (%00 to %1F, %7F)"
        reasons.append(f"an address must not hold {what} but received: {control.group(0)!r}")
    return reasons


def is_web_address(url: str) -> bool:
    """Whether `url` is an http(s) address a reader may open (see `web_address_problems`)."""
    return not web_address_problems(url)


def _check_starts(item: LoadedSop, step_ids: list[str]) -> list[Problem]:
    problems = []
    own = set(step_ids)
    seen: set[str] = set()
    for i, start in enumerate(item.sop.starts):
        if start.step not in own:
            problems.append(
                item.doc.problem(
                    ("starts", i, "step"),
                    f"unknown step {start.step!r}; expected one of: {one_of(step_ids, start.step)}",
                )
            )
        if start.when.casefold() in seen:
            problems.append(item.doc.problem(("starts", i, "when"), f"duplicate situation {start.when!r}"))
        seen.add(start.when.casefold())
    return problems


def _check_links(item: LoadedSop, step_sets: dict[str, set[str]], unchecked_ids: set[str]) -> list[Problem]:
    """`[Billing SOP](ext:billing)` and `[Verify](sop:identity#ask-name)` in any Markdown text of
    the SOP name a listed external procedure, an SOP of the KB and a step of it."""
    problems = []
    texts = once_per_document(item.doc, "link texts", lambda: _texts(item.doc.data, ()))
    for path, text in texts:
        for href in link_targets(text):
            if href.startswith(EXTERNAL_LINK):
                problems += unknown_external(item, path, href[len(EXTERNAL_LINK) :], step_sets)
            elif href.startswith(SOP_LINK):
                sop_id, hash_sign, step = href[len(SOP_LINK) :].partition("#")
                if sop_id not in unchecked_ids:
                    problems += check_sop_target(item, path, sop_id, step if hash_sign else None, step_sets)
    return problems


def _texts(data: Any, root: KeyPath) -> list[tuple[KeyPath, str]]:
    """Every string in the source that may hold an `ext:` or `sop:` link, with its key path. A loop
    over an explicit stack, not recursion: this looks at every value of every SOP on each validation."""
    found = []
    stack: list[tuple[KeyPath, Any]] = [(root, data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if EXTERNAL_LINK in value or SOP_LINK in value:
                found.append((path, value))
        elif isinstance(value, dict):
            stack += [((*path, k), v) for k, v in value.items() if k not in _NOT_LINKS]
        elif isinstance(value, list):
            stack += [((*path, i), v) for i, v in enumerate(value)]
    return found  # in no particular order: problems are reported sorted by position


def step_calls(item: LoadedSop) -> list[tuple[KeyPath, str]]:
    """Each step's `call`, with where it is written: worked out once per document."""

    def calls() -> list[tuple[KeyPath, str]]:
        found = []
        for base, section in item.sop.located_sections():
            found += [((*base, s, "call"), step.call) for s, step in enumerate(section.steps) if step.call]
        return found

    return once_per_document(item.doc, "calls", calls)


def check_call_cycles(items: list[LoadedSop]) -> list[Problem]:
    """Each call on a cycle of calls (A calls B … calls A), located at the call. `items`: one SOP
    per id."""
    index = {item.sop.id: i for i, item in enumerate(items)}
    calls: list[tuple[int, KeyPath, int]] = []  # (caller, where, callee)
    successors: list[list[int]] = [[] for _ in items]
    for caller, item in enumerate(items):
        for where, call in step_calls(item):
            target = Destination.parse(call)
            if target.kind == "sop" and target.sop in index:
                callee = index[target.sop or ""]
                calls.append((caller, where, callee))
                successors[caller].append(callee)
    if not calls:
        return []
    callers = sorted({caller for caller, _, _ in calls})
    component = {
        n: c
        for c, members in enumerate(strongly_connected(callers, successors, set(callers)))
        for n in members
    }
    problems = []
    for caller, where, callee in calls:
        if caller == callee or (callee in component and component[callee] == component[caller]):
            cycle = [items[n].sop.id for n in [caller, *_path(successors, callee, caller)]]
            problems.append(items[caller].doc.problem(where, _cycle_message(cycle)))
    return problems


def _path(successors: list[list[int]], start: int, goal: int) -> list[int]:
    """The shortest chain of calls from `start` to `goal`, both included (breadth first)."""
    before: dict[int, int] = {start: start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            break
        for after in successors[node]:
            if after not in before:
                before[after] = node
                queue.append(after)
    chain = [goal]
    while chain[-1] != start:
        chain.append(before[chain[-1]])
    return chain[::-1]


def _cycle_message(cycle: list[str]) -> str:
    if len(cycle) == 2:
        return f"call cycle: SOP {cycle[0]!r} calls itself; a called procedure must come back"
    shown_ids = [repr(i) for i in cycle]
    if len(shown_ids) > MAX_NAMED_SOPS + 1:
        shown_ids = [*shown_ids[:MAX_NAMED_SOPS], "…", shown_ids[-1]]
    chain = " calls ".join(shown_ids)
    return f"call cycle: {chain}; a called procedure must come back, not call its caller again"
