"""What the learning pages' scripts read: small JSON files, so no page grows with the KB.

An assignment page fetches only the files of the quizzes and path it lists; the trainer's page
fetches one catalog of titles. Addresses are relative to the site root.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..core.by_identity import KeptBy
from ..domain import urls
from ..domain.knowledge_base import KnowledgeBase, LearningPathEntry, QuizEntry
from ..domain.quiz_identity import fingerprint
from ..text.data import to_json
from ..text.markdown import plain


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
        "href": urls.sop_url(sop.id),
        "version": sop.version,
    }


def learning_path_info(kb: KnowledgeBase, entry: LearningPathEntry) -> dict[str, Any]:
    modules = []
    for module in entry.learning_path.modules:
        items = [
            sop_info(kb, item.sop) if hasattr(item, "sop") else quiz_info(kb, kb.quiz_by_id[item.quiz])
            for item in module.items
        ]
        modules.append({"id": module.id, "title": plain(module.title), "items": items})
    return {
        "id": entry.id,
        "title": plain(entry.learning_path.title),
        "summary": plain(entry.learning_path.summary),
        "href": urls.learning_path_url(entry.id),
        "modules": modules,
    }


def catalog(kb: KnowledgeBase, memo: KeptBy | None = None) -> dict[str, Any]:
    """For the trainer's picker: just enough to find and name each quiz and path."""
    return {
        "paths": [
            {"id": p.id, "title": plain(p.learning_path.title), "items": len(p.learning_path.items())}
            for p in kb.learning_paths
        ],
        "quizzes": [_by_quiz(kb, q, "catalog", _catalog_item, memo) for q in kb.quizzes],
    }


def _catalog_item(kb: KnowledgeBase, q: QuizEntry) -> dict[str, Any]:
    sop = kb.by_id[q.quiz.sop].sop
    return {"id": q.id, "title": plain(q.quiz.title), "sop": plain(sop.title), "drill": q.generated}


def shown_with(kb: KnowledgeBase, q: QuizEntry) -> tuple:
    """What a quiz's line, file or listing entry shows: the quiz and the SOP it is about."""
    return q.quiz, kb.by_id[q.quiz.sop].sop


def _by_quiz(kb: KnowledgeBase, q: QuizEntry, what: str, work: Callable, memo: KeptBy | None) -> Any:
    """`work(kb, q)`, which reads the quiz and its SOP only: kept by them while serving (`memo`)."""
    if memo is None:
        return work(kb, q)
    return memo.get((what, q.id, q.generated), shown_with(kb, q), lambda: work(kb, q))


def data_files(kb: KnowledgeBase, memo: KeptBy | None = None) -> list[tuple[str, str]]:
    """(path under the site root, JSON text) for every file the learning scripts fetch. `memo`
    (`sopkb serve`): each quiz's file and catalog line kept by the quiz and its SOP."""
    quiz_file = lambda kb, q: to_json(quiz_info(kb, q))  # noqa: E731
    titles = catalog(kb, memo)  # each quiz's line kept by its quiz and SOP while serving
    if memo is None:
        files = [(urls.CATALOG, to_json(titles))]
    else:  # 1.5 MB of JSON at 10,000 SOPs: made again only when a title in it changed
        files = [(urls.CATALOG, memo.equal(("catalog",), titles, lambda: to_json(titles)))]
    files += [(urls.quiz_data_file(q.id), _by_quiz(kb, q, "file", quiz_file, memo)) for q in kb.quizzes]
    files += [
        (urls.learning_path_data_file(p.id), to_json(learning_path_info(kb, p))) for p in kb.learning_paths
    ]
    return files
