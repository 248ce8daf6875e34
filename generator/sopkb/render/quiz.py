"""What a quiz page needs: the questions as HTML (shuffled deterministically, so the page never
lists the right answer first) and the answer key as JSON data for the browser to score with.

The JSON goes into a hidden element as HTML-escaped text: it is data and can never run. (Not a
`<script type="application/json">` block: Material's instant navigation re-creates every script
in the new page as JavaScript, whatever its type.)
"""

from __future__ import annotations

import random
from typing import Any

from ..domain.knowledge_base import KnowledgeBase, QuizEntry
from ..domain.labels import item_labels, step_labels
from ..domain.quiz_identity import fingerprint
from ..text.markdown import block, inline, plain

CHOICE_KINDS = ("single", "multiple", "say")


def shuffled(items: list, seed: str) -> list[tuple[int, Any]]:
    """(original index, item) pairs in a stable order that is not the authored one."""
    pairs = list(enumerate(items))
    rng = random.Random(seed)
    for _ in range(5):
        rng.shuffle(pairs)
        if [i for i, _ in pairs] != list(range(len(items))):
            break
    return pairs


def quiz_data(entry: QuizEntry, kb: KnowledgeBase, sop_url: str) -> dict:
    quiz = entry.quiz
    labels = step_labels(kb, quiz.sop)
    items = item_labels(kb, quiz.sop)
    questions = []
    for question in quiz.questions():
        data: dict[str, Any] = {
            "id": question.id,
            "kind": question.kind,
            "explanation": str(block(question.explanation)) if question.explanation else None,
            "steps": [{"href": f"{sop_url}#step-{s}", "label": labels[s]} for s in question.steps],
        }
        if question.kind in CHOICE_KINDS:
            data["correct"] = [f"c{i}" for i, c in enumerate(question.choices) if c.correct]
            data["feedback"] = {f"c{i}": str(inline(c.feedback)) for i, c in enumerate(question.choices)}
        elif question.kind == "true-false":
            data["correct"] = ["true" if question.answer else "false"]
            data["feedback"] = {
                "true": str(inline(question.if_true)),
                "false": str(inline(question.if_false)),
            }
        else:
            data["correct"] = list(question.items)
            data["labels"] = {item: items[item] for item in question.items}
        questions.append(data)
    return {
        "id": quiz.id,
        "title": plain(quiz.title),
        "passMark": quiz.pass_mark,
        "fingerprint": fingerprint(quiz),
        "questions": questions,
    }
