"""The trainer's roster of checked receipts: a CSV for spreadsheets and an HTML page with charts
(and, per learner, the SOPs to sign again).

Pure functions from checked receipts to text; the CLI writes the files. Receipts come from
learners, so every text in them is untrusted: the HTML escapes it and carries a policy that
runs nothing, and the CSV neutralises cells a spreadsheet would take for a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..core import csp
from ..core.resources import builtin_templates
from ..domain.knowledge_base import KnowledgeBase
from ..text.markdown import plain
from .resign import to_sign_again
from .verify import CheckedReceipt

COLUMNS = [
    "learner", "cohort", "assignment", "assignment_id", "due", "completed_at", "status",
    "quizzes_passed", "quizzes", "average_score", "sops_signed", "scores", "flags", "receipt",
]  # fmt: skip


@dataclass(frozen=True)
class QuizStat:
    id: str
    title: str
    learners: int
    average: int
    pass_rate: int


@dataclass(frozen=True)
class MissedQuestion:
    quiz: str
    question: str
    prompt: str
    missed: int
    answered: int

    @property
    def rate(self) -> int:
        return round(100 * self.missed / self.answered)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A cell a spreadsheet would run as a formula (OWASP CSV injection) starts with `'`, which
    spreadsheets show as text. Leading spaces do not hide a formula: some spreadsheets trim them."""
    if not isinstance(value, str):
        return value
    if value.startswith(("\t", "\r")) or value.lstrip().startswith(_FORMULA_START):
        return "'" + value
    return value


def roster_csv(checked: list[CheckedReceipt]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\r\n")  # RFC 4180: a CR or LF in a cell is quoted
    writer.writeheader()
    for row in _rows(checked):
        writer.writerow({column: spreadsheet_safe(row[column]) for column in COLUMNS})
    return out.getvalue()


def _rows(checked: list[CheckedReceipt]) -> list[dict]:
    rows = []
    for c in checked:
        r, a = c.receipt, c.receipt.assignment
        scores = [q.verified for q in c.quizzes if q.verified is not None]
        rows.append(
            {
                "learner": r.learner,
                "cohort": a.cohort or "",
                "assignment": a.title,
                "assignment_id": a.id,
                "due": a.due or "",
                "completed_at": r.completed_at,
                "status": "verified" if c.verified else "flagged",
                "quizzes_passed": sum(q.passed for q in c.quizzes),
                "quizzes": len(c.quizzes),
                "average_score": round(sum(scores) / len(scores)) if scores else "",
                "sops_signed": len(r.sops_read),
                "scores": "; ".join(
                    f"{q.id}={q.verified if q.verified is not None else '?'}%" for q in c.quizzes
                ),
                "flags": "; ".join(c.flags),
                "flag_list": c.flags,
                "receipt": c.source,
            }
        )
    return rows


def quiz_stats(checked: list[CheckedReceipt]) -> list[QuizStat]:
    by_quiz: dict[str, list] = defaultdict(list)
    for c in checked:
        for q in c.quizzes:
            if q.verified is not None:
                by_quiz[q.id].append(q)
    return [
        QuizStat(
            quiz_id,
            plain(results[0].title),
            len(results),
            round(sum(q.verified for q in results) / len(results)),
            round(100 * sum(q.passed for q in results) / len(results)),
        )
        for quiz_id, results in sorted(by_quiz.items())
    ]


def most_missed(checked: list[CheckedReceipt], kb: KnowledgeBase, limit: int = 10) -> list[MissedQuestion]:
    answered: dict[tuple[str, str], int] = defaultdict(int)
    missed: dict[tuple[str, str], int] = defaultdict(int)
    for c in checked:
        for q in c.quizzes:
            entry = kb.quiz_by_id.get(q.id)
            if q.verified is None or entry is None:
                continue
            for question in entry.quiz.questions():
                answered[(q.id, question.id)] += 1
                missed[(q.id, question.id)] += question.id in q.missed
    prompts = {
        (entry.id, question.id): plain(question.prompt)
        for entry in kb.quizzes
        for question in entry.quiz.questions()
        if (entry.id, question.id) in answered
    }
    found = [MissedQuestion(k[0], k[1], prompts[k], missed[k], answered[k]) for k in answered if missed[k]]
    return sorted(found, key=lambda m: (-m.rate, -m.missed, m.quiz, m.question))[:limit]


def roster_html(checked: list[CheckedReceipt], kb: KnowledgeBase, site_name: str) -> str:
    env = Environment(
        loader=FileSystemLoader(str(builtin_templates() / "report")),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    html = env.get_template("roster.html.j2").render(
        site_name=site_name,
        rows=_rows(checked),
        stats=quiz_stats(checked),
        missed=most_missed(checked, kb),
        generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        flagged=sum(not c.verified for c in checked),
        again=to_sign_again(checked, kb),
    )
    return csp.with_standalone_policy(html)
