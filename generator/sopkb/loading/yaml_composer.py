"""YAML parse events composed into plain data, with an explicit stack instead of recursion.

PyYAML's composers (libyaml's in C and the pure-Python one) recurse once per nesting level, so a
few KB of `[[[[…` from an untrusted receipt segfaulted the process. The parsers are iterative
state machines; composing their events with an explicit stack and a depth limit turns every
hostile file into one located problem. Every alias is refused (sources never need them, and
refusing them makes alias-expansion bombs impossible), and so is any tag beyond YAML's plain
types. Booleans follow YAML 1.2 (only true/false), so an answer written `Yes` stays "Yes".
"""

from __future__ import annotations

from dataclasses import dataclass
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

from ..core.errors import Problem
from ..core.key_path import KeyPath, format_key_path
from .document import Document
from .yaml_scalars import IMPLICIT, PLAIN_TAGS, STR_TAG, Integer, Number, resolve, unsupported_tag

# Real sources nest about 10 deep (steps > decision > branches > …); a limit far above that
# still bounds the composer's stack, which is all that hostile nesting could otherwise exhaust.
MAX_DEPTH = 64

_ALIAS_REFUSED = "YAML aliases (*name) are not allowed in sources; repeat the text instead"
_TOO_DEEP = f"nesting is deeper than {MAX_DEPTH} levels; sources never need this much"


class Stop(Exception):
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
    flow: bool = False  # a list written `[a, b]`


class Composer:
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

    def read(self, parser: Any) -> list[Problem]:
        """Compose the single document `parser` emits; the file is an error from a second one on."""
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
            raise Stop(self.refused)
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
            key_path = (*top.key_path, len(items))
            if top.flow and items and not event.style:  # plain: None (pure parser) or "" (libyaml)
                self.doc.flow_items.append(key_path)
            items.append(self._scalar_value(event, key_path))
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
            raise Stop(Problem(self.doc.file, mark.line + 1, mark.column + 1, _TOO_DEEP))
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
        if event.tag is not None and event.tag != "!" and event.tag not in PLAIN_TAGS:
            self.problems.append(self.doc.problem(key_path, unsupported_tag(event.tag)))
            self._put(top, None)
            self.stack.append(_Open(_SKIPPED))
            return
        self._put(top, items)
        if type(items) is dict:
            self.stack.append(_Open(_MAPPING, key_path, items, _NEED_KEY))
        else:
            self.stack.append(_Open(_LIST, key_path, items, flow=bool(event.flow_style)))

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
            if not event.implicit[0] or value[:1] not in IMPLICIT:
                return value  # quoted text, or plain text that no implicit type can start with
            tag = resolve(value)
        if tag == STR_TAG:
            return value  # most scalars: skip PyYAML's generic constructor machinery
        if tag not in PLAIN_TAGS:
            self.problems.append(self.doc.problem(key_path, unsupported_tag(tag)))
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
