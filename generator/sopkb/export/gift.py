"""GIFT, Moodle's plain-text question format (docs.moodle.org/en/GIFT_format).

Text is plain (Markdown formatting dropped) with GIFT's special characters escaped.
"""

from __future__ import annotations

from collections.abc import Callable

from ..domain.knowledge_base import KnowledgeBase, QuizEntry
from ..domain.question_kinds import Answers, Option
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
    body = _BODIES[q.answers.shape](q.answers)
    general = f"\n####{escape(plain(question.explanation))}" if question.explanation else ""
    return f"{head}{{\n{body}{general}\n}}"


def _text(option: Option) -> str:
    return escape(plain(option.text) if option.markdown else option.text)


def _choices(answers: Answers) -> str:
    """Several right choices share the grade; every wrong one takes it all away."""
    lines = []
    for option in answers.options:
        if answers.multiple:
            mark = f"~%{fraction(len(answers.correct))}%" if option.correct else "~%-100%"
        else:
            mark = "=" if option.correct else "~"
        lines.append(f"{mark}{_text(option)}#{escape(plain(option.feedback))}")
    return "\n".join(lines)


_TRUTH = {"true": "TRUE", "false": "FALSE"}


def _true_false(answers: Answers) -> str:
    """GIFT's feedback order: for a wrong answer first, then for the right one."""
    right = next(o for o in answers.options if o.correct)
    wrong = next(o for o in answers.options if not o.correct)
    return f"{_TRUTH[right.id]}#{escape(plain(wrong.feedback))}#{escape(plain(right.feedback))}"


def _matching(answers: Answers) -> str:
    """An ordered answer as a matching question: each step to its position."""
    return "\n".join(f"={_text(o)} -> {ordinal(i)}" for i, o in enumerate(answers.options, 1))


_BODIES: dict[str, Callable[[Answers], str]] = {
    "choice": _choices,
    "truefalse": _true_false,
    "order": _matching,
}
