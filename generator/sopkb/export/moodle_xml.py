"""Moodle XML (docs.moodle.org/en/Moodle_XML_format): one category per quiz, HTML text kept."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

from ..domain.knowledge_base import KnowledgeBase, QuizEntry
from ..domain.question_kinds import Answers, Option
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
    answers = q.answers
    qtype, add_answers = _TYPES[answers.shape]
    el = ET.Element("question", type=qtype)
    _text(ET.SubElement(el, "name"), q.name)
    context = "".join(f"<p>{escape_html(line)}</p>" for line in q.context_lines())
    _html(el, "questiontext", context + str(block(question.prompt)))
    _html(el, "generalfeedback", str(block(question.explanation)) if question.explanation else "")
    ET.SubElement(el, "defaultgrade").text = "1"
    ET.SubElement(el, "penalty").text = "0"
    ET.SubElement(el, "hidden").text = "0"
    ET.SubElement(el, "idnumber").text = q.name
    add_answers(el, answers)
    return el


def _label(option: Option) -> str:
    return str(inline(option.text)) if option.markdown else escape_html(option.text)


def _multichoice(el: ET.Element, answers: Answers) -> None:
    """Several right choices share the grade; every wrong one takes it all away."""
    ET.SubElement(el, "single").text = "false" if answers.multiple else "true"
    ET.SubElement(el, "shuffleanswers").text = "true"
    ET.SubElement(el, "answernumbering").text = "abc"
    for option in answers.options:
        if answers.multiple:
            grade = fraction(len(answers.correct)) if option.correct else "-100"
        else:
            grade = "100" if option.correct else "0"
        answer = ET.SubElement(el, "answer", fraction=grade, format="html")
        _text(answer, _label(option))
        _html(answer, "feedback", str(inline(option.feedback)))


def _truefalse(el: ET.Element, answers: Answers) -> None:
    """Moodle reads the answers' text: `true` and `false`, the options' ids."""
    for option in answers.options:
        answer = ET.SubElement(
            el, "answer", fraction="100" if option.correct else "0", format="moodle_auto_format"
        )
        _text(answer, option.id)
        _html(answer, "feedback", str(inline(option.feedback)))


def _matching(el: ET.Element, answers: Answers) -> None:
    """An ordered answer as a matching question: each step to its position."""
    ET.SubElement(el, "shuffleanswers").text = "true"
    for position, option in enumerate(answers.options, start=1):
        sub = ET.SubElement(el, "subquestion", format="html")
        _text(sub, _label(option))
        _text(ET.SubElement(sub, "answer"), ordinal(position))


# An answer's shape -> Moodle's question type and what goes in it.
_TYPES: dict[str, tuple[str, Callable[[ET.Element, Answers], None]]] = {
    "choice": ("multichoice", _multichoice),
    "truefalse": ("truefalse", _truefalse),
    "order": ("matching", _matching),
}
