"""The receipt a learner downloads when an assignment is complete (written by assignment.js in the browser).

Checked strictly, so a receipt edited by hand into another shape is reported with its position.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..models.base import Model

FORMAT = "sopkb-receipt"


class Assignment(Model):
    id: str
    v: Literal[1]
    title: str
    cohort: str | None = None
    due: str | None = None
    trainer: str | None = None
    path: str | None = None
    quizzes: list[str]
    created: str | None = None


class QuizResult(Model):
    id: str
    title: str
    version: str = Field(description="The quiz's content fingerprint when it was taken.")
    sop: str
    pass_mark: int
    score: int
    right: int
    total: int
    passed: bool
    attempts: int
    answered_at: str
    answers: dict[str, list[str]]


class SignedSop(Model):
    sop: str
    title: str
    version: str
    signed_at: str


class Receipt(Model):
    format: Literal["sopkb-receipt"]
    format_version: Literal[1]
    site: str
    learner: str = Field(min_length=1)
    assignment: Assignment
    quizzes: list[QuizResult]
    sops_read: list[SignedSop]
    completed_at: str
    issued_at: str
    checksum: str
