"""Every draft validates: it is checked as `sopkb validate` checks an SOP (schema, references,
flow, content), and a part that would make it invalid is degraded, never written broken: a step
becomes a plain step with all its text in `do` and a review note saying why; an optional field
that fails moves its text into a review note."""

from __future__ import annotations

import copy
import datetime as dt
import re

from ..core.errors import Problem
from ..domain.flow import build_flow
from ..loading.yaml_reader import read_yaml_text
from ..models.sop import Sop
from ..validation.content import check_content
from ..validation.references import LoadedSop, check_sops
from ..validation.schema import validate_document
from .emit import dump
from .sentences import texts_in

_STEP = re.compile(r"^(?:sections\[(\d+)\]\.)?steps\[(\d+)\]")
_NOT_TEXT = {
    "id",
    "goto",
    "next",
    "call",
    "timeout",
    "step",
    "sop",
    "speaker",
    "kind",
    "channel",
    "duration",
    "number",
}
ROUNDS = 4


def problems_of(data: dict, display: str, known_ids: set[str], today: dt.date | None = None) -> list[Problem]:
    """The errors `sopkb validate` would report for this draft alone (the KB's SOPs counted as present)."""
    doc, problems = read_yaml_text(dump(data, "schema.json"), display)
    if doc is None:
        return problems
    sop, schema_problems = validate_document(doc, Sop)
    problems += schema_problems
    if sop is not None:
        loaded = LoadedSop(sop, doc, build_flow(sop))
        problems += check_sops([loaded], today or dt.date.today(), set(known_ids) - {sop.id})
        problems += check_content(sop, doc)
    return [p for p in problems if p.severity == "error"]


def valid_draft(data: dict, display: str, known_ids: set[str]) -> tuple[dict, list[Problem]]:
    """The draft, degraded where it had to be, and the errors left (none, unless a bug)."""
    data = _unlinked(copy.deepcopy(data), known_ids)
    for round_ in range(ROUNDS):
        problems = problems_of(data, display, known_ids)
        if not problems:
            return data, []
        if round_ < ROUNDS - 2:
            for problem in problems:
                _degrade(data, problem)
        else:
            _plain_everywhere(data, problems)
    return data, problems_of(data, display, known_ids)


_KB_LINK = re.compile(r"\]\((\s*<?)(sop|ext):([^)\s>#]*)")


def _unlinked(data: object, known_ids: set[str], ext_ids: set[str] | None = None) -> object:
    """A source's own `[text](sop:…)` or `(ext:…)` link to nothing in the KB or the draft stays as
    the text it was (`]\\(` is not a link), instead of failing the link check."""
    if ext_ids is None and isinstance(data, dict):
        ext_ids = {e.get("id") for e in data.get("external") or [] if isinstance(e, dict)}
    ext_ids = ext_ids or set()
    if isinstance(data, str):

        def one(match: re.Match) -> str:
            known = known_ids if match.group(2) == "sop" else ext_ids
            return match.group(0) if match.group(3) in known else "]\\(" + match.group(0)[2:]

        return _KB_LINK.sub(one, data)
    if isinstance(data, list):
        return [_unlinked(item, known_ids, ext_ids) for item in data]
    if isinstance(data, dict):
        return {k: v if k in _NOT_TEXT else _unlinked(v, known_ids, ext_ids) for k, v in data.items()}
    return data


def _steps_at(data: dict, problem: Problem) -> tuple[list, int] | None:
    match = _STEP.match(problem.key_path)
    if match is None:
        return None
    section, index = match.group(1), int(match.group(2))
    steps = data["sections"][int(section)]["steps"] if section is not None else data.get("steps")
    if not isinstance(steps, list) or index >= len(steps):
        return None
    return steps, index


def _degrade(data: dict, problem: Problem) -> None:
    found = _steps_at(data, problem)
    if found is not None:
        steps, index = found
        steps[index] = plain_step(steps[index], problem.message)
        return
    key = problem.key_path.split(".")[0].split("[")[0]
    if key in (
        "call_scripts",
        "related",
        "external",
        "documentation",
        "callouts",
        "starts",
        "keywords",
        "responsibilities",
    ):
        moved = [t for t in _texts(data.pop(key, None))]
        data.setdefault("review", []).append(
            f"Could not be kept as `{key}` ({problem.message}): " + " ".join(moved)
        )
    elif key in ("scope", "background", "conclusion", "summary", "objective", "title", "source"):
        data.setdefault("review", []).append(f"`{key}` was not valid as drafted ({problem.message}).")
        if key in ("scope", "background", "conclusion"):
            data["review"].append(str(data.pop(key, "")))


def plain_step(step: dict, why: str) -> dict:
    """A step with its title and every text it held as things to do, and why."""
    texts = [
        t for t in _texts({k: v for k, v in step.items() if k not in ("id", "title", "review")}) if t.strip()
    ]
    plain: dict = {"id": step["id"], "title": step.get("title") or "Step"}
    if texts:
        plain["do"] = list(dict.fromkeys(texts))
    plain["review"] = [
        *step.get("review", []),
        f"Imported as a plain step: the mapping was not valid ({why}).",
    ]
    return plain


def _plain_everywhere(data: dict, problems: list[Problem]) -> None:
    why = problems[0].message if problems else "invalid"
    groups = [s["steps"] for s in data.get("sections") or []] or [data.get("steps") or []]
    for steps in groups:
        for i, step in enumerate(steps):
            if set(step) - {"id", "title", "do", "review", "number"}:
                steps[i] = plain_step(step, why)
    for key in ("call_scripts", "related", "external", "starts"):
        if key in data:
            data.setdefault("review", []).append(
                f"Could not be kept as `{key}`: " + " ".join(_texts(data.pop(key)))
            )


def _texts(value: object) -> list[str]:
    if isinstance(value, dict):
        return [t for k, v in value.items() if k not in _NOT_TEXT for t in _texts(v)]
    return list(texts_in(value)) if value is not None else []
