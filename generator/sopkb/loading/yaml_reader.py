"""Safe YAML reading that keeps the line and column of every key and value.

Why not plain `yaml.safe_load`: error messages must point at `path:line:col`, so positions are
recorded while composing (`yaml_composer.py`, which also bounds nesting and refuses aliases).
Here: reading at most MAX_SOURCE_BYTES from regular files only, decoding, choosing the parser,
and turning whatever goes wrong into one located problem.
"""

from __future__ import annotations

import errno
import functools
import os
import re
import stat
import zlib
from collections.abc import Callable
from pathlib import Path

import yaml
from yaml.parser import Parser
from yaml.reader import Reader, ReaderError
from yaml.scanner import Scanner

from ..core.errors import Problem
from .document import Document
from .git_history import blob_sha
from .yaml_composer import Composer, Stop

MAX_SOURCE_BYTES = 2_000_000


class _PureParser(Reader, Scanner, Parser):
    """PyYAML's pure-Python event parser, used when PyYAML was installed without libyaml."""

    def __init__(self, stream: str):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)


LIBYAML = bool(getattr(yaml, "__with_libyaml__", False))

if LIBYAML:
    from yaml.cyaml import CParser


def _parser(text: str):  # noqa: ANN202 - CParser or _PureParser, both with get_event()
    """libyaml's parser (shipped in PyYAML's wheels) is much faster; both only emit events."""
    return CParser(text) if LIBYAML else _PureParser(text)


def read_yaml(path: Path, display_path: str, *, fold: bool = False) -> tuple[Document | None, list[Problem]]:
    """Parse one file; anything wrong with it, even hostile input, becomes a located Problem.
    `fold`: the document keeps its text compressed instead of its positions (a fifth of the memory)
    and reads it again only to locate a problem (see `Document.fold`)."""
    raw, problems = read_source_bytes(path, display_path)
    if raw is None:
        return None, problems
    return read_yaml_bytes(raw, display_path, fold=fold)


def read_source_bytes(
    path: Path, display_path: str, *, follow: bool = True
) -> tuple[bytes | None, list[Problem]]:
    """A source's bytes, or the located reason there are none: what `sopkb serve` compares a
    source by, to read again only the files a save changed. `follow=False`: the file was found as
    itself, not through a link, and is opened only if it still is not one (a link swapped in
    between the look and the read would be read through)."""
    try:
        raw = _read_bounded(path, follow)
    except OSError as exc:
        if not follow and exc.errno == errno.ELOOP:
            message = "became a link while the sources were read, so it is not read; save it to look again"
            return None, [Problem(display_path, 1, 1, message)]
        return None, [Problem(display_path, 1, 1, f"cannot read file: {exc.strerror}")]
    if raw is None:
        return None, [Problem(display_path, 1, 1, "is not a regular file")]
    if len(raw) > MAX_SOURCE_BYTES:
        return None, [Problem(display_path, 1, 1, f"file is larger than {MAX_SOURCE_BYTES:,} bytes")]
    return raw, []


def read_yaml_bytes(
    raw: bytes, display_path: str, *, fold: bool = False
) -> tuple[Document | None, list[Problem]]:
    """`read_yaml` of bytes already read (at most MAX_SOURCE_BYTES)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The bytes before the first bad one are valid UTF-8, so they can be counted as text.
        line, column = _line_and_column(raw[: exc.start].decode("utf-8"))
        return None, [Problem(display_path, line, column, f"file is not UTF-8 text (byte {exc.start})")]
    doc, problems = read_yaml_text(text, display_path, raw)
    if doc is not None:
        doc.blob = blob_sha(raw)
        if fold:
            doc.fold(reread_later(raw, display_path))
    return doc, problems


def reread_later(raw: bytes, display_path: str) -> Callable[[], Document | None]:
    """How to read `raw` (valid UTF-8) again when a problem must be located: kept compressed, a
    fifth of the memory of the positions it gives back."""
    packed = zlib.compress(raw, 1)
    return lambda: read_yaml_text(zlib.decompress(packed).decode("utf-8"), display_path)[0]


def read_yaml_text(
    text: str, display_path: str, raw: bytes | None = None
) -> tuple[Document | None, list[Problem]]:
    """Parse YAML already in memory (a draft `sopkb import` checks before writing it) exactly as
    a file is parsed."""
    raw = text.encode("utf-8") if raw is None else raw
    try:
        return _compose(display_path, text, raw, _parser)
    except yaml.MarkedYAMLError as exc:
        if LIBYAML and _LIBYAML_TOO_DEEP in str(exc.problem):
            # libyaml (in PyYAML 6.0.3+'s wheels) scans ahead and stops at its own limit of 1,000
            # levels before the composer sees level 65: read again without it, for the same
            # message and place whichever parser PyYAML was built with.
            try:
                return _compose(display_path, text, raw, _PureParser)
            except yaml.MarkedYAMLError as again:
                exc = again
        return None, [_syntax_problem(display_path, exc)]


_LIBYAML_TOO_DEEP = "exceeded maximum nesting depth"


def _compose(
    display_path: str, text: str, raw: bytes, parser: Callable[[str], object]
) -> tuple[Document | None, list[Problem]]:
    """Syntax errors propagate (the caller may read again with the other parser)."""
    doc = Document(display_path, None)
    try:
        problems = Composer(doc).read(parser(text))
    except yaml.MarkedYAMLError:
        raise
    except ReaderError as exc:
        return None, [_character_problem(display_path, exc, raw, text)]
    except Stop as stop:
        return None, [stop.problem]
    except yaml.YAMLError as exc:
        return None, [Problem(display_path, 1, 1, f"YAML error: {exc}")]
    return doc, problems


def _read_bounded(path: Path, follow: bool = True) -> bytes | None:
    """At most one byte past the limit, and only from a regular file: a receipt named on the
    command line may be a FIFO (opening it waits forever) or /dev/zero (reading it never ends)."""
    with open(path, "rb", opener=functools.partial(_open_nonblocking, follow=follow)) as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            return None
        return stream.read(MAX_SOURCE_BYTES + 1)


def _open_nonblocking(path: str, flags: int, *, follow: bool = True) -> int:
    itself = 0 if follow else getattr(os, "O_NOFOLLOW", 0)  # a link in its place is refused, not read
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0) | itself)


def _syntax_problem(display_path: str, exc: yaml.MarkedYAMLError) -> Problem:
    """Where the parser gave up, plus where the construct it was reading started."""
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    context = exc.context or ""
    if exc.context_mark is not None and exc.problem_mark is not None and exc.context:
        context += f" (started at line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1})"
    message = ": ".join(filter(None, [context, exc.problem])) or str(exc)
    return Problem(display_path, line, column, f"YAML syntax error: {message}")


def _character_problem(display_path: str, exc: ReaderError, raw: bytes, text: str) -> Problem:
    """A character YAML refuses (NUL, other controls): readers give only an offset, so locate it.

    libyaml counts the offset in UTF-8 bytes, PyYAML's pure reader in characters. The message is
    the reader's own first line, without its "in <unicode string>, position N" tail.
    """
    before = raw[: exc.position].decode("utf-8", "replace") if LIBYAML else text[: exc.position]
    line, column = _line_and_column(before)
    first_line = str(exc).split("\n", 1)[0]
    return Problem(display_path, line, column, f"YAML error: {first_line}")


_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _line_and_column(before: str) -> tuple[int, int]:
    """1-based line and column just after `before`, counting line breaks as YAML does."""
    before = before.removeprefix("\ufeff")  # a byte-order mark is not a column
    breaks = list(_LINE_BREAK.finditer(before))
    start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, len(before) - start + 1
