"""A KB whose authors typed markup, quotes, arrows, emoji and right-to-left text everywhere."""

from __future__ import annotations

import json
from pathlib import Path

XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
TEXTS = {
    "title": f'Refund "quoted" {XSS} --> end [x] 📦',
    "summary": f"Summary {XSS} العميل يرفض الانتظار",
    "step": f"end {XSS} A --> B (y) {{z}}",
    "question": f'Is it "ok"? {XSS}',
    "answer": f"Yes {XSS}",
    "say": f"Hello {{customer_name}} {XSS}",
    "link": "[click me](javascript:window.__xss=3)",
}


def write_hostile_kb(root: Path) -> None:
    def q(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    (root / "sops" / "refund.yaml").write_text(
        f"""\
id: refund
title: {q(TEXTS["title"])}
summary: {q(TEXTS["summary"])}
category: {q('Billing <b>bold</b> "cat"')}
tags: [{q("tag <i>x</i>")}]
keywords: [{q("porch <pirate>")}]
status: approved
owner: {q(XSS)}
version: "1"
effective: 2026-01-01
review_by: 2099-01-01
source: {q(XSS)}
objective: {q(TEXTS["link"] + " " + XSS)}
steps:
  - id: greet
    title: {q(TEXTS["step"])}
    key: true
    say: [{q(TEXTS["say"])}]
    decision:
      question: {q(TEXTS["question"])}
      branches:
        - answer: {q(TEXTS["answer"])}
          goto: record
        - answer: "No"
          goto: sop:escalation
  - id: record
    title: {q("Record " + XSS)}
    do: [{q(TEXTS["link"])}]
call_scripts:
  - id: s
    title: {q("Script " + XSS)}
    lines:
      - {{speaker: agent, step: greet, text: {q(TEXTS["say"])}}}
related:
  - {{sop: escalation, why: {q(XSS)}}}
""",
        encoding="utf-8",
    )


def write_hostile_quiz(root: Path) -> None:
    def q(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    (root / "quizzes" / "refund-basics.yaml").write_text(
        f"""\
id: refund-basics
title: {q("Quiz " + XSS)}
sop: refund
pass_mark: 50
summary: {q(XSS)}
scenarios:
  - id: s
    title: {q("Scenario " + XSS)}
    situation: {q(TEXTS["link"] + " " + XSS)}
    transcript:
      - {{speaker: customer, text: {q(XSS)}}}
    questions:
      - id: q1
        kind: single
        prompt: {q("Prompt " + XSS)}
        steps: [greet]
        explanation: {q(XSS)}
        choices:
          - {{text: {q("Right " + XSS)}, correct: true, feedback: {q("Feedback " + XSS)}}}
          - {{text: {q("Wrong " + XSS)}, feedback: {q(TEXTS["link"])}}}
      - id: q2
        kind: say
        prompt: {q(XSS)}
        steps: [greet]
        choices:
          - {{text: {q("Say " + XSS)}, correct: true, feedback: {q(XSS)}}}
          - {{text: {q("{customer_name} " + XSS)}, feedback: {q(XSS)}}}
""",
        encoding="utf-8",
    )
