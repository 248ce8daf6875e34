"""Read → validate → knowledge base: every source read and checked, every problem reported once.

The one place that runs the stages in order. A source too broken to model still counts for the
checks of others (its id, or its file name's best guess), so one bad file gives its own errors,
not a cascade in every file that names it.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

from .core.errors import Problem, SourceErrors
from .domain.drills import drill_for
from .domain.flow import build_flow
from .domain.knowledge_base import KnowledgeBase, LearningPathEntry, QuizEntry, SopEntry
from .domain.project import Project
from .domain.quiz_identity import drill_id
from .loading.file_stamps import Snapshot
from .loading.source_files import single_source, walk_sources
from .loading.yaml_reader import read_source_bytes, read_yaml_bytes
from .models.learning_path import LearningPath
from .models.quiz import Quiz
from .models.sop import Sop
from .models.synonyms import Synonyms
from .validation.collisions import check_addresses
from .validation.content import check_content
from .validation.learning_paths import LoadedLearningPath, check_learning_paths
from .validation.loops import hand_offs
from .validation.quizzes import LoadedQuiz, check_quizzes
from .validation.references import LoadedSop, check_sops
from .validation.schema import salvage, validate_document
from .validation.source_memo import NoMemo, SourceMemo
from .validation.versions import read_history, start_history


def _placeholders(today: dt.date) -> dict[str, object]:
    """Stand-ins for broken top-level fields, only so the other checks can still run. Never `id`:
    two files with broken ids would otherwise collide on the stand-in."""
    text = {name: "?" for name in ("title", "summary", "category", "owner", "version", "source", "objective")}
    return {
        **text,
        "status": "draft",
        "effective": today,
        "review_by": dt.date.max,
        "tags": [],
        "keywords": [],
    }


@dataclass
class SopsRead:
    """The SOP sources after reading and checking: the modelled ones, and the ids of the others."""

    loaded: list[LoadedSop]
    files: dict[int, Path]  # id(LoadedSop) → its file
    unchecked_ids: set[str]  # SOPs too broken to model still exist for others' references

    @functools.cached_property
    def first_by_id(self) -> dict[str, Sop]:
        """A duplicate id is reported; the first SOP with it counts."""
        first: dict[str, Sop] = {}
        for item in self.loaded:
            first.setdefault(item.sop.id, item.sop)
        return first


def load_knowledge_base(
    project: Project,
    *,
    strict: bool = False,
    today: dt.date | None = None,
    memo: SourceMemo | None = None,
    files: Snapshot | None = None,
) -> KnowledgeBase:
    """Read and check every source; raise SourceErrors once with every problem found. `memo`
    (`sopkb serve`): what an earlier reading found in files that have not changed since; `files`:
    the stamps of the KB's files taken just before this reading (`source_memo.py`)."""
    today = today or dt.date.today()
    memo = memo or NoMemo()
    memo.start(today, files)
    problems: list[Problem] = []
    walk = start_history(project)  # git, beside the reading of the sources
    sops = _read_sops(project, today, problems, memo)
    quizzes = _read_quizzes(project, sops, problems, memo)
    history, history_problems = read_history(project, sops.loaded, sops.files, quizzes, walk, memo)
    problems += history_problems
    drills = _drills(sops, problems, memo)
    learning_paths = _read_learning_paths(project, sops, quizzes, drills, problems, memo)
    synonyms = _read_synonyms(project, problems, memo)
    problems += check_addresses(project, sops.loaded, quizzes, learning_paths)
    problems += _template_files(project)
    entries = [_entry(item, sops.files[id(item)], memo) for item in sops.loaded]
    memo.finish()
    if any(p.severity == "error" or strict for p in problems):
        raise SourceErrors(problems, strict=strict)
    return KnowledgeBase(
        project,
        entries,
        [QuizEntry(item.quiz, item.doc.file) for item in quizzes] + [QuizEntry(d, None) for d in drills],
        warnings=[p for p in problems if p.severity == "warning"],
        synonyms=synonyms,
        learning_paths=[LearningPathEntry(item.learning_path, item.doc.file) for item in learning_paths],
        history=history,
    )


def _entry(item: LoadedSop, path: Path, memo: SourceMemo) -> SopEntry:
    """The same object while its source is unchanged (`sopkb serve`): what is counted once per
    entry (its review points) and the pages kept by the entries they show hold."""
    doc = item.doc  # the flow is the model's own (kept with it)
    make = lambda: SopEntry(item.sop, item.flow, path, doc.file, doc.blob)  # noqa: E731
    return memo.derived(item.sop, ("entry", doc.file, doc.blob), make)  # the file shown names its path


def _read_sops(project: Project, today: dt.date, problems: list[Problem], memo: SourceMemo) -> SopsRead:
    sops = SopsRead([], {}, set())
    for path, doc, sop in _read_models(project, project.sops_dir, Sop, _placeholders(today), problems, memo):
        if sop is not None:
            item = LoadedSop(sop, doc, memo.derived(sop, "flow", lambda sop=sop: build_flow(sop)))
            sops.files[id(item)] = path
            sops.loaded.append(item)
        elif doc is not None and isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str):
            sops.unchecked_ids.add(doc.data["id"])
        elif doc is None:  # unreadable: its file name is the best guess of the id others name it by
            sops.unchecked_ids.add(path.stem)
    problems += check_sops(sops.loaded, today, sops.unchecked_ids, memo)
    for item in sops.loaded:
        problems += memo.derived(item.sop, "content", lambda item=item: check_content(item.sop, item.doc))
    return sops


def _read_quizzes(
    project: Project, sops: SopsRead, problems: list[Problem], memo: SourceMemo
) -> list[LoadedQuiz]:
    placeholders = {"title": "?", "pass_mark": 50, "summary": None}  # never an id: ids must not collide
    loaded = [
        LoadedQuiz(quiz, doc)
        for _, doc, quiz in _read_models(project, project.quizzes_dir, Quiz, placeholders, problems, memo)
        if quiz is not None
    ]
    problems += check_quizzes(loaded, sops.first_by_id, sops.unchecked_ids)
    return loaded


def _template_files(project: Project) -> list[Problem]:
    """The KB's own templates are read by the sources' rules: a link out of the KB (a template
    linked to /etc/passwd published it on every page), a broken link or a pipe is refused."""
    return walk_sources(project.templates_dir, project.root, project.display, suffixes=None).problems


def _drills(sops: SopsRead, problems: list[Problem], memo: SourceMemo) -> list[Quiz]:
    """Drills are derived from checked flows only: none while anything so far is an error."""
    if any(p.severity == "error" for p in problems):
        return []
    titles = {item.sop.id: item.sop.title for item in sops.loaded}
    drills = []
    for item in sops.loaded:
        named = tuple((other, titles.get(other)) for other in sorted(hand_offs(item)))  # what the drill reads
        drill = memo.derived(
            item.sop, ("drill", named), lambda item=item: drill_for(item.sop, item.flow, titles)
        )
        if drill is not None:
            drills.append(drill)
    return drills


def _read_learning_paths(
    project: Project,
    sops: SopsRead,
    quizzes: list[LoadedQuiz],
    drills: list[Quiz],
    problems: list[Problem],
    memo: SourceMemo,
) -> list[LoadedLearningPath]:
    sop_ids = set(sops.first_by_id)
    quiz_ids = {item.quiz.id for item in quizzes} | {d.id for d in drills}
    if any(p.severity == "error" for p in problems):  # no drills yet: a path may name any SOP's drill
        quiz_ids |= {drill_id(sop_id) for sop_id in [*sop_ids, *sops.unchecked_ids]}
    placeholders = {"title": "?", "summary": "?", "audience": None}  # never an id: ids must not collide
    loaded = [
        LoadedLearningPath(learning_path, doc)
        for _, doc, learning_path in _read_models(
            project, project.paths_dir, LearningPath, placeholders, problems, memo
        )
        if learning_path is not None
    ]
    problems += check_learning_paths(loaded, sop_ids, quiz_ids, sops.unchecked_ids)
    return loaded


def _read_synonyms(project: Project, problems: list[Problem], memo: SourceMemo) -> list[list[str]]:
    found = single_source(project.synonyms_file, project.root, project.display)
    problems += found.problems
    if not found.files:
        return []
    _, value = _read_model(project, found.files[0], Synonyms, None, problems, memo)
    return [list(group) for group in value.groups] if value else []


def _read_models(
    project: Project, folder: Path, model: type, placeholders: dict, problems: list[Problem], memo: SourceMemo
):
    """Each source in `folder` as (path, document or None, model or None); problems are collected.

    A model that fails validation is salvaged with `placeholders` when only top-level fields are
    wrong, so cross-checks still run; the build fails anyway, because the problems are recorded.
    Files that are not sources (links leading outside the KB, pipes) are problems, never opened.
    """
    found = memo.listing(folder, lambda: project.scan_sources(folder))
    problems += found.problems
    for path in found.files:
        follow = path in found.through_links  # else opened only if it is still no link
        doc, value = _read_model(project, path, model, placeholders, problems, memo, follow)
        yield path, doc, value


def _read_model(
    project: Project,
    path: Path,
    model: type,
    placeholders: dict | None,
    problems: list[Problem],
    memo: SourceMemo,
    follow: bool = True,
):
    """One source as (document, model): either may be None; problems are collected. With
    `placeholders`, a model with only top-level fields wrong is salvaged (see `_read_models`).
    `follow=False`: found as itself, not through a link (`read_source_bytes`)."""
    display = project.display(path)
    kept = memo.unchanged(model.__name__, display, path)
    if kept is None:
        stamp = memo.stamp_of(path)  # before the bytes: a save while reading is seen next time
        raw, read_problems = read_source_bytes(path, display, follow=follow)
        if raw is None:
            problems += read_problems
            return None, None
        read = lambda: _model_of(raw, display, model, placeholders)  # noqa: E731
        kept = memo.source(model.__name__, display, raw, read, stamp)
    doc, value, own = kept
    problems += own
    return doc, value


def _model_of(raw: bytes, display: str, model: type, placeholders: dict | None):  # noqa: ANN202
    """(document, model, the problems of this file alone)."""
    doc, read_problems = read_yaml_bytes(raw, display, fold=True)  # KB-wide checks hold every doc
    if doc is None:
        return None, None, read_problems
    value, schema_problems = validate_document(doc, model)
    problems = read_problems + schema_problems
    if read_problems:
        return doc, None, problems
    if value is None and placeholders is not None:
        value = salvage(doc, model, placeholders)
    return doc, value, problems
