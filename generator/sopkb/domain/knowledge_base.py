"""One object with every SOP, its flow and its links: everything downstream reads only this."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import Problem, SourceErrors
from ..loading.source_files import single_source
from ..loading.yaml_reader import read_yaml
from ..models.learning_path import LearningPath
from ..models.quiz import Quiz
from ..models.sop import Sop
from ..models.synonyms import Synonyms
from ..validation.collisions import check_addresses
from ..validation.learning_paths import LoadedPath, check_paths
from ..validation.quizzes import DRILL_PREFIX, LoadedQuiz, check_quizzes
from ..validation.references import LoadedSop, check_sops
from ..validation.schema import salvage, validate_document
from . import urls
from .drills import drill_for
from .flow import Flow, build_flow
from .project import Project


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
class SopEntry:
    sop: Sop
    flow: Flow
    source: Path
    source_display: str

    @property
    def id(self) -> str:
        return self.sop.id

    @property
    def page_path(self) -> str:
        return urls.sop_page(self.sop.id)

    @property
    def review_points(self) -> int:
        sop = self.sop
        count = len(sop.review) + (len(sop.documentation.review) if sop.documentation else 0)
        for section in sop.all_sections():
            count += len(section.review)
            for step in section.steps:
                count += len(step.review) + sum(
                    len(b.review) for b in (step.decision.branches if step.decision else [])
                )
        return count


@dataclass
class QuizEntry:
    quiz: Quiz
    source_display: str | None  # None for drills generated from an SOP

    @property
    def id(self) -> str:
        return self.quiz.id

    @property
    def generated(self) -> bool:
        return self.source_display is None

    @property
    def page_path(self) -> str | None:
        """Written quizzes have a page; a drill lives at the end of its SOP's page."""
        return None if self.generated else urls.quiz_page(self.quiz.id)

    @property
    def href(self) -> str:
        if self.generated:
            return urls.url_of(urls.sop_page(self.quiz.sop)) + "#drill"
        return urls.url_of(urls.quiz_page(self.quiz.id))


@dataclass
class PathEntry:
    path: LearningPath
    source_display: str

    @property
    def id(self) -> str:
        return self.path.id

    @property
    def page_path(self) -> str:
        return urls.path_page(self.path.id)


@dataclass
class KnowledgeBase:
    """`quizzes` holds written quizzes and the drills generated from each SOP."""

    project: Project
    sops: list[SopEntry]
    quizzes: list[QuizEntry] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    synonyms: list[list[str]] = field(default_factory=list)  # the KB's own; search adds built-ins
    paths: list[PathEntry] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.sops.sort(key=lambda e: (e.sop.category.casefold(), e.sop.title.casefold()))
        self.by_id = {e.id: e for e in self.sops}
        self.categories: dict[str, list[SopEntry]] = defaultdict(list)
        self.tags: dict[str, list[SopEntry]] = defaultdict(list)
        self.linked_from: dict[str, list[SopEntry]] = defaultdict(list)
        for entry in self.sops:
            self.categories[entry.sop.category].append(entry)
            for tag in entry.sop.tags:
                self.tags[tag].append(entry)
            targets = {r.sop for r in entry.sop.related}
            targets |= {e.target.sop for edges in entry.flow.edges.values() for e in edges if e.target.sop}
            for target in sorted(targets - {entry.id}):
                self.linked_from[target].append(entry)
        self.categories = dict(sorted(self.categories.items(), key=lambda kv: kv[0].casefold()))
        order = {e.id: n for n, e in enumerate(self.sops)}
        self.quizzes.sort(key=lambda q: (order.get(q.quiz.sop, 0), q.generated, q.quiz.title.casefold()))
        self.quizzes_for: dict[str, list[QuizEntry]] = defaultdict(list)
        self.drill_for: dict[str, QuizEntry] = {}
        for quiz in self.quizzes:
            if quiz.generated:
                self.drill_for[quiz.quiz.sop] = quiz
            else:
                self.quizzes_for[quiz.quiz.sop].append(quiz)
        self.tags = dict(sorted(self.tags.items(), key=lambda kv: kv[0].casefold()))
        self.quiz_by_id = {q.id: q for q in self.quizzes}
        self.paths.sort(key=lambda p: p.path.title.casefold())


def load_knowledge_base(
    project: Project, *, strict: bool = False, today: dt.date | None = None
) -> KnowledgeBase:
    """Read and check every source; raise SourceErrors once with every problem found."""
    today = today or dt.date.today()
    problems: list[Problem] = []
    loaded: list[LoadedSop] = []
    unchecked_ids: set[str] = set()  # SOPs too broken to model still exist for others' references
    sources: dict[int, Path] = {}
    for path, doc, sop in _read_models(project, project.sops_dir, Sop, _placeholders(today), problems):
        if sop is not None:
            item = LoadedSop(sop, doc, build_flow(sop))
            sources[id(item)] = path
            loaded.append(item)
        elif doc is not None and isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str):
            unchecked_ids.add(doc.data["id"])
        elif doc is None:  # unreadable: its file name is the best guess of the id others name it by
            unchecked_ids.add(path.stem)
    problems += check_sops(loaded, today, unchecked_ids)
    first_by_id: dict[str, Sop] = {}
    for item in loaded:
        first_by_id.setdefault(item.sop.id, item.sop)  # a duplicate id is reported; the first one counts
    loaded_quizzes, quiz_problems = _load_quizzes(project, first_by_id, unchecked_ids)
    problems += quiz_problems
    quizzes = [QuizEntry(item.quiz, item.doc.path) for item in loaded_quizzes]
    clean = not any(p.severity == "error" for p in problems)
    if clean:  # drills are derived from checked flows only
        titles = {item.sop.id: item.sop.title for item in loaded}
        drills = [drill_for(item.sop, item.flow, titles) for item in loaded]
        quizzes += [QuizEntry(d, None) for d in drills if d is not None]
    quiz_ids = {q.id for q in quizzes}
    if not clean:  # meanwhile a path may name any SOP's drill, even an unreadable SOP's
        quiz_ids |= {f"{DRILL_PREFIX}{sop_id}" for sop_id in [*first_by_id, *unchecked_ids]}
    loaded_paths = _load_paths(project, set(first_by_id), quiz_ids, unchecked_ids, problems)
    paths = [PathEntry(item.path, item.doc.path) for item in loaded_paths]
    synonyms = _load_synonyms(project, problems)
    problems += check_addresses(project, loaded, loaded_quizzes, loaded_paths)
    failing = [p for p in problems if p.severity == "error" or strict]
    if failing:
        raise SourceErrors(problems, strict=strict)
    entries = [SopEntry(item.sop, item.flow, sources[id(item)], item.doc.path) for item in loaded]
    warnings = [p for p in problems if p.severity == "warning"]
    return KnowledgeBase(project, entries, quizzes, warnings=warnings, synonyms=synonyms, paths=paths)


def _load_paths(
    project: Project, sop_ids: set[str], quiz_ids: set[str], unchecked: set[str], problems: list[Problem]
) -> list[LoadedPath]:
    placeholders = {"title": "?", "summary": "?", "audience": None}  # never an id: ids must not collide
    loaded = [
        LoadedPath(path, doc)
        for _, doc, path in _read_models(project, project.paths_dir, LearningPath, placeholders, problems)
        if path is not None
    ]
    problems += check_paths(loaded, sop_ids, quiz_ids, unchecked)
    return loaded


def _load_synonyms(project: Project, problems: list[Problem]) -> list[list[str]]:
    found = single_source(project.synonyms_file, project.root, project.display)
    problems += found.problems
    if not found.files:
        return []
    _, value = _read_model(project, found.files[0], Synonyms, None, problems)
    return [list(group) for group in value.groups] if value else []


def _load_quizzes(
    project: Project, sops: dict[str, Sop], unchecked: set[str]
) -> tuple[list[LoadedQuiz], list[Problem]]:
    problems: list[Problem] = []
    placeholders = {"title": "?", "pass_mark": 50, "summary": None}  # never an id: ids must not collide
    loaded = [
        LoadedQuiz(quiz, doc)
        for _, doc, quiz in _read_models(project, project.quizzes_dir, Quiz, placeholders, problems)
        if quiz is not None
    ]
    problems += check_quizzes(loaded, sops, unchecked)
    return loaded, problems


def _read_models(project: Project, folder: Path, model: type, placeholders: dict, problems: list[Problem]):
    """Each source in `folder` as (path, document or None, model or None); problems are collected.

    A model that fails validation is salvaged with `placeholders` when only top-level fields are
    wrong, so cross-checks still run; the build fails anyway, because the problems are recorded.
    Files that are not sources (links leading outside the KB, pipes) are problems, never opened.
    """
    found = project.scan_sources(folder)
    problems += found.problems
    for path in found.files:
        doc, value = _read_model(project, path, model, placeholders, problems)
        yield path, doc, value


def _read_model(
    project: Project, path: Path, model: type, placeholders: dict | None, problems: list[Problem]
):
    """One source as (document, model): either may be None; problems are collected. With
    `placeholders`, a model with only top-level fields wrong is salvaged (see `_read_models`)."""
    doc, read_problems = read_yaml(path, project.display(path))
    problems += read_problems
    if doc is None:
        return None, None
    value, schema_problems = validate_document(doc, model)
    problems += schema_problems
    if read_problems:
        return doc, None
    if value is None and placeholders is not None:
        value = salvage(doc, model, placeholders)
    return doc, value
