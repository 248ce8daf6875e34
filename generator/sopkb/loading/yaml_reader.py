"""Safe YAML reading that keeps the line and column of every key and value.

Why not plain `yaml.safe_load`: error messages must point at `path:line:col`, so positions are
recorded while composing. The resolver follows YAML 1.2 for booleans (only true/false), so an
answer written `Yes` stays the string "Yes" instead of becoming True ("the Norway problem").
Aliases to lists and mappings are refused: SOPs never need them, and refusing them makes
alias-expansion bombs impossible.

Why compose from parse events ourselves: PyYAML's composers (libyaml's in C and the pure-Python
one) recurse once per nesting level, so a few KB of `[[[[…` from an untrusted receipt segfaulted
the process. The parsers are iterative state machines; composing with an explicit stack and a
depth limit turns every hostile file into one located problem.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode
from yaml.parser import Parser
from yaml.reader import Reader, ReaderError
from yaml.scanner import Scanner

from ..core.errors import Problem
from ..core.key_path import KeyPath, format_key_path

MAX_SOURCE_BYTES = 2_000_000
# Real sources nest about 10 deep (steps > decision > branches > …); a limit far above that
# still bounds the composer's stack, which is all that hostile nesting could otherwise exhaust.
MAX_DEPTH = 64

_STR_TAG = "tag:yaml.org,2002:str"
_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")
}

# YAML 1.2-style implicit types: true/false only, ints, floats, null, ISO dates. Keyed by the
# first character, tried in order, as PyYAML's Resolver does (an empty value is keyed by "").
_IMPLICIT: dict[str, list[tuple[str, re.Pattern[str]]]] = {}


def _implicit(name: str, pattern: str, first: list[str]) -> None:
    for char in first:
        _IMPLICIT.setdefault(char, []).append((f"tag:yaml.org,2002:{name}", re.compile(pattern)))


_implicit("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF"))
_implicit("int", r"^[-+]?[0-9]+$", list("-+0123456789"))
_implicit("float", r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$", list("-+0123456789."))
_implicit("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""])
_implicit("timestamp", r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", list("0123456789"))


_ALIAS_REFUSED = "YAML aliases (*name) are not allowed in sources; repeat the text instead"
_TOO_DEEP = f"nesting is deeper than {MAX_DEPTH} levels; sources never need this much"


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


def _remembering(base: type) -> type:
    """A number type that remembers how it was written, so `version: 1.10` can still be read as "1.10"."""

    class Remembered(base):
        raw: str

        def __new__(cls, value: object, raw: str):  # noqa: ANN204
            obj = super().__new__(cls, value)
            obj.raw = raw
            return obj

    Remembered.__name__ = Remembered.__qualname__ = base.__name__.capitalize() + "AsWritten"
    return Remembered


Number = _remembering(float)
Integer = _remembering(int)


@dataclass
class Document:
    """One YAML file as plain data plus a map from key paths to (line, column), both 1-based."""

    file: str
    data: Any
    positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def locate(self, key_path: KeyPath, *, key: bool = False) -> tuple[int, int]:
        """Position of the value (or the key) at key_path, else of its nearest located ancestor."""
        table = self.key_positions if key else self.positions
        if key_path in table:
            return table[key_path]
        for end in range(len(key_path) - 1, -1, -1):
            if key_path[:end] in self.positions:
                return self.positions[key_path[:end]]
        return (1, 1)

    def problem(self, key_path: KeyPath, message: str, *, key: bool = False, severity="error") -> Problem:
        line, column = self.locate(key_path, key=key)
        return Problem(self.file, line, column, message, format_key_path(key_path), severity)




def read_yaml(path: Path, display_path: str) -> tuple[Document | None, list[Problem]]:
    """Parse one file; anything wrong with it, even hostile input, becomes a located Problem."""
    try:
        raw = _read_bounded(path)
    except OSError as exc:
        return None, [Problem(display_path, 1, 1, f"cannot read file: {exc.strerror}")]
    if raw is None:
        return None, [Problem(display_path, 1, 1, "is not a regular file")]
    if len(raw) > MAX_SOURCE_BYTES:
        return None, [Problem(display_path, 1, 1, f"file is larger than {MAX_SOURCE_BYTES:,} bytes")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        # The bytes before the first bad one are valid UTF-8, so they can be counted as text.
        line, column = _line_and_column(raw[: exc.start].decode("utf-8"))
        return None, [Problem(display_path, line, column, f"file is not UTF-8 text (byte {exc.start})")]
    doc = Document(display_path, None)
    try:
        problems = _Composer(doc).read(text)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(display_path, exc)]
    except ReaderError as exc:
        return None, [_character_problem(display_path, exc, raw, text)]
    except _Stop as stop:
        return None, [stop.problem]
    except yaml.YAMLError as exc:
        return None, [Problem(display_path, 1, 1, f"YAML error: {exc}")]
    return doc, problems


def _read_bounded(path: Path) -> bytes | None:
    """At most one byte past the limit, and only from a regular file: a receipt named on the
    command line may be a FIFO (opening it waits forever) or /dev/zero (reading it never ends)."""
    with open(path, "rb", opener=_open_nonblocking) as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            return None
        return stream.read(MAX_SOURCE_BYTES + 1)


def _open_nonblocking(path: str, flags: int) -> int:
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


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


class _Stop(Exception):
    """Reading this file ends here with one problem (nesting too deep, a refused alias)."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


# What an open collection is, which decides where the next node in it goes.
_DOCUMENT = "document"  # the single node of the document: stored as Document.data
_LIST = "list"
_MAPPING = "mapping"
_SKIPPED = "skipped"  # nodes in it are dropped: the value of a refused key, an unsupported tag

_NEED_KEY = object()  # a mapping waiting for its next key
_SKIP_VALUE = object()  # a mapping whose next value is dropped (its key was refused)


@dataclass(slots=True)
class _Open:
    """A collection whose end event has not come yet (or the document itself, at the bottom)."""

    kind: str
    key_path: KeyPath = ()
    items: Any = None  # the dict or list being filled
    key: Any = None  # mappings: _NEED_KEY, the key (str) waiting for its value, or _SKIP_VALUE


class _Composer:
    """Builds one document's plain data, positions and problems from parse events, without recursion.

    Open collections are on `stack`, which is also the nesting depth. A node that is dropped (a
    refused key's value, the contents of a collection with an unsupported tag) is still read, as
    part of a skipped collection, so its events stay balanced and the depth limit still applies.
    """

    def __init__(self, doc: Document):
        self.doc = doc
        self.problems: list[Problem] = []
        self.stack: list[_Open] = []
        self.anchors: dict[str, NodeEvent] = {}
        self.refused: Problem | None = None
        self.constructor = SafeConstructor()

    def read(self, text: str) -> list[Problem]:
        """Compose the single document in `text`; the file is an error from a second one on."""
        parser = _parser(text)
        try:
            return self._compose(parser)
        finally:
            parser.dispose()

    def _compose(self, parser: Any) -> list[Problem]:
        """The event loop: it runs once per node of every source in the KB, so it stays lean."""
        get_event, stack = parser.get_event, self.stack
        self.doc.data = {}  # an empty stream (only comments) reads as an empty mapping
        while True:
            event = get_event()
            kind = type(event)
            if kind is ScalarEvent:
                if event.anchor is not None:
                    self._remember(event)
                self._scalar(event)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                stack.pop()
            elif kind is MappingStartEvent:
                self._start(event, {})
            elif kind is SequenceStartEvent:
                self._start(event, [])
            elif kind is AliasEvent:
                self._alias(event)
            elif kind is DocumentStartEvent:
                if stack:
                    self._second_document(event)
                stack.append(_Open(_DOCUMENT))
            elif kind is StreamEndEvent:
                break
        if self.refused is not None:
            raise _Stop(self.refused)
        return self.problems

    def _second_document(self, event: DocumentStartEvent) -> None:
        """Worded as PyYAML's composers word it, with the first document's node as the context."""
        line, column = self.doc.positions[()]
        first = yaml.Mark(self.doc.file, 0, line - 1, column - 1, None, None)
        raise ComposerError(
            "expected a single document in the stream", first, "but found another document", event.start_mark
        )

    # Where a node goes ------------------------------------------------------------------------

    def _slot(self, top: _Open) -> KeyPath | None:
        """Key path of the next value in `top`, or None when that value is dropped."""
        kind = top.kind
        if kind is _LIST:
            return (*top.key_path, len(top.items))
        if kind is _MAPPING:
            if top.key is _SKIP_VALUE:
                top.key = _NEED_KEY
                return None
            return (*top.key_path, top.key)
        return () if kind is _DOCUMENT else None

    def _put(self, top: _Open, value: Any) -> None:
        """Store the value whose key path `_slot` just gave."""
        kind = top.kind
        if kind is _LIST:
            top.items.append(value)
        elif kind is _MAPPING:
            top.items[top.key] = value
            top.key = _NEED_KEY
        else:
            self.doc.data = value

    def _remember(self, event: NodeEvent) -> None:
        if event.anchor in self.anchors:
            first = self.anchors[event.anchor].start_mark
            raise ComposerError(
                "found duplicate anchor; first occurrence", first, "second occurrence", event.start_mark
            )
        self.anchors[event.anchor] = event

    # Nodes -------------------------------------------------------------------------------------

    def _scalar(self, event: ScalarEvent) -> None:
        """Text in a list or as a mapping's value is placed here directly: the commonest node by far."""
        top = self.stack[-1]
        key = top.key
        if top.kind is _LIST:
            items = top.items
            items.append(self._scalar_value(event, (*top.key_path, len(items))))
        elif key is _NEED_KEY:
            self._take_key(top, event)
        elif top.kind is _MAPPING and key is not _SKIP_VALUE:
            top.items[key] = self._scalar_value(event, (*top.key_path, key))
            top.key = _NEED_KEY
        elif (key_path := self._slot(top)) is not None:  # the document's node, or a dropped value
            self._put(top, self._scalar_value(event, key_path))

    def _take_key(self, mapping: _Open, event: ScalarEvent) -> None:
        """Keys are the text as written (`1:` is the key "1"); a repeated key drops its value."""
        key, mark = event.value, event.start_mark
        if key in mapping.items:
            where = format_key_path(mapping.key_path)
            self.problems.append(
                Problem(self.doc.file, mark.line + 1, mark.column + 1, f"duplicate key {key!r}", where)
            )
            mapping.key = _SKIP_VALUE
            return
        mapping.key = key
        self.doc.key_positions[(*mapping.key_path, key)] = (mark.line + 1, mark.column + 1)

    def _refuse_key(self, mapping: _Open) -> None:
        self.problems.append(self.doc.problem(mapping.key_path, "mapping keys must be plain text"))
        mapping.key = _SKIP_VALUE

    def _start(self, event: MappingStartEvent | SequenceStartEvent, items: dict | list) -> None:
        mark = event.start_mark
        if len(self.stack) > MAX_DEPTH:  # the document itself is at the bottom of the stack
            raise _Stop(Problem(self.doc.file, mark.line + 1, mark.column + 1, _TOO_DEEP))
        if event.anchor is not None:
            self._remember(event)
        top = self.stack[-1]
        if top.key is _NEED_KEY:
            self._refuse_key(top)
            key_path = None
        else:
            key_path = self._slot(top)
        if key_path is None:
            self.stack.append(_Open(_SKIPPED))
            return
        self.doc.positions[key_path] = (mark.line + 1, mark.column + 1)
        if event.tag is not None and event.tag != "!" and event.tag not in _PLAIN_TAGS:
            self.problems.append(self.doc.problem(key_path, _unsupported_tag(event.tag)))
            self._put(top, None)
            self.stack.append(_Open(_SKIPPED))
            return
        self._put(top, items)
        if type(items) is dict:
            self.stack.append(_Open(_MAPPING, key_path, items, _NEED_KEY))
        else:
            self.stack.append(_Open(_LIST, key_path, items))

    def _alias(self, event: AliasEvent) -> None:
        """Every alias is refused, of text too: 200,000 aliases of one 100 KB text in a 1.5 MB file
        would expand to 20 GB. Sources and receipts never need them."""
        if event.anchor not in self.anchors:
            raise ComposerError(None, None, "found undefined alias", event.start_mark)
        top = self.stack[-1]
        if top.key is _NEED_KEY:
            self._refuse_key(top)
            return
        key_path = self._slot(top)
        if key_path is not None:
            self._refuse_alias(key_path)

    def _refuse_alias(self, key_path: KeyPath) -> None:
        """Remember the refusal and drop the rest; a syntax error later in the file still wins.

        Located at the alias's key, or at the list holding it, as the node composer did.
        """
        line, column = self.doc.key_positions.get(key_path) or self.doc.locate(key_path[:-1])
        self.refused = Problem(self.doc.file, line, column, _ALIAS_REFUSED)
        for open_ in self.stack:
            open_.kind, open_.key = _SKIPPED, None

    # Scalars -----------------------------------------------------------------------------------

    def _scalar_value(self, event: ScalarEvent, key_path: KeyPath) -> Any:
        mark = event.start_mark
        self.doc.positions[key_path] = (mark.line + 1, mark.column + 1)
        value, tag = event.value, event.tag
        if tag is None or tag == "!":
            if not event.implicit[0] or value[:1] not in _IMPLICIT:
                return value  # quoted text, or plain text that no implicit type can start with
            tag = _resolve(value)
        if tag == _STR_TAG:
            return value  # most scalars: skip PyYAML's generic constructor machinery
        if tag not in _PLAIN_TAGS:
            self.problems.append(self.doc.problem(key_path, _unsupported_tag(tag)))
            return None
        return self._construct(ScalarNode(tag, value, mark, event.end_mark, event.style), key_path)

    def _construct(self, node: ScalarNode, key_path: KeyPath) -> Any:
        try:
            value = self.constructor.construct_object(node, deep=True)
        except ConstructorError as exc:
            self.problems.append(self.doc.problem(key_path, f"cannot read value: {exc.problem}"))
            return None
        except (ValueError, OverflowError, LookupError, AttributeError):
            # e.g. 2024-13-01, or `!!bool maybe` / `!!timestamp soon`, on which PyYAML's constructors
            # raise KeyError or AttributeError: left as text so the schema reports it in context.
            return node.value
        if isinstance(value, bool) or value is None:
            return value
        if isinstance(value, int):
            return Integer(value, node.value)
        if isinstance(value, float):
            return Number(value, node.value)
        return value


def _resolve(value: str) -> str:
    """The implicit tag of plain (unquoted) text: a boolean, number, null, date, or else text."""
    for tag, pattern in _IMPLICIT.get(value[:1], ()):
        if pattern.match(value):
            return tag
    return _STR_TAG


def _unsupported_tag(tag: str) -> str:
    return f"unsupported YAML tag {tag!r} (sources use plain text, lists and mappings)"
