"""One object with every SOP, its flow and its links: everything downstream reads only this.

Built by `sopkb.pipeline` from checked sources; nothing here reads files or reports problems.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import Problem
from ..models.learning_path import LearningPath
from ..models.quiz import Quiz
from ..models.sop import UNKNOWN, Sop
from . import urls
from .flow import Destination, Flow
from .history import SopHistory
from .project import Project


@dataclass
class SopEntry:
    sop: Sop
    flow: Flow
    source: Path
    source_display: str
    blob: str | None = None  # git's id of the bytes the SOP was read from (what its page is made of)

    @property
    def id(self) -> str:
        return self.sop.id

    @property
    def page_path(self) -> str:
        return urls.sop_page(self.sop.id)

    @property
    def unknown_metadata(self) -> list[str]:
        """The care fields written as `unknown` (owner, version, effective, review_by), in that order."""
        sop = self.sop
        values = {"owner": sop.owner, "version": sop.version, "effective": sop.effective}
        values["review_by"] = sop.review_by
        return [name for name, value in values.items() if value == UNKNOWN]

    def overdue(self, today: dt.date) -> bool:
        """Past its review date; an unknown review date is never overdue (it is listed as unknown)."""
        return isinstance(self.sop.review_by, dt.date) and self.sop.review_by < today

    @functools.cached_property
    def links_to(self) -> frozenset[str]:
        """The other SOPs it names as related or hands off to (its page shows their titles)."""
        sop = self.sop
        targets = {r.sop for r in sop.related}
        targets |= {e.target.sop for edges in self.flow.edges.values() for e in edges if e.target.sop}
        return frozenset(targets - {sop.id})

    @functools.cached_property
    def calls_to(self) -> frozenset[str]:
        """The other SOPs its steps call (`call: sop:<id>`): its page shows their titles and steps
        (a call is no edge of its flow, so not in `links_to`)."""
        called = (Destination.parse(step.call).sop for step in self.sop.all_steps() if step.call)
        return frozenset(sop_id for sop_id in called if sop_id and sop_id != self.sop.id)

    @functools.cached_property
    def review_points(self) -> int:
        """Counted once per entry (listings ask for it several times; its SOP never changes)."""
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
        return urls.drill_url(self.quiz.sop) if self.generated else urls.quiz_url(self.quiz.id)


@dataclass
class LearningPathEntry:
    learning_path: LearningPath
    source_display: str

    @property
    def id(self) -> str:
        return self.learning_path.id

    @property
    def page_path(self) -> str:
        return urls.learning_path_page(self.learning_path.id)


@dataclass
class KnowledgeBase:
    """`quizzes` holds written quizzes and the drills generated from each SOP."""

    project: Project
    sops: list[SopEntry]
    quizzes: list[QuizEntry] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    synonyms: list[list[str]] = field(default_factory=list)  # the KB's own; search adds built-ins
    learning_paths: list[LearningPathEntry] = field(default_factory=list)
    history: dict[str, SopHistory] = field(default_factory=dict)  # by SOP id: see domain/history.py

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
            for target in sorted(entry.links_to):
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
        self.learning_paths.sort(key=lambda p: p.learning_path.title.casefold())

    def overdue(self, today: dt.date) -> list[SopEntry]:
        """SOPs past their review date."""
        return [e for e in self.sops if e.overdue(today)]

    def unknown_metadata(self) -> list[SopEntry]:
        """SOPs with an owner, version or date written as `unknown`."""
        return [e for e in self.sops if e.unknown_metadata]
