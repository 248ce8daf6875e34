"""Python's answers for the browser's pure modules to match (tests/js/*.test.js).

The site's scripts repeat rules the build and `sopkb report` apply in Python: search words and
stems (search/text.py), canonical JSON and checksums (receipts/checksum.py), scoring
(receipts/scoring.py). tests/js/fixtures/python.json holds inputs and what Python makes of them;
the node tests check that the JS modules make the same. This test keeps the file equal to what
Python computes now, so neither side can change alone (`pytest --update-golden` rewrites it).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from sopkb.domain.project import Project
from sopkb.pipeline import load_knowledge_base
from sopkb.receipts.checksum import assignment_id, canonical, checksum
from sopkb.receipts.model import Receipt
from sopkb.receipts.scoring import Score, is_right, score
from sopkb.render.quiz import quiz_data
from sopkb.text.words import file_name, fnv1a, pairs, stem, words

from tests.conftest import REPO

FIXTURE = REPO / "tests" / "js" / "fixtures" / "python.json"

TEXTS = [
    "Café naïve résumé didn’t O'Brien 2nd 24/7 ﬁle İstanbul straße ½ x² re-delivery",
    "Where is my PACKAGE?? The driver didn't knock — porch pirates stole it!",
    "wants_a_manager; escalate-to-supervisor (tier 2) ... now",
    "Ελληνικά κείμενα, русский текст, 中文 文本, العربية",
    "  \t\n",
    "",
]
STEMS = (
    "a is was use uses ies flies skies tries cities sses classes passes glasses bus status this thesis"
    " running jumping sing bring ring shipping stopped escalated escalation escalations information"
    " station nation delivered delivery deliveries rolled buzzed fizz kiss dress messed dresses"
    " packages package manager managers pirates tracked tracking tracks called calls refunding"
    " refunded refund 24x7 2nd café naïve straße über résumé abcdefgh ee eee free freee canceled"
    " cancelled cancelling hopping hoping stories storing"
).split()
KEYS = ["ab", "zz", "a1", "12", "é", "ñu", "中文", "🙂", "ab-c", "A", "a_b"]
HASHED = ["", "a", "porch pirat", "straße über", "wher is", "中文 🙂", "x" * 300]

SHA_TEXTS = [
    "",
    "abc",
    'é ü 中文 🙂 "quotes" \\ back\nslash',
    "x" * 55,
    "x" * 56,
    "x" * 63,
    "x" * 64,
    "x" * 65,
    "x" * 1000,
    "\u0000\u001f\u007f\u2028\u2029\ufeff",
]
VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -7,
    123456789012,
    1.5,
    -0.25,
    0.1,
    "",
    "text",
    "é 中文 🙂",
    '\u0000\u001f\u007f"\\/',
    "\u2028\u2029",
    [],
    {},
    [1, None, True, "x"],
    {"b": [1, None, True, "x"], "a": {"z": "t", "é": 2}},
    {"\ufffd": 1, "🙂": 2, "\ue000": 3, "z": 4, "Z": 5, "10": 6, "9": 7, "": 8},  # code-point order
    {"nested": [{"y": 1, "x": [{"b": 2, "a": 1}]}], "a b": "c"},
]
SPECS = [
    {"v": 1, "title": "Week 1", "quizzes": ["refund-basics"]},
    {
        "v": 1,
        "title": "Week 1: deliveries ✓",
        "cohort": "Ana's",
        "due": "2026-12-01",
        "trainer": "Bo",
        "path": "billing-basics",
        "quizzes": ["a", "b-c"],
        "created": "2026-11-23",
    },
    {
        "v": 1,
        "title": "Only a path",
        "cohort": None,
        "due": None,
        "trainer": None,
        "path": "p",
        "quizzes": [],
        "created": None,
    },
]


def _answers(question: dict[str, Any]) -> list[list[str]]:
    """Right, wrong, partial, empty and malformed answers to one question of the page's key."""
    correct = question["correct"]
    options = list(question.get("feedback") or {}) or list(question.get("labels") or {})
    wrong = [o for o in options if o not in correct][:1]
    return [
        correct,
        list(reversed(correct)),
        [],
        wrong,
        correct + correct[:1],
        correct[:-1],
        correct[:1] * len(correct),
        options,
        [*correct[1:], *wrong],
    ]


def scoring_cases() -> dict[str, Any]:
    kb = load_knowledge_base(Project.at(REPO))
    questions, quizzes = [], []
    for entry in kb.quizzes:
        key = quiz_data(entry, kb, "")
        models = {q.id: q for q in entry.quiz.questions()}
        for q in key["questions"]:
            verdicts = [[a, is_right(models[q["id"]], a)] for a in _answers(q)]
            questions.append({"kind": q["kind"], "correct": q["correct"], "answers": verdicts})
        # Every second question left unanswered, as a whole attempt.
        answers = {q["id"]: (q["correct"] if i % 2 else []) for i, q in enumerate(key["questions"])}
        result = score(entry.quiz, answers)
        quizzes.append(
            {
                "questions": [
                    {"id": q["id"], "kind": q["kind"], "correct": q["correct"]} for q in key["questions"]
                ],
                "answers": answers,
                "score": [result.right, result.total, result.percent],
            }
        )
    percents = [[r, t, Score(r, t, ()).percent] for t in range(0, 26) for r in range(0, t + 1)]
    return {"questions": questions, "quizzes": quizzes, "percents": percents}


def receipt_case() -> dict[str, Any]:
    """A completed assignment as the browser knows it, and the receipt Python accepts for it."""
    spec = SPECS[1]
    sop = {
        "kind": "sop",
        "id": "refund",
        "title": "Refund request",
        "href": "sops/refund/",
        "version": "1.10",
    }
    quiz = {
        "kind": "quiz",
        "id": "refund-basics",
        "title": "Refund basics",
        "href": "quizzes/refund-basics/",
        "sop": "refund",
        "sopTitle": "Refund request",
        "fingerprint": "0123456789abcdef",
        "passMark": 80,
        "questions": 2,
        "drill": False,
    }
    ack = {"version": "1.10", "title": "Refund request", "at": "2026-11-20T10:00:00.000Z"}
    best = {
        "score": 100,
        "right": 2,
        "total": 2,
        "answers": {"q1": ["c1"], "q2": ["b", "a"]},
        "at": "2026-11-21T09:30:00.000Z",
    }
    record = {
        "fingerprint": "0123456789abcdef",
        "best": 100,
        "passed": True,
        "attempts": 2,
        "last": 100,
        "at": best["at"],
        "bestAttempt": best,
    }
    given = {
        "spec": spec,
        "items": [sop, quiz],
        "states": [{"state": "done", "record": ack}, {"state": "done", "record": record}],
        "site": "Small KB",
        "learner": "Ana Silva",
        "issuedAt": "2026-11-22T08:00:00.000Z",
    }
    receipt = {
        "format": "sopkb-receipt",
        "format_version": 1,
        "site": "Small KB",
        "learner": "Ana Silva",
        "assignment": {"id": assignment_id(spec), **spec},
        "quizzes": [
            {
                "id": "refund-basics",
                "title": "Refund basics",
                "version": "0123456789abcdef",
                "sop": "refund",
                "pass_mark": 80,
                "score": 100,
                "right": 2,
                "total": 2,
                "passed": True,
                "attempts": 2,
                "answered_at": best["at"],
                "answers": best["answers"],
            }
        ],
        "sops_read": [
            {"sop": "refund", "title": "Refund request", "version": "1.10", "signed_at": ack["at"]}
        ],
        "completed_at": best["at"],
        "issued_at": "2026-11-22T08:00:00.000Z",
    }
    receipt["checksum"] = checksum(receipt)
    Receipt.model_validate(receipt)  # the shape `sopkb report` reads
    return {"given": given, "receipt": receipt}


def expected() -> dict[str, Any]:
    return {
        "search": {
            "words": [[t, words(t)] for t in TEXTS],
            "pairs": [[t, pairs(t)] for t in TEXTS],
            "stems": [[w, stem(w)] for w in STEMS],
            "fileNames": [[k, file_name(k)] for k in KEYS],
            "fnv1a": [[t, fnv1a(t)] for t in HASHED],
        },
        "checksum": {
            "canonical": [[v, canonical(v)] for v in VALUES],
            "sha256": [[t, hashlib.sha256(t.encode("utf-8")).hexdigest()] for t in SHA_TEXTS],
            "assignmentIds": [[s, assignment_id(s)] for s in SPECS],
            "receipt": receipt_case(),
        },
        "scoring": scoring_cases(),
    }


def write(path: Path, data: dict[str, Any]) -> None:
    """One case a line, so a change shows as the cases it changes."""

    def line(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    sections = []
    for name, section in data.items():
        parts = []
        for key, cases in section.items():
            body = (
                ",\n".join(f"   {line(c)}" for c in cases) if isinstance(cases, list) else f"   {line(cases)}"
            )
            parts.append(f'  "{key}": [\n{body}\n  ]' if isinstance(cases, list) else f'  "{key}":\n{body}')
        sections.append(f'"{name}": {{\n' + ",\n".join(parts) + "\n }")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{" + ",\n".join(sections) + "}\n", encoding="utf-8")


def test_the_js_fixture_is_what_python_computes(update_golden):
    data = expected()
    if update_golden:
        write(FIXTURE, data)
    assert json.loads(FIXTURE.read_text(encoding="utf-8")) == data, (
        "tests/js/fixtures/python.json is stale: `pytest --update-golden`, then run `node --test tests/js/`"
    )


def test_the_fixture_exercises_what_could_drift():
    """Inputs where a naive JS port would differ from Python: kept, so the node tests see them."""
    data = expected()
    assert any(  # as many choices as the right answer, one of them twice: not the right answer
        not right and len(answer) == len(q["correct"]) and set(answer) < set(q["correct"])
        for q in data["scoring"]["questions"]
        for answer, right in q["answers"]
    )
    kinds = {q["kind"] for q in data["scoring"]["questions"]}
    assert kinds == {"single", "multiple", "say", "true-false", "order"}
    keys = list(json.loads(canonical(VALUES[18])))
    assert keys.index("\ufffd") < keys.index("🙂")  # code-point order, not UTF-16's
    assert stem("flies") != "flies" and stem("escalation") == stem("escalate")
