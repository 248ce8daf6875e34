"""Each SOP's history from the KB's git log and its own `changes:` list.

One walk over the log (`loading.git_history`), one batch for every earlier state's id and version,
one batch for the few states a page compares with: the previous version's last state, and the
last committed state of an SOP changed since. An SOP is followed by its id, so moving its file
to another folder keeps its history. Old states are read with the same reader and models as the
current sources; one that no longer reads as an SOP is left out of the comparison, never an error.

What a build learns is kept for the next one under `.git/sopkb/history/` (`history_cache`): each
state's id and version, and each diff, by blob ids. A build after that asks git only for the
states new since, and reads no earlier version whose diff it already has.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..domain.history import SopHistory, Version, by_version, changes_only
from ..loading.git_history import GitLog, Revision, blob_sha, read_git_log
from ..loading.yaml_peek import peek
from ..loading.yaml_reader import MAX_SOURCE_BYTES, read_yaml_text
from ..models.sop import Sop
from .history_cache import HistoryCache
from .schema import validate_document


@dataclass(frozen=True)
class State:
    """One committed state of an SOP: its revision, and the version it said."""

    revision: Revision
    version: str


@dataclass
class GitFacts:
    """What the guard rails need besides the versions: see `validation/versions.py`."""

    states: dict[str, list[State]]  # SOP id → its committed states, newest first
    working: dict[str, str]  # SOP id → the id git would give its file as it is now
    introduced: dict[str, int | None]  # SOP id → commit order where its version began (None: not committed)
    quiz_changed: dict[Path, int]  # quiz file → the newest commit order that changed it (-1: changed since)
    contents: BlobContents


class BlobContents:
    """Earlier states by blob id, each read (and modelled) once; fetched in batches, never one git
    call per file."""

    def __init__(self, git: GitLog):
        self.git = git
        self.texts: dict[str, bytes] = {}
        self.models: dict[str, Sop | str] = {}

    def fetch(self, shas: Iterable[str]) -> None:
        for sha, content in self.git.blobs(s for s in shas if s not in self.texts):
            self.texts[sha] = content

    def sop(self, ref: str) -> Sop | str:
        if ref not in self.models:
            self.fetch([ref])
            self.models[ref] = read_sop(self.texts.get(ref), ref[:7])
        return self.models[ref]


def read_sop(raw: bytes | None, name: str) -> Sop | str:
    """An earlier state as an SOP, or why it is not one (the first problem found)."""
    if raw is None:
        return "git no longer has it"
    if len(raw) > MAX_SOURCE_BYTES:
        return f"larger than {MAX_SOURCE_BYTES:,} bytes"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return "not UTF-8 text"
    doc, problems = read_yaml_text(text, name)
    if doc is not None and not problems:
        sop, problems = validate_document(doc, Sop)
        if sop is not None:
            return sop
    first = problems[0]
    return f"line {first.line}: {first.key_path + ': ' if first.key_path else ''}{first.message}"


@dataclass
class Walk:
    """The log, and the id and version of every state of every file in the SOPs' folder."""

    git: GitLog
    peeked: dict[str, dict[str, str] | None]
    cache: HistoryCache


def walk(root: Path, sops_dir: Path, quizzes_dir: Path) -> Walk | None:
    git = read_git_log(root, [sops_dir, quizzes_dir])
    if git is None:
        return None
    cache = HistoryCache(git.git_dir)
    in_sops = git.inside(sops_dir)
    peeked: dict[str, dict[str, str] | None] = {}
    unknown = []
    for revision in git.revisions:
        if revision.blob and _under(revision.path, in_sops) and revision.blob not in peeked:
            known = cache.peeked(revision.blob)
            if known is False:
                unknown.append(revision.blob)
            else:
                peeked[revision.blob] = known
    for sha, content in git.blobs(unknown):
        peeked[sha] = peek(content.decode("utf-8", "replace"), ("id", "version"))
        cache.add_peek(sha, peeked[sha])
    return Walk(git, peeked, cache)


class Started:
    """The walk in a thread of its own, started before the sources are read: git works on the
    other core, and waiting on its pipes leaves the reader free."""

    def __init__(self, root: Path, sops_dir: Path, quizzes_dir: Path):
        self._result: Walk | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(root, sops_dir, quizzes_dir), daemon=True)
        self._thread.start()

    def _run(self, *args: Path) -> None:
        try:
            self._result = walk(*args)
        except BaseException as exc:  # a bug: raised again where the result is asked for
            self._error = exc

    def result(self) -> Walk | None:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._result


def sop_histories(
    found: Walk | None,
    sops: dict[str, tuple[Sop, Path]],
    sops_dir: Path,
    quizzes_dir: Path,
    read_from: dict[str, str | None] | None = None,
    keep: Callable[[Sop, Callable[[], SopHistory]], SopHistory] | None = None,
) -> tuple[dict[str, SopHistory], GitFacts | None]:
    """Every SOP's history (`sops`: id → its model and file); with git, the facts for the checks.
    `read_from`: the blob id of the bytes each model was read from (else the file is read again;
    a file saved since would be compared, and its diff kept, as what the model is not)."""
    if found is None:  # `keep` (`sopkb serve`): the same history while the model is the same object
        keep = keep or (lambda sop, work: work())
        return {sop_id: keep(sop, lambda s=sop: changes_only(s)) for sop_id, (sop, _) in sops.items()}, None
    git = found.git
    contents = BlobContents(git)
    facts = _facts(found, contents, sops, sops_dir, quizzes_dir, read_from or {})
    histories = {}
    for sop_id, (sop, _) in sops.items():
        history = _history(sop, facts.states.get(sop_id, []), facts.working.get(sop_id), contents)
        history.known = found.cache
        histories[sop_id] = history
    found.cache.save()  # the ids and versions read this time (the diffs: when worked out)
    wanted = [
        h.previous.content for h in histories.values() if h.previous and h.previous.content and not h.ready(0)
    ]
    heads = [states[0].revision.blob for states in facts.states.values()]
    wanted += [
        blob for sop_id, blob in zip(facts.states, heads, strict=True) if facts.working.get(sop_id) != blob
    ]
    contents.fetch(wanted)  # one batch: what pages and checks compare with, and no cached diff has
    return histories, facts


def _facts(
    found: Walk,
    contents: BlobContents,
    sops: dict[str, tuple[Sop, Path]],
    sops_dir: Path,
    quizzes_dir: Path,
    read_from: dict[str, str | None],
) -> GitFacts:
    git, peeked = found.git, found.peeked
    in_sops, in_quizzes = git.inside(sops_dir), git.inside(quizzes_dir)
    sop_revisions = [r for r in git.revisions if r.blob and _under(r.path, in_sops)]
    states: dict[str, list[State]] = {}
    for revision in sop_revisions:
        fields = peeked.get(revision.blob) or {}
        if "id" in fields and "version" in fields and fields["id"] in sops:
            states.setdefault(fields["id"], []).append(State(revision, fields["version"]))
    working = {}
    for sop_id, (_, path) in sops.items():
        if sha := read_from.get(sop_id) or _working_sha(path):
            working[sop_id] = sha
    introduced = {sop_id: _introduced(sop, states.get(sop_id, [])) for sop_id, (sop, _) in sops.items()}
    quiz_changed: dict[Path, int] = {}
    for path, revisions in git.by_path().items():
        if _under(path, in_quizzes):
            changed = _working_sha(git.file(path)) not in (None, revisions[0].blob)
            quiz_changed[git.file(path)] = -1 if changed else revisions[0].commit.order
    return GitFacts(states, working, introduced, quiz_changed, contents)


def _under(path: str, folder: str) -> bool:
    return path.startswith(folder) and path.endswith((".yaml", ".yml"))


def _working_sha(path: Path) -> str | None:
    try:
        return blob_sha(path.read_bytes())
    except OSError:
        return None


def _introduced(sop: Sop, states: list[State]) -> int | None:
    """The commit (its order in the walk) where the SOP's current version first appeared."""
    found = None
    for state in states:
        if state.version != sop.version:
            break
        found = state.revision.commit.order
    return found


def _runs(states: list[State]) -> list[list[State]]:
    """Consecutive states with the same version, newest first: one run per version."""
    runs: list[list[State]] = []
    for state in states:
        if runs and runs[-1][0].version == state.version:
            runs[-1].append(state)
        else:
            runs.append([state])
    return runs


def _history(sop: Sop, states: list[State], working: str | None, contents: BlobContents) -> SopHistory:
    noted = {c.version: c for c in sop.changes}
    runs = _runs(states)
    current_run = runs.pop(0) if runs and runs[0][0].version == sop.version else None
    versions = [_version(sop.version, current_run, noted, None)]
    for run in runs:
        versions.append(_version(run[0].version, run, noted, run[0].revision.blob))
    seen = {v.version for v in versions}
    versions += by_version(
        [Version(c.version, c.date, c.summary) for c in sop.changes if c.version not in seen]
    )
    return SopHistory(sop, versions, contents, from_git=True, current_ref=working)


def _version(
    version: str,
    run: list[State] | None,
    noted: dict,
    content: str | None,
) -> Version:
    """`run` newest first: its last state is what the version ended as, its first commit the one
    that introduced it. A version not committed yet has no date unless `changes:` gives one."""
    note = noted.get(version)
    first = run[-1].revision.commit if run else None
    subject = first.subject if first and not first.merge else None
    date = note.date if note else (first.date if first else None)
    return Version(version, date, note.summary if note else subject, first.sha if first else None, content)
