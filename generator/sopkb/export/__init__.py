"""Quizzes in the formats learning-management systems import, for trainers who need proctored,
tracked assessment: GIFT and Moodle XML (Moodle), and a QTI 2.1 content package (most others).

Each question carries its scenario (situation and transcript), since an LMS shows questions one
by one. Scoring there is the LMS's: an order question becomes a matching question (step →
position) in GIFT and Moodle XML, whose ordering type is a plugin, and an `orderInteraction` in QTI.
"""

from __future__ import annotations

from ..domain.knowledge_base import KnowledgeBase, QuizEntry
from . import gift, moodle_xml, qti

DEFAULT_NAMES = {"gift": "quizzes.gift", "moodle-xml": "quizzes-moodle.xml", "qti": "quizzes-qti21.zip"}
WRITERS = {"gift": gift.write, "moodle-xml": moodle_xml.write, "qti": qti.write}


def export_quizzes(kb: KnowledgeBase, quizzes: list[QuizEntry], fmt: str, site_name: str) -> bytes:
    return WRITERS[fmt](kb, quizzes, site_name)
