"""`sopkb import` without the terminal: sources → readers → drafts → checked drafts and figures.

Files are chosen by extension and read by the reader of their format, imported by name when
needed (a reader missing from a build is an error for its files only). Nothing here writes: the
command writes the drafts this returns, so `--dry-run` and the tests see exactly what would be
written.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from ..core.parallel import imap_in_processes
from .blocks import Block, UnreadableDocument
from .check import valid_draft
from .draft import draft_document
from .emit import dump
from .fields import KnownSop
from .sentences import missing, source_sentences, texts_in

READERS = {
    ".txt": "read_text",
    ".text": "read_text",
    ".md": "read_markdown",
    ".markdown": "read_markdown",
    ".docx": "read_docx",
    ".pdf": "read_pdf",
    ".html": "read_html",
    ".htm": "read_html",
}


@dataclass
class DraftResult:
    id: str
    path: Path
    text: str
    status: str  # "new", "replaces", "exists" (kept, not written)
    figures: dict[str, int]


@dataclass
class DocumentResult:
    source: str  # as displayed
    drafts: list[DraftResult] = field(default_factory=list)
    error: str | None = None
    sentences: int = 0
    carried: int = 0  # in a field or a review note
    in_fields: int = 0  # in a field other than a "not placed" review note


@dataclass
class Target:
    into: Path
    category: str
    schema: Callable[[Path], str]  # the `$schema` path written in a draft in that folder
    known: list[KnownSop]
    kb_paths: dict[str, Path]  # the KB's SOP ids → their files
    force: bool = False


def source_files(sources: list[Path], links: list[Path] | None = None) -> Iterator[tuple[Path, bool]]:
    """Each file to import, in a stable order, and whether it was named (not found in a folder).

    Folders are walked recursively; only known extensions are taken. A link found in a folder
    (to a file or a folder) is not followed but added to `links`: a shared folder can hold a link
    to anywhere on the disk (`/etc/passwd`), and a draft would copy that file's text into the KB.
    A link named on the command line is followed: the user chose it."""
    for source in sources:
        if source.is_dir():
            yield from ((path, False) for path in _walk(source, links if links is not None else []))
        else:
            yield source, True


def _walk(folder: Path, links: list[Path]) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(folder):
        here = Path(root)
        visible = [name for name in [*dirs, *files] if not name.startswith(".")]
        links += [here / name for name in visible if (here / name).is_symlink()]
        dirs[:] = sorted(d for d in dirs if d in visible and not (here / d).is_symlink())
        found += [
            here / f
            for f in files
            if f in visible and Path(f).suffix.lower() in READERS and not (here / f).is_symlink()
        ]
    return sorted(found)


def read_blocks(path: Path, display: str) -> list[Block]:
    suffix = path.suffix.lower()
    module_name = READERS.get(suffix)
    if module_name is None:
        known = ", ".join(sorted({*READERS}))
        raise UnreadableDocument(
            f"cannot import {suffix or 'a file without an extension'}; expected one of: {known}"
        )
    if not path.is_file():
        raise UnreadableDocument("no such file" if not path.exists() else "is not a regular file")
    try:
        module = importlib.import_module(f"{__package__}.{module_name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__package__}.{module_name}":
            raise
        raise UnreadableDocument(f"reading {suffix} is not available in this build") from None
    return getattr(module, module_name)(path, display)


CRASHED = (
    "the reader stopped unexpectedly while reading this file or one read beside it;"
    " import it alone to see which"
)


@dataclass(frozen=True)
class Read:
    """A document read into blocks, or why it could not be."""

    blocks: list[Block] | None
    error: str | None = None


def read_document(item: tuple[Path, str]) -> Read:
    path, display = item
    try:
        return Read(read_blocks(path, display))
    except UnreadableDocument as exc:
        return Read(None, str(exc))
    except OSError as exc:
        return Read(None, f"cannot read the file: {exc.strerror or exc}")


def read_documents(items: list[tuple[Path, str]], jobs: int) -> Iterator[Read]:
    """Each (path, display) read, in order, several at once: reading (PDF and Word above all) is
    most of an import, and each document is read on its own. Drafting stays in this process,
    in order, so ids come out the same however the reading was shared. A reader that crashes
    the process reading it fails that document and the ones read beside it, never the import."""
    done = 0
    try:
        for read in imap_in_processes(read_document, items, jobs):
            done += 1
            yield read
    except BrokenProcessPool:
        for _ in items[done:]:
            yield Read(None, CRASHED)


def import_document(
    path: Path, display: str, target: Target, taken: set[str], read: Read | None = None
) -> DocumentResult:
    result = DocumentResult(display)
    read = read or read_document((path, display))
    if read.blocks is None:
        result.error = read.error
        return result
    blocks = read.blocks
    drafts = draft_document(blocks, path.name, category=target.category, known=target.known, taken=taken)
    all_blocks: list[Block] = []
    for draft in drafts:
        data = draft.data
        data["id"] = _free_id(data["id"], target, taken)
        checked, problems = valid_draft(data, display, set(target.kb_paths))
        if problems:  # a bug: report it rather than write an invalid file
            result.error = "could not make a valid draft: " + "; ".join(str(p) for p in problems[:3])
            return result
        file = target.into / f"{checked['id']}.yaml"
        status = ("replaces" if target.force else "exists") if file.exists() else "new"
        text = dump(checked, target.schema(target.into))
        result.drafts.append(DraftResult(checked["id"], file, text, status, figures(checked)))
        all_blocks += [b for b in draft.blocks if b not in all_blocks]
        draft.data = checked
    _count_sentences(result, all_blocks, [d.data for d in drafts])
    return result


def _free_id(wanted: str, target: Target, taken: set[str]) -> str:
    """The draft's id, unless another SOP of the KB (in another file) has it: then `-2`, `-3`…"""
    value, n = wanted, 2
    while (
        value in target.kb_paths
        and target.kb_paths[value].resolve() != (target.into / f"{value}.yaml").resolve()
    ):
        value = f"{wanted}-{n}"
        n += 1
    taken.add(value)
    return value


def _count_sentences(result: DocumentResult, blocks: list[Block], datas: list[dict]) -> None:
    sentences = [s for s, _ in source_sentences(blocks)]
    everything = "\n".join(t for data in datas for t in texts_in(data))
    placed = "\n".join(
        t for data in datas for t in texts_in(data) if not t.startswith("Not placed by the importer")
    )
    result.sentences = len(sentences)
    result.carried = len(sentences) - _lost(sentences, everything)
    result.in_fields = len(sentences) - _lost(sentences, placed)


def _lost(sentences: list[str], text: str) -> int:
    lost = set(missing(sentences, text))
    return sum(1 for s in sentences if s in lost)


def figures(data: dict) -> dict[str, int]:
    steps = [
        s
        for section in data.get("sections") or [{"steps": data.get("steps") or []}]
        for s in section["steps"]
    ]
    branches = [b for s in steps if "decision" in s for b in s["decision"]["branches"]]
    say = sum(len(s.get("say", [])) for s in steps) + sum(len(b.get("say", [])) for b in branches)
    script = sum(len(c["lines"]) for c in data.get("call_scripts", []))
    return {
        "steps": len(steps),
        "decisions": sum(1 for s in steps if "decision" in s),
        "branches": len(branches),
        "script lines": say + script,
        "tables": sum(len(s.get("tables", [])) for s in steps),
        "review": _reviews(data),
    }


def _reviews(value: object) -> int:
    if isinstance(value, dict):
        own = len(value.get("review") or []) if isinstance(value.get("review"), list) else 0
        return own + sum(_reviews(v) for k, v in value.items() if k != "review")
    if isinstance(value, list):
        return sum(_reviews(v) for v in value)
    return 0
