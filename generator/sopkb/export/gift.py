"""GIFT, Moodle's plain-text question format (docs.moodle.org/en/GIFT_format).

Text is plain (Markdown formatting dropped) with GIFT's special characters escaped.
"""

from __future__ import annotations

from ..domain.knowledge_base import KnowledgeBase, QuizEntry
from ..text.markdown import plain
from .common import Exported, fraction, ordinal, questions

_SPECIAL = "\\~=#{}:"


def escape(text: str) -> str:
    out = "".join("\\" + ch if ch in _SPECIAL else ch for ch in text)
    return out.replace("\r", "").replace("\n", "\\n")


def write(kb: KnowledgeBase, quizzes: list[QuizEntry], site_name: str) -> bytes:
    blocks = [f"// Exported by sopkb from {escape(site_name)}. GIFT format: docs.moodle.org/en/GIFT_format"]
    for quiz in quizzes:
        blocks.append(f"$CATEGORY: $course$/top/{_category(site_name)}/{_category(plain(quiz.quiz.title))}")
        blocks += [_question(q) for q in questions(kb, quiz)]
    return ("\n\n".join(blocks) + "\n").encode("utf-8")


def _category(text: str) -> str:
    return escape(text.replace("/", "-"))


def _question(q: Exported) -> str:
    question = q.question
    text = escape("\n".join(q.context_lines()) + "\n\n" + plain(question.prompt))
    head = f"::{escape(q.name)}::{text}"
    if question.kind in ("single", "say", "multiple"):
        correct = sum(c.correct for c in question.choices)
        lines = []
        for c in question.choices:
            mark = "=" if c.correct else "~"
            if question.kind == "multiple":
                mark = f"~%{fraction(correct)}%" if c.correct else "~%-100%"
            lines.append(f"{mark}{escape(plain(c.text))}#{escape(plain(c.feedback))}")
        body = "\n".join(lines)
    elif question.kind == "true-false":
        right, wrong = (
            (question.if_true, question.if_false)
            if question.answer
            else (question.if_false, question.if_true)
        )
        body = f"{'TRUE' if question.answer else 'FALSE'}#{escape(plain(wrong))}#{escape(plain(right))}"
    else:
        body = "\n".join(f"={escape(q.labels[s])} -> {ordinal(i)}" for i, s in enumerate(question.items, 1))
    general = f"\n####{escape(plain(question.explanation))}" if question.explanation else ""
    return f"{head}{{\n{body}{general}\n}}"
