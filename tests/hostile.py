"""A KB whose authors typed markup, script, link tricks and control characters in every field.

Every free-text field of every content model (SOP, section, step, decision, branch, call script,
documentation, quiz, scenario, every question kind, choice, learning path, module) is filled with
`marked(<its key path>)`, found by walking the models themselves. `uncovered_fields()` lists any
free-text field the fixture never fills, and a test requires it to be empty: a field added to a
model later fails that test until the fixture fills it too.
"""

from __future__ import annotations

import json
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sopkb.models.base import _number_as_written
from sopkb.models.learning_path import LearningPath
from sopkb.models.quiz import Quiz
from sopkb.models.sop import Sop

STRUCTURAL = {"goto", "next", "call", "timeout"}  # Text-typed, but a target the flow needs: never free text
HOSTILE_URL = 'https://evil.example/"><img/src=x/onerror=window.__xss=1>?q=<script>window.__xss=2</script>'
"""An external procedure's `url` must be http(s) to validate; this one is, and tries to leave its attribute."""


def marked(tag: str) -> str:
    """Hostile text that names where it came from. If any of it runs, `window.__xss` says where."""
    return (
        f'{tag} <img src=x onerror="window.__xss=\'{tag}\'"><script>window.__xss="{tag}"</script>'
        f'<svg onload="window.__xss=\'{tag}\'"> [link](javascript:window.__xss=1) "quoted" '
        f"&amp; \x1b[31mred\u202e{{ph}}"
    )


XSS_SHORT = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'


def _flat(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *meta = typing.get_args(annotation)
        if inner is str:
            return [("text" if any(getattr(m, "func", None) is _number_as_written for m in meta) else "str")]
        return _flat(inner)
    if origin in (typing.Union, types.UnionType, list):
        return [a for arg in typing.get_args(annotation) for a in _flat(arg)]
    return [annotation]


def _kinds(model: type[BaseModel], name: str) -> list[Any]:
    field = model.model_fields[name]
    kinds = _flat(field.annotation)
    if str in kinds and any(getattr(m, "func", None) is _number_as_written for m in field.metadata):
        kinds = ["text" if k is str else k for k in kinds]
    return kinds


def text_fields(model: type[BaseModel], seen: set | None = None) -> set[tuple[str, str]]:
    """(model, field) for every free-text field reachable from `model`."""
    seen = set() if seen is None else seen
    if model in seen:
        return set()
    seen.add(model)
    found = set()
    for name in model.model_fields:
        for kind in _kinds(model, name):
            if kind == "text" and name not in STRUCTURAL:
                found.add((model.__name__, name))
            elif isinstance(kind, type) and issubclass(kind, BaseModel):
                found |= text_fields(kind, seen)
    return found


FILLED: set[tuple[str, str]] = set()


def fill(data: Any, model: type[BaseModel], path: str = "") -> Any:
    """`data` with every free-text value replaced by `marked(key path)`; records what it filled."""
    out = dict(data)
    for name, value in data.items():
        kinds = _kinds(model, name)
        where = f"{path}.{name}" if path else name
        models = [k for k in kinds if isinstance(k, type) and issubclass(k, BaseModel)]
        out[name] = _fill_value(value, kinds, models, model, name, where)
    return out


def _fill_value(value: Any, kinds: list, models: list, owner: type, name: str, where: str) -> Any:
    if isinstance(value, list):
        return [_fill_value(v, kinds, models, owner, name, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, str) and "text" in kinds and name not in STRUCTURAL:
        FILLED.add((owner.__name__, name))
        return HOSTILE_URL if name == "url" else marked(where)
    if isinstance(value, dict) and models:
        member = next((m for m in models if _accepts(m, value)), models[0])
        return fill(value, member, where)
    return value


def _accepts(model: type[BaseModel], value: dict) -> bool:
    kind = model.model_fields.get("kind")
    if kind is not None:
        return value.get("kind") in typing.get_args(kind.annotation)
    return set(value) <= set(model.model_fields)


def _items(tag: str) -> list:
    return ["plain", {"text": "nested", "items": ["sub one", "sub two"]}]


def _step(step_id: str, title: str, **more: Any) -> dict:
    return {"id": step_id, "title": title, **more}


def refund_sop() -> dict:
    """Every SOP field, in a call flow: steps with every kind of content, a decision, a hand-off."""
    return {
        "id": "refund", "title": "Refund", "summary": "s", "category": "Billing", "tags": ["t1", "t2"],
        "keywords": ["k1", "k2"], "status": "approved", "owner": "o", "version": "1", "effective": "2026-01-01",
        "review_by": "2099-01-01", "source": "src", "background": "b", "objective": "o", "scope": "s",
        "responsibilities": [{"role": "r", "duties": _items("duties")}],
        "steps": [
            _step(
                "greet", "Greet", number="1", key=True, do=_items("do"), say=["say {customer_name}"],
                ask=["ask"], verify=_items("verify"), notes=["note"], review=["review"],
                decision={
                    "question": "q",
                    "branches": [
                        {"answer": "a1", "do": _items("do"), "say": ["s"], "goto": "check", "review": ["r"]},
                        {"answer": "a2", "goto": "sop:escalation"},
                    ],
                },
            ),
            _step(
                "check", "Check", key=True, do=["d"], order=["tables", "messages"], actor="a",
                wait={"duration": "30 seconds", "until": "u", "timeout": "record"},
                limit={"duration": "14 days", "what": "w"},
                callouts=[{"kind": "internal", "title": "t", "text": "c"}, {"kind": "warning", "text": "w"}],
                tables=[{"caption": "c", "columns": ["a", "b"], "rows": [["x", "y"]]}],
                messages=[{"channel": "email", "title": "t", "subject": "s {ph}", "body": "b\n\nsecond"}],
            ),
            _step("record", "Record", do=["d"], next="end"),
        ],
        "conclusion": "c",
        "changes": [{"version": "1", "date": "2026-01-01", "summary": "s"}],
        "documentation": {
            "dispositions": [{"label": "l", "code": "c", "when": "w"}], "record": _items("record"), "review": ["r"]
        },
        "call_scripts": [
            {"id": "s", "title": "t", "situation": "s", "lines": [
                {"speaker": "agent", "step": "greet", "text": "t"},
                {"speaker": "customer", "step": "check", "text": "t"},
            ]}
        ],
        "callouts": [{"kind": "compliance", "title": "t", "text": "c"}],
        "messages": [{"channel": "chat", "title": "t", "body": "b"}],
        "related": [{"sop": "escalation", "why": "w"}],
        "review": ["r"],
    }  # fmt: skip


def policy_sop() -> dict:
    """A sectioned policy, for the section fields."""
    return {
        "id": "policy", "title": "Policy", "summary": "s", "category": "General", "status": "needs-review",
        "owner": "o", "version": "2", "effective": "2026-01-01", "review_by": "2099-01-01", "source": "s",
        "objective": "o",
        "starts": [{"when": "w1", "step": "first"}, {"when": "w2", "step": "second"}],
        "sections": [
            {"id": "one", "title": "One", "number": "A", "intro": "i", "review": ["r"],
             "steps": [_step("first", "First", do=["d"], call="sop:escalation"),
                       _step("second", "Second", say=["s"], next="ext:billing")]},
        ],
        "external": [{"id": "billing", "title": "t", "url": "u", "identifier": "i"}],
    }  # fmt: skip


def quiz() -> dict:
    """Every question kind, with every optional field."""

    def choices(n: int = 2) -> list[dict]:
        return [{"text": f"c{i}", "correct": i == 0, "feedback": "f"} for i in range(n)]

    base = {"prompt": "p", "steps": ["greet"], "explanation": "e"}
    return {
        "id": "refund-basics", "title": "Quiz", "sop": "refund", "pass_mark": 50, "summary": "s",
        "scenarios": [{
            "id": "s", "title": "t", "situation": "s",
            "transcript": [{"speaker": "customer", "text": "t"}, {"speaker": "agent", "text": "t"}],
            "questions": [
                {"id": "q-single", "kind": "single", **base, "choices": choices()},
                {"id": "q-multiple", "kind": "multiple", **base,
                 "choices": [{"text": "m0", "correct": True, "feedback": "f"},
                             {"text": "m1", "correct": True, "feedback": "f"},
                             {"text": "m2", "feedback": "f"}]},
                {"id": "q-say", "kind": "say", **base, "choices": choices(3)},
                {"id": "q-tf", "kind": "true-false", **base, "answer": True, "if_true": "t", "if_false": "f"},
                {"id": "q-order", "kind": "order", **base, "items": ["greet", "check", "record"],
                 "steps": ["greet", "check", "record"]},
            ],
        }],
    }  # fmt: skip


def path() -> dict:
    return {
        "id": "billing-basics", "title": "Path", "summary": "s", "audience": "a",
        "modules": [{"id": "m", "title": "t", "intro": "i", "items": [
            {"sop": "refund"}, {"quiz": "refund-basics"}, {"quiz": "drill-refund"}]}],
    }  # fmt: skip


def hostile_sources() -> dict[str, dict]:
    """Source file (relative to the KB) -> its hostile content."""
    FILLED.clear()
    return {
        "sops/refund.yaml": fill(refund_sop(), Sop),
        "sops/policy.yaml": fill(policy_sop(), Sop),
        "quizzes/refund-basics.yaml": fill(quiz(), Quiz),
        "paths/billing-basics.yaml": fill(path(), LearningPath),
    }


def uncovered_fields() -> set[tuple[str, str]]:
    hostile_sources()
    wanted = text_fields(Sop) | text_fields(Quiz) | text_fields(LearningPath)
    return wanted - FILLED


def write_hostile_kb(root: Path) -> None:
    """Into a copy of tests/fixtures/kb-small: its escalation SOP stays, the rest is hostile."""
    for name, data in hostile_sources().items():
        file = root / name
        # JSON is YAML: every hostile character arrives exactly as written
        file.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
