"""What the learning pages' scripts read: small JSON files, so no page grows with the KB.

An assignment page fetches only the files of the quizzes and path it lists; the trainer's page
fetches one catalog of titles. Addresses are relative to the site root.
"""

from __future__ import annotations

import json
from typing import Any

from .. import addresses as at
from ..knowledge_base import KnowledgeBase, PathEntry, QuizEntry
from .markdown import plain
from .quiz import fingerprint


def quiz_info(kb: KnowledgeBase, entry: QuizEntry) -> dict[str, Any]:
    sop = kb.by_id[entry.quiz.sop].sop
    return {
        "kind": "quiz",
        "id": entry.id,
        "title": plain(entry.quiz.title),
        "href": entry.href,
        "sop": sop.id,
        "sopTitle": plain(sop.title),
        "fingerprint": fingerprint(entry.quiz),
        "passMark": entry.quiz.pass_mark,
        "questions": len(entry.quiz.questions()),
        "drill": entry.generated,
    }


def sop_info(kb: KnowledgeBase, sop_id: str) -> dict[str, Any]:
    sop = kb.by_id[sop_id].sop
    return {
        "kind": "sop",
        "id": sop.id,
        "title": plain(sop.title),
        "href": at.url_of(at.sop_page(sop.id)),
        "version": sop.version,
    }


def path_info(kb: KnowledgeBase, entry: PathEntry) -> dict[str, Any]:
    modules = []
    for module in entry.path.modules:
        items = [
            sop_info(kb, item.sop) if hasattr(item, "sop") else quiz_info(kb, kb.quiz_by_id[item.quiz])
            for item in module.items
        ]
        modules.append({"id": module.id, "title": plain(module.title), "items": items})
    return {
        "id": entry.id,
        "title": plain(entry.path.title),
        "summary": plain(entry.path.summary),
        "href": at.url_of(at.path_page(entry.id)),
        "modules": modules,
    }


def catalog(kb: KnowledgeBase) -> dict[str, Any]:
    """For the trainer's picker: just enough to find and name each quiz and path."""
    return {
        "paths": [{"id": p.id, "title": plain(p.path.title), "items": len(p.path.items())} for p in kb.paths],
        "quizzes": [
            {
                "id": q.id,
                "title": plain(q.quiz.title),
                "sop": plain(kb.by_id[q.quiz.sop].sop.title),
                "drill": q.generated,
            }
            for q in kb.quizzes
        ],
    }


def browser_urls() -> dict[str, str]:
    """Addresses the learning pages hand their scripts (as data attributes), relative to the site
    root: the scripts never spell one. A pattern's `{id}` is filled in by the script with an id it
    was given (a link's path or quizzes, a signed SOP)."""
    return {
        "catalog": at.CATALOG,
        "quiz_data": at.quiz_data_file("{id}"),
        "path_data": at.path_data_file("{id}"),
        "assignment": at.url_of(at.ASSIGNMENT),
        "certificate": at.url_of(at.CERTIFICATE),
        "sop": at.url_of(at.sop_page("{id}")),
    }


def data_files(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """(path under the site root, JSON text) for every file the learning scripts fetch."""
    files = [(at.CATALOG, _json(catalog(kb)))]
    files += [(at.quiz_data_file(q.id), _json(quiz_info(kb, q))) for q in kb.quizzes]
    files += [(at.path_data_file(p.id), _json(path_info(kb, p))) for p in kb.paths]
    return files


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
