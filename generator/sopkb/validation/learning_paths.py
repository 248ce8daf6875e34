"""Learning-path checks: unique ids, and every SOP and quiz a path names exists."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from ..core.errors import Problem
from ..loading.document import Document
from ..models.learning_path import LearningPath, ReadSopItem
from . import duplicate_ids


@dataclass
class LoadedLearningPath:
    learning_path: LearningPath
    doc: Document


def check_learning_paths(
    loaded: list[LoadedLearningPath], sop_ids: set[str], quiz_ids: set[str], unchecked_sops: set[str]
) -> list[Problem]:
    """`quiz_ids` holds written quizzes and generated drills; `unchecked_sops` are SOPs too broken
    to model, which exist all the same (their own errors are reported)."""
    problems = duplicate_ids([(item.learning_path.id, item.doc) for item in loaded], "path")
    for item in loaded:
        path, doc = item.learning_path, item.doc
        module_ids: set[str] = set()
        listed: set[tuple[str, str]] = set()
        for m_i, module in enumerate(path.modules):
            if module.id in module_ids:
                problems.append(doc.problem(("modules", m_i, "id"), f"duplicate module id {module.id!r}"))
            module_ids.add(module.id)
            for i_i, entry in enumerate(module.items):
                where = ("modules", m_i, "items", i_i)
                kind, ref = ("sop", entry.sop) if isinstance(entry, ReadSopItem) else ("quiz", entry.quiz)
                if (kind, ref) in listed:
                    problems.append(doc.problem((*where, kind), f"{kind} {ref!r} is already in this path"))
                listed.add((kind, ref))
                if kind == "sop" and ref not in sop_ids and ref not in unchecked_sops:
                    problems.append(doc.problem((*where, kind), _unknown("SOP", ref, sop_ids)))
                if kind == "quiz" and ref not in quiz_ids:
                    problems.append(doc.problem((*where, kind), _unknown("quiz", ref, quiz_ids)))
    return problems


def _unknown(what: str, ref: str, known: set[str]) -> str:
    hint = difflib.get_close_matches(ref, sorted(known), n=1)
    return f"unknown {what} {ref!r}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
