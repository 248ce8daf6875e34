"""What a quiz page needs: the questions as HTML (shuffled deterministically, so the page never
lists the right answer first) and the answer key as JSON data for the browser to score with.

The JSON goes into a hidden element as HTML-escaped text: it is data and can never run. (Not a
`<script type="application/json">` block: Material's instant navigation re-creates every script
in the new page as JavaScript, whatever its type.)
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ..domain.knowledge_base import KnowledgeBase, QuizEntry
from ..domain.labels import item_labels, step_labels
from ..domain.question_kinds import kind_of
from ..domain.quiz_identity import fingerprint
from ..text.markdown import block, inline, plain


def shuffled(items: list, seed: str) -> list[tuple[int, Any]]:
    """(original index, item) pairs in a stable order that is not the authored one."""
    pairs = list(enumerate(items))
    rng = random.Random(seed)
    for _ in range(5):
        rng.shuffle(pairs)
        if [i for i, _ in pairs] != list(range(len(items))):
            break
    return pairs


@dataclass(frozen=True)
class ShownChoice:
    id: str  # the answer it records
    label: str  # HTML (Markup) for author Markdown, else plain text for the template to escape


@dataclass(frozen=True)
class QuestionView:
    """A question as the quiz template shows it: its kind's partial, inputs and hint, and the
    choices in the order learners see them."""

    template: str
    input_type: str | None
    hint: str | None
    choices: list[ShownChoice]


def question_view(question, labels: Mapping[str, str]) -> QuestionView:  # noqa: ANN001 - any question kind
    """`labels`: step titles (item_labels), for kinds whose choices are steps."""
    kind = kind_of(question)
    shown = []
    for option in kind.options(question, labels):
        label = inline(option.text) if option.markdown else option.text
        if kind.quoted:
            label = Markup("“") + label + Markup("”")
        shown.append(ShownChoice(option.id, label))
    if kind.shuffled:
        shown = [choice for _, choice in shuffled(shown, question.id)]
    return QuestionView(kind.template, kind.input_type, kind.hint, shown)


def quiz_data(entry: QuizEntry, kb: KnowledgeBase, sop_url: str) -> dict:
    """The answer key quiz.js scores with: per question its kind, `correct` (the kind's right
    answer ids, as receipts are scored), feedback per choice or, for an ordered answer, the labels
    to show the right order with."""
    quiz = entry.quiz
    labels = step_labels(kb, quiz.sop)
    items = item_labels(kb, quiz.sop)
    questions = []
    for question in quiz.questions():
        answers = kind_of(question).answers(question, items)
        data: dict[str, Any] = {
            "id": question.id,
            "kind": question.kind,
            "explanation": str(block(question.explanation)) if question.explanation else None,
            "steps": [{"href": f"{sop_url}#step-{s}", "label": labels[s]} for s in question.steps],
            "correct": list(answers.correct),
        }
        feedback = {o.id: str(inline(o.feedback)) for o in answers.options if o.feedback is not None}
        if feedback:
            data["feedback"] = feedback
        if answers.ordered:
            data["labels"] = {o.id: o.text for o in answers.options}
        questions.append(data)
    return {
        "id": quiz.id,
        "title": plain(quiz.title),
        "passMark": quiz.pass_mark,
        "fingerprint": fingerprint(quiz),
        "questions": questions,
    }
