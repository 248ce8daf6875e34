"""Each receipt checked against the KB as it is now: is it intact, current, and scored right?

A flag is a finding for the trainer, not an error in the file: the receipt still appears in the
roster, marked. Only a receipt that cannot be read at all is a located problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import Problem
from ..domain.knowledge_base import KnowledgeBase
from ..domain.quiz_identity import fingerprint
from ..loading.yaml_reader import read_yaml
from ..models.learning_path import ReadSopItem
from ..validation.schema import validate_document
from .checksum import assignment_id, checksum
from .model import FORMAT, Receipt
from .scoring import score


@dataclass
class QuizCheck:
    id: str
    title: str
    claimed: int
    verified: int | None  # None when the quiz is no longer in the KB
    passed: bool
    missed: tuple[str, ...] = ()


@dataclass
class CheckedReceipt:
    source: str
    receipt: Receipt
    quizzes: list[QuizCheck]
    flags: list[str] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        return not self.flags


def read_receipts(paths: list[Path], display) -> tuple[list[tuple[str, Receipt, dict]], list[Problem]]:  # noqa: ANN001
    """Receipts are JSON, which our YAML reader reads with positions, so a damaged one is located."""
    found, problems = [], []
    for path in paths:
        doc, read_problems = read_yaml(path, display(path))
        problems += read_problems
        if doc is None or read_problems:
            continue
        if not isinstance(doc.data, dict) or doc.data.get("format") != FORMAT:
            problems.append(doc.problem(("format",), f'not a sopkb receipt (it has no "format": "{FORMAT}")'))
            continue
        receipt, schema_problems = validate_document(doc, Receipt)
        problems += schema_problems
        if receipt is not None:
            found.append((doc.file, receipt, doc.data))
    return found, problems


def check_receipt(source: str, receipt: Receipt, raw: dict, kb: KnowledgeBase) -> CheckedReceipt:
    flags: list[str] = []
    if checksum(raw) != receipt.checksum:
        flags.append("altered: the checksum does not match the content")
    elif assignment_id(raw["assignment"]) != receipt.assignment.id:
        flags.append("altered: the assignment does not match its id")
    checks = [_check_quiz(result, kb, flags) for result in receipt.quizzes]
    _check_coverage(receipt, kb, flags)
    for read in receipt.sops_read:
        entry = kb.by_id.get(read.sop)
        if entry is None:
            flags.append(f"unknown SOP {read.sop!r}")
        elif entry.sop.version != read.version:
            flags.append(f"outdated: signed {read.sop} version {read.version}; it is now {entry.sop.version}")
    due = receipt.assignment.due
    if due and receipt.completed_at[:10] > due:
        flags.append(f"late: completed {receipt.completed_at[:10]}, due {due}")
    return CheckedReceipt(source, receipt, checks, flags)


def _check_quiz(result, kb: KnowledgeBase, flags: list[str]) -> QuizCheck:  # noqa: ANN001
    entry = kb.quiz_by_id.get(result.id)
    if entry is None:
        flags.append(f"unknown quiz {result.id!r}: not in this KB")
        return QuizCheck(result.id, result.title, result.score, None, False)
    if fingerprint(entry.quiz) != result.version:
        flags.append(f"outdated: {result.id} was taken in a version that has since changed")
    verified = score(entry.quiz, result.answers)
    passed = verified.percent >= entry.quiz.pass_mark
    if (verified.percent, verified.right, verified.total) != (result.score, result.right, result.total):
        flags.append(
            f"score mismatch: {result.id} claims {result.score}% ({result.right} of {result.total}); "
            f"its answers score {verified.percent}% ({verified.right} of {verified.total})"
        )
    elif result.passed != passed:
        flags.append(f"score mismatch: {result.id} claims passed={str(result.passed).lower()}")
    return QuizCheck(result.id, entry.quiz.title, result.score, verified.percent, passed, verified.missed)


def _check_coverage(receipt: Receipt, kb: KnowledgeBase, flags: list[str]) -> None:
    """Everything assigned is in the receipt (the path as it is now, plus the chosen quizzes)."""
    quizzes = set(receipt.assignment.quizzes)
    sops: set[str] = set()
    # `assignment.path` is the receipt's own key (links and receipts already issued use it)
    entry = next((p for p in kb.learning_paths if p.id == receipt.assignment.path), None)
    if receipt.assignment.path and entry is None:
        flags.append(f"unknown path {receipt.assignment.path!r}")
    for item in entry.learning_path.items() if entry else []:
        if isinstance(item, ReadSopItem):
            sops.add(item.sop)
        else:
            quizzes.add(item.quiz)
    missing = sorted(quizzes - {q.id for q in receipt.quizzes}) + sorted(
        sops - {s.sop for s in receipt.sops_read}
    )
    if missing:
        flags.append("incomplete: missing " + ", ".join(missing))
