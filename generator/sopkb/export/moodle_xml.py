"""Moodle XML (docs.moodle.org/en/Moodle_XML_format): one category per quiz, HTML text kept."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..domain.knowledge_base import KnowledgeBase, QuizEntry
from ..text.markdown import block, inline, plain
from .common import Exported, escape_html, fraction, ordinal, questions


def write(kb: KnowledgeBase, quizzes: list[QuizEntry], site_name: str) -> bytes:
    root = ET.Element("quiz")
    for quiz in quizzes:
        category = ET.SubElement(root, "question", type="category")
        path = f"$course$/top/{site_name.replace('/', '-')}/{plain(quiz.quiz.title).replace('/', '-')}"
        _text(ET.SubElement(category, "category"), path)
        for q in questions(kb, quiz):
            root.append(_question(q))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _text(parent: ET.Element, text: str) -> ET.Element:
    ET.SubElement(parent, "text").text = text
    return parent


def _html(parent: ET.Element, tag: str, html: str) -> None:
    _text(ET.SubElement(parent, tag, format="html"), html)


def _question(q: Exported) -> ET.Element:
    question = q.question
    kind = {"single": "multichoice", "say": "multichoice", "multiple": "multichoice"}.get(
        question.kind, "truefalse" if question.kind == "true-false" else "matching"
    )
    el = ET.Element("question", type=kind)
    _text(ET.SubElement(el, "name"), q.name)
    context = "".join(f"<p>{escape_html(line)}</p>" for line in q.context_lines())
    _html(el, "questiontext", context + str(block(question.prompt)))
    _html(el, "generalfeedback", str(block(question.explanation)) if question.explanation else "")
    ET.SubElement(el, "defaultgrade").text = "1"
    ET.SubElement(el, "penalty").text = "0"
    ET.SubElement(el, "hidden").text = "0"
    ET.SubElement(el, "idnumber").text = q.name
    if kind == "multichoice":
        correct = sum(c.correct for c in question.choices)
        ET.SubElement(el, "single").text = "false" if question.kind == "multiple" else "true"
        ET.SubElement(el, "shuffleanswers").text = "true"
        ET.SubElement(el, "answernumbering").text = "abc"
        for c in question.choices:
            grade = (
                (fraction(correct) if question.kind == "multiple" else "100")
                if c.correct
                else ("-100" if question.kind == "multiple" else "0")
            )
            answer = ET.SubElement(el, "answer", fraction=grade, format="html")
            _text(answer, str(inline(c.text)))
            _html(answer, "feedback", str(inline(c.feedback)))
    elif kind == "truefalse":
        for value, feedback in (("true", question.if_true), ("false", question.if_false)):
            right = (value == "true") == question.answer
            answer = ET.SubElement(
                el, "answer", fraction="100" if right else "0", format="moodle_auto_format"
            )
            _text(answer, value)
            _html(answer, "feedback", str(inline(feedback)))
    else:
        ET.SubElement(el, "shuffleanswers").text = "true"
        for position, step in enumerate(question.items, start=1):
            sub = ET.SubElement(el, "subquestion", format="html")
            _text(sub, escape_html(q.labels[step]))
            _text(ET.SubElement(sub, "answer"), ordinal(position))
    return el
