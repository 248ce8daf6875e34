"""Guard rails on versions, so a change cannot slip past the people who signed the old one.

- `changes:` lists each version once, none above the SOP's own `version` (always checked);
- with git: `version` never goes below a version already committed (an error); the content
  changed since the last commit while `version` did not (a warning, an error with `--strict`);
  a quiz question testing a step that changed in the current version (a warning, until the quiz
  file itself changes after that version). Outside git these are skipped, quietly.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..core.errors import Problem
from ..domain.change_words import step_label, step_sentence, summary
from ..domain.history import SopHistory, is_lower, version_key
from ..domain.project import Project
from ..domain.sop_diff import SopDiff, sop_diff
from ..loading.git_history import in_git_without_git
from ..models.sop import Sop
from .history import GitFacts, Started, Walk, sop_histories
from .quizzes import LoadedQuiz
from .references import LoadedSop
from .source_memo import SourceMemo


def start_history(project: Project) -> Started | None:
    """The git walk, started while the sources are read (when `project.history` is on)."""
    return Started(project.root, project.sops_dir, project.quizzes_dir) if project.history else None


def read_history(
    project: Project,
    loaded: list[LoadedSop],
    files: dict[int, Path],
    quizzes: list[LoadedQuiz],
    started: Started | None,
    memo: SourceMemo | None = None,
) -> tuple[dict[str, SopHistory], list[Problem]]:
    """Every SOP's history, and the problems the guard rails find (git's only when the walk was
    started and the KB is in a git work tree). `memo` (`sopkb serve`): without git, an unchanged
    SOP keeps its history object (what its page key and page read of it)."""
    first: dict[str, tuple[Sop, Path]] = {}
    read_from: dict[str, str | None] = {}
    for item in loaded:
        first.setdefault(item.sop.id, (item.sop, files[id(item)]))
        read_from.setdefault(item.sop.id, item.doc.blob)
    problems = check_changes_lists(loaded)
    found = started.result() if started is not None else None
    if started is not None:
        problems += _history_unread(project, found)
    keep = (lambda sop, work: memo.derived(sop, "changes only", work)) if memo is not None else None
    histories, facts = sop_histories(found, first, project.sops_dir, project.quizzes_dir, read_from, keep)
    if facts is not None:
        problems += check_versions(loaded, histories, facts)
        problems += check_quiz_steps(quizzes, histories, facts, project.display)
    return histories, problems


NO_GIT = (
    "the KB is in git but no `git` program is on the PATH: built without version history "
    "(no What changed, What's new or version checks); install git, or set the plugin's "
    "`history: false` to build without it on purpose"
)
SHALLOW = (
    "the KB is a shallow clone: versions older than its depth are missing from What changed, "
    "What's new and the version checks; fetch the whole history (`git fetch --unshallow`, or "
    "`fetch-depth: 0` in GitHub Actions' checkout)"
)
HISTORY_UNREAD = (NO_GIT, SHALLOW)
"""What `_history_unread` says; `sopkb changes` repeats it (it reads nothing else)."""


def _history_unread(project: Project, found: Walk | None) -> list[Problem]:
    """Said, not silent: a site built without history would publish no What changed, no What's
    new and no diff for signing again, and skip the version checks."""
    where = project.display(project.root / "mkdocs.yml")
    if found is None and in_git_without_git(project.root):
        return [Problem(where, 1, 1, NO_GIT, severity="warning")]
    if found is not None and found.git.shallow:
        return [Problem(where, 1, 1, SHALLOW, severity="warning")]
    return []


def check_changes_lists(loaded: list[LoadedSop]) -> list[Problem]:
    problems = []
    for item in loaded:
        seen: set[str] = set()
        for i, change in enumerate(item.sop.changes):
            where = ("changes", i, "version")
            if change.version in seen:
                problems.append(item.doc.problem(where, f"version {change.version!r} is listed twice"))
            seen.add(change.version)
            if is_lower(item.sop.version, change.version):
                problems.append(
                    item.doc.problem(
                        where, f"version {change.version!r} is above the SOP's `version` ({item.sop.version})"
                    )
                )
            if i:
                problems += _out_of_order(item, i)
    return problems


NEWEST_FIRST = "; `changes:` lists versions newest first (What's new and `sopkb changes` are sorted by date)"


def _out_of_order(item: LoadedSop, i: int) -> list[Problem]:
    """A warning when entry `i` is higher, or dated later, than the entry above it."""
    newer, change = item.sop.changes[i - 1], item.sop.changes[i]
    if is_lower(newer.version, change.version):
        message = f"version {change.version!r} is listed after {newer.version!r} but is higher"
        return [item.doc.problem(("changes", i, "version"), message + NEWEST_FIRST, severity="warning")]
    if change.date > newer.date:
        message = (
            f"dated {change.date.isoformat()}, after version {newer.version!r} listed above it "
            f"({newer.date.isoformat()})"
        )
        return [item.doc.problem(("changes", i, "date"), message + NEWEST_FIRST, severity="warning")]
    return []


def check_versions(
    loaded: list[LoadedSop], histories: dict[str, SopHistory], facts: GitFacts
) -> list[Problem]:
    problems = []
    for item in loaded:
        sop, doc = item.sop, item.doc
        if histories.get(sop.id) is None or histories[sop.id].current is not sop:
            continue  # a duplicate id: its first file has the history
        states = facts.states.get(sop.id, [])
        higher = [s for s in states if is_lower(sop.version, s.version)]
        if higher:
            top = max(higher, key=lambda s: (version_key(s.version), -s.revision.commit.order))
            commit = top.revision.commit
            problems.append(
                doc.problem(
                    ("version",),
                    f"version {sop.version} is below version {top.version}, committed in {commit.sha[:7]} "
                    f"({commit.date.isoformat()}): a version only goes up (1.9 < 1.10 < 2.0)",
                )
            )
        last = states[0] if states else None
        unchanged = facts.working.get(sop.id) in (None, last.revision.blob) if last else True
        if last is None or last.version != sop.version or unchanged:
            continue
        before = facts.contents.sop(last.revision.blob)
        diff = sop_diff(before, sop) if isinstance(before, Sop) else None
        if diff is not None and diff.content_changed:
            problems.append(
                doc.problem(
                    ("version",),
                    f"the content changed since the last commit ({summary(diff)}) but `version` did not "
                    f"({sop.version}): give it a new version, so readers see what changed and sign again",
                    severity="warning",
                )
            )
    return problems


def check_quiz_steps(
    quizzes: list[LoadedQuiz],
    histories: dict[str, SopHistory],
    facts: GitFacts,
    display: Callable[[Path], str],
) -> list[Problem]:
    """Questions on steps the current version changed, in quiz files not changed since."""
    changed_at = {display(path): order for path, order in facts.quiz_changed.items()}
    problems = []
    for item in quizzes:
        history = histories.get(item.quiz.sop)
        if history is None or item.doc.file not in changed_at:
            continue  # a quiz not committed yet is new: written against the current version
        introduced = facts.introduced.get(item.quiz.sop)
        quiz_order = changed_at[item.doc.file]
        if quiz_order == -1 or (introduced is not None and quiz_order <= introduced):
            continue  # the quiz file changed with or after the version: reviewed
        diff = history.diff(0)
        if not isinstance(diff, SopDiff):
            continue
        problems += _questions(item, diff, history)
    return problems


def _questions(item: LoadedQuiz, diff: SopDiff, history: SopHistory) -> list[Problem]:
    changed = {s.step_id: s for s in diff.steps if s.kind == "changed"}
    problems = []
    for s_i, scenario in enumerate(item.quiz.scenarios):
        for q_i, question in enumerate(scenario.questions):
            hit = [changed[step] for step in question.steps if step in changed]
            if not hit:
                continue
            what = "; ".join(f"{step_label(s)} ({step_sentence(s)})" for s in hit)
            previous = history.previous.version if history.previous else "?"
            problems.append(
                item.doc.problem(
                    ("scenarios", s_i, "questions", q_i, "steps"),
                    f"question {question.id!r} tests what changed in version {history.current.version} of "
                    f"{item.quiz.sop!r} (from {previous}): {what}; check the question still holds "
                    "(this warning stops once the quiz file changes)",
                    severity="warning",
                )
            )
    return problems
