"""Small SOPs and quizzes written inline, for tests of the domain layer."""

from __future__ import annotations

from typing import Any

from sopkb.models.quiz import Quiz
from sopkb.models.sop import Sop


def sop(sop_id: str = "a", *, steps: list[dict] | None = None, **fields: Any) -> Sop:
    """An approved SOP with the given steps (default: one step) and any field overridden."""
    data: dict[str, Any] = {
        "id": sop_id,
        "title": f"SOP {sop_id}",
        "summary": "When to use it.",
        "category": "General",
        "status": "approved",
        "owner": "Ops",
        "version": "1",
        "effective": "2026-01-01",
        "review_by": "2099-01-01",
        "source": "Handbook",
        "objective": "Do it.",
    }
    if "sections" not in fields:
        data["steps"] = steps if steps is not None else [step("only")]
    return Sop.model_validate(data | fields)


def step(step_id: str, **fields: Any) -> dict:
    return {"id": step_id, "title": f"Step {step_id}"} | fields


def decision(*branches: tuple[str, str]) -> dict:
    """`decision=decision(("Yes", "record"), ("No", "end"))`: answers and where each goes."""
    return {"question": "Which?", "branches": [{"answer": a, "goto": goto} for a, goto in branches]}


def quiz(quiz_id: str, sop_id: str, title: str | None = None) -> Quiz:
    return Quiz.model_validate(
        {
            "id": quiz_id,
            "title": title or f"Quiz {quiz_id}",
            "sop": sop_id,
            "pass_mark": 80,
            "scenarios": [
                {
                    "id": "s",
                    "title": "A call",
                    "situation": "The customer calls.",
                    "questions": [
                        {
                            "id": "q",
                            "kind": "true-false",
                            "prompt": "True?",
                            "steps": ["only"],
                            "answer": True,
                            "if_true": "Right.",
                            "if_false": "Wrong.",
                        }
                    ],
                }
            ],
        }
    )
