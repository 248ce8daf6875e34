"""Each source as an earlier `sopkb build` found it, kept on disk by its bytes, so an unchanged
rebuild parses no YAML and checks no SOP alone again: reading and checking every source was most
of an unchanged rebuild (about 4 s of 7 at 1,000 SOPs).

What `sopkb serve` keeps in memory (`validation/source_memo.py`), kept between builds: for a file
that read and validated without a problem, its model, and what the checks worked out from the
document alone (its content checks, its id and call-script checks, the texts that may hold links,
the category and tag names as written), and its drill with the titles it read of the SOPs it
hands off to (a drill is validated again as a quiz when read, and worked out again if it does not
validate). Its data and positions are not kept: the document is
`Document.unread`, read again from the bytes only if a check must locate a problem in it. What
depends on other files (references, flows across SOPs, drills, ids across the KB, review dates
against today) is worked out on every build, so an edit in one file still reports the errors it
causes in an unchanged one. A file with a problem of its own is read every time: its model may be
salvaged with today's date, and a failing build is not the one to make quick.

A file is kept by a key of its bytes, its kind, the name it is shown by, and a stamp of sopkb's
code and the libraries that read it (`source_stamp`): a changed source, sopkb, PyYAML or pydantic
reads it again. The kept files sit in the build's cache folder beside the site
(`.site-page-cache/sources/`), one compressed JSON file per source: data, never code. A file
that is not what this module writes (a link, a stranger's file, a corrupt, oversized or
wrong-version one, one naming another source or holding a model that does not validate) is
ignored and the source read, never followed (`kept_files.py`). Its words are trusted as the
render cache's are (documentation/safety.md): they are the same words the source holds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sys
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from ..core.errors import Problem
from ..core.folders import real_folders
from ..loading.document import Document
from ..loading.file_stamps import Snapshot
from ..loading.yaml_reader import reread_later
from ..models.learning_path import LearningPath
from ..models.quiz import Quiz
from ..models.sop import Sop
from ..models.synonyms import Synonyms
from ..validation.source_memo import SourceMemo
from .kept_files import prune_kept, read_kept, write_kept
from .render_cache import code_stamp

FOLDER = "sources"
FORMAT = 2
MAX_BYTES = 8_000_000  # compressed; a source is at most 2 MB, and what is kept of it less
MAX_INFLATED = 32_000_000
_KEPT = re.compile(r"[0-9a-f]{64}\.json\.z")
MODELS: dict[str, type[BaseModel]] = {m.__name__: m for m in (Sop, Quiz, LearningPath, Synonyms)}
CHECKED = ("content", "ids", "scripts")
"""The problem lists kept: an SOP's content checks (`validation/content.py`) and the checks of
its ids and call scripts (`validation.once_per_document`), each worked out from the document alone."""
WORKED_OUT = ("ids", "scripts", "link texts", "names")
"""What checks keep in `Document.worked_out` that is kept here too; anything else a check works
out is worked out again on each build."""

M = TypeVar("M", bound=BaseModel)
KeyPath = tuple[str | int, ...]


class KeptSource(BaseModel, Generic[M]):
    """One kept file's shape, validated whole in pydantic's strict JSON mode when read."""

    model_config = ConfigDict(extra="forbid", strict=True)

    format: Literal[2]
    kind: str
    file: str  # as problems show it
    source: str  # sha256 of the bytes
    blob: str | None
    flow_items: list[KeyPath]
    model: M
    checked: dict[str, list[Problem]]
    link_texts: list[tuple[KeyPath, str]] | None
    names: list[tuple[KeyPath, Literal["category", "tag"], str]] | None
    drill: tuple[list[tuple[str, str | None]], dict[str, Any] | None] | None = None
    """(the SOPs its drill hands off to with their titles, the drill as a quiz's JSON or None)."""


def source_stamp() -> str:
    """What reading a source depends on besides its bytes: sopkb's code (`code_stamp`, with the
    versions of PyYAML and pydantic), Python's version, and whether PyYAML reads with libyaml."""
    libyaml = bool(getattr(yaml, "__with_libyaml__", False))
    return f"{code_stamp()}-{sys.version_info[0]}.{sys.version_info[1]}-{libyaml}-{FORMAT}"


@dataclass
class _Entry:
    """One source of this reading that may be kept: `written` says whether its file holds it all."""

    key: str
    kind: str
    display: str
    digest: str
    doc: Document
    model: BaseModel
    checked: dict[str, list[Problem]]
    held: set[str]  # of WORKED_OUT, what its file holds
    written: bool
    drill: tuple[tuple, Any] | None = None  # (what it read of other SOPs, the drill): see `derived`
    kept_drill: tuple[tuple, Any] | None = None  # as its file holds it, validated when first asked


class SourceCache(SourceMemo):
    """The memo `sopkb build` reads with (`pipeline.load_knowledge_base`), its files in `folder`."""

    def __init__(self, folder: Path, stamp: str | None = None):
        super().__init__()
        self.folder = folder / FOLDER
        self.usable = real_folders(folder, self.folder)
        self.stamp = stamp if stamp is not None else source_stamp()
        self._entries: dict[int, _Entry] = {}  # id(model) → its entry, this reading
        self._finished: list[_Entry] = []  # the last reading's, until written
        self.deferred = False  # `finish` leaves the writing to `write`
        self.read_again = 0  # sources parsed, not taken from the cache: for tests and `-v`
        self.read: dict[str, str] = {}  # each source's name as shown → the digest of the bytes read

    def file(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json.z"

    def start(self, today: dt.date, files: Snapshot | None = None) -> None:
        self._entries, self.read_again, self.read = {}, 0, {}

    def unchanged(self, kind: str, display: str, path: Path) -> Any | None:
        return None  # known by its bytes, never by its time: a restored cache has other times

    def stamp_of(self, path: Path) -> tuple | None:
        return None

    def source(
        self, kind: str, display: str, raw: bytes, read: Callable[[], Any], stamp: tuple | None = None
    ) -> Any:
        digest = hashlib.sha256(raw).hexdigest()
        self.read[display] = digest
        key = hashlib.sha256(
            "\0".join((self.stamp, kind, digest, display)).encode("utf-8", "surrogateescape")
        ).hexdigest()
        model_type = MODELS.get(kind)
        kept = self._load(key, model_type, kind, display, digest) if model_type and self.usable else None
        if kept is not None:
            doc = Document.unread(display, kept.blob, kept.flow_items, reread_later(raw, display))
            for name in ("ids", "scripts"):
                if name in kept.checked:
                    doc.worked_out[name] = kept.checked[name]
            if kept.link_texts is not None:
                doc.worked_out["link texts"] = kept.link_texts
            if kept.names is not None:
                doc.worked_out["names"] = kept.names
            held = set(doc.worked_out)
            drill = (tuple(map(tuple, kept.drill[0])), kept.drill[1]) if kept.drill is not None else None
            self._entries[id(kept.model)] = _Entry(
                key, kind, display, digest, doc, kept.model, dict(kept.checked), held, written=True,
                kept_drill=drill,
            )  # fmt: skip
            return doc, kept.model, []
        self.read_again += 1
        doc, value, own = read()
        if model_type is not None and doc is not None and value is not None and not own:
            entry = _Entry(key, kind, display, digest, doc, value, {}, set(), written=False)
            self._entries[id(value)] = entry
        return doc, value, own

    def derived(self, of: object, what: Hashable, work: Callable[[], Any]) -> Any:
        entry = self._entries.get(id(of))
        if entry is None or entry.model is not of:
            return work()
        if isinstance(what, tuple) and len(what) == 2 and what[0] == "drill":
            return self._drill(entry, what[1], work)
        if what != "content":
            return work()
        if "content" not in entry.checked:
            entry.checked["content"], entry.written = work(), False
        return entry.checked["content"]

    def _drill(self, entry: _Entry, named: tuple, work: Callable[[], Any]) -> Any:
        """The drill of `entry`'s SOP while the SOPs it hands off to have the titles it read."""
        if entry.drill is not None and entry.drill[0] == named:
            return entry.drill[1]
        if entry.kept_drill is not None and entry.kept_drill[0] == named:
            found = entry.kept_drill[1]
            if found is None:
                entry.drill = (named, None)
                return None
            try:
                entry.drill = (named, Quiz.model_validate(found, strict=True))
                return entry.drill[1]
            except (ValidationError, ValueError, RecursionError):
                pass  # worked out again, and kept anew
        entry.drill, entry.written = (named, work()), False
        return entry.drill[1]

    def finish(self) -> None:
        """The reading is done: what it read is written now, or by `write` when `deferred` (a
        build writes its cache beside MkDocs' work, in another process: `site_files.py`)."""
        self._finished, self._entries = list(self._entries.values()), {}
        if not self.deferred:
            self.write()

    def write(self) -> None:
        """Each source the last reading worked out more of than its file holds is written, and
        the files of sources not read (deleted, changed) let go."""
        finished, self._finished = self._finished, []
        if not self.usable:
            return
        for entry in finished:
            if not entry.written or not (set(WORKED_OUT) & set(entry.doc.worked_out)) <= entry.held:
                self._store(entry)
        prune_kept(self.folder, _KEPT, ".json.z", {entry.key for entry in finished})

    def _load(
        self, key: str, model_type: type[BaseModel], kind: str, display: str, digest: str
    ) -> KeptSource | None:
        """The kept file for `key`, if it is one this module wrote for this very source."""
        raw = read_kept(self.file(key), MAX_BYTES, MAX_INFLATED)
        if raw is None:
            return None
        try:
            kept = KeptSource[model_type].model_validate_json(raw, strict=True)  # type: ignore[valid-type]
        except (ValidationError, ValueError, RecursionError):
            return None
        if (kept.kind, kept.file, kept.source) != (kind, display, digest):
            return None
        if any(p.file != display for problems in kept.checked.values() for p in problems):
            return None
        if not set(kept.checked) <= set(CHECKED):
            return None
        return kept

    def _store(self, entry: _Entry) -> None:
        """Made without validating (what it holds was made by this reading) and written whole."""
        worked_out = entry.doc.worked_out
        checked = {**entry.checked, **{n: worked_out[n] for n in ("ids", "scripts") if n in worked_out}}
        kept = KeptSource[type(entry.model)].model_construct(  # type: ignore[misc]
            format=FORMAT,
            kind=entry.kind,
            file=entry.display,
            source=entry.digest,
            blob=entry.doc.blob,
            flow_items=entry.doc.flow_items,
            model=entry.model,
            checked=checked,
            link_texts=worked_out.get("link texts"),
            names=worked_out.get("names"),
            **({"drill": _drill_kept(entry.drill)} if entry.drill is not None else {}),
        )
        try:
            data = kept.model_dump_json(exclude_unset=True, warnings=False).encode("utf-8")
        except ValueError:  # a file name that is no text (bytes no encoding reads): read it each time
            return
        if len(data) <= MAX_INFLATED:
            write_kept(self.folder, self.file(entry.key), data)


def _drill_kept(drill: tuple[tuple, BaseModel | None]) -> tuple[list, dict | None]:
    named, quiz = drill
    return [list(pair) for pair in named], quiz.model_dump(mode="json", exclude_unset=True) if quiz else None
