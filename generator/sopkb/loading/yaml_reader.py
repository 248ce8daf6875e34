"""Safe YAML reading that keeps the line and column of every key and value.

Why not plain `yaml.safe_load`: error messages must point at `path:line:col`, so positions are
recorded while composing. The resolver follows YAML 1.2 for booleans (only true/false), so an
answer written `Yes` stays the string "Yes" instead of becoming True ("the Norway problem").
Aliases are refused: SOPs never need them, and refusing them makes alias-expansion bombs impossible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from ..errors import Problem

KeyPath = tuple[str | int, ...]
MAX_SOURCE_BYTES = 2_000_000


class _Resolver(Resolver):
    """YAML 1.2-style implicit types: true/false only, ints, floats, null, ISO dates."""


_Resolver.yaml_implicit_resolvers = {}
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Resolver.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:timestamp", re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), list("0123456789")
)


class AliasRefused(yaml.YAMLError):
    def __init__(self, mark: yaml.Mark):
        self.problem_mark = mark
        super().__init__("YAML aliases (*name) are not allowed in sources; repeat the text instead")


class _Loader(Reader, Scanner, Parser, Composer, SafeConstructor, _Resolver):
    def __init__(self, stream: str):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        _Resolver.__init__(self)

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's own signature
        if self.check_event(AliasEvent):
            raise AliasRefused(self.peek_event().start_mark)
        return super().compose_node(parent, index)


LIBYAML = bool(getattr(yaml, "__with_libyaml__", False))

if LIBYAML:
    from yaml.cyaml import CParser

    class _FastLoader(CParser, SafeConstructor, _Resolver):
        """libyaml's parser (shipped in PyYAML's wheels) with our resolver: ~10x faster on big KBs."""

        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            SafeConstructor.__init__(self)
            _Resolver.__init__(self)


def _loader(text: str):  # noqa: ANN202
    return _FastLoader(text) if LIBYAML else _Loader(text)


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

    path: str
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
        return Problem(self.path, line, column, message, format_key_path(key_path), severity)


def format_key_path(key_path: KeyPath) -> str:
    """('steps', 2, 'goto') -> 'steps[2].goto', the shape authors see in their file."""
    out = ""
    for part in key_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_yaml(path: Path, display_path: str) -> tuple[Document | None, list[Problem]]:
    """Parse one file; a syntax error becomes a located Problem instead of an exception."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(display_path, 1, 1, f"cannot read file: {exc.strerror}")]
    if len(raw) > MAX_SOURCE_BYTES:
        return None, [Problem(display_path, 1, 1, f"file is larger than {MAX_SOURCE_BYTES:,} bytes")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(display_path, 1, 1, f"file is not UTF-8 text (byte {exc.start})")]
    loader = _loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        context = exc.context or ""
        if exc.context_mark is not None and exc.problem_mark is not None and exc.context:
            context += f" (started at line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1})"
        message = ": ".join(filter(None, [context, exc.problem])) or str(exc)
        return None, [Problem(display_path, line, column, f"YAML syntax error: {message}")]
    except AliasRefused as exc:
        mark = exc.problem_mark
        return None, [Problem(display_path, mark.line + 1, mark.column + 1, str(exc))]
    except yaml.YAMLError as exc:
        return None, [Problem(display_path, 1, 1, f"YAML error: {exc}")]
    finally:
        loader.dispose()
    doc = Document(display_path, None)
    problems: list[Problem] = []
    if node is None:
        doc.data = {}
        return doc, problems
    try:
        doc.data = _convert(node, (), doc, loader, problems, set())
    except AliasRefused as exc:
        mark = exc.problem_mark
        return None, [Problem(display_path, mark.line + 1, mark.column + 1, str(exc))]
    return doc, problems


_STR_TAG = "tag:yaml.org,2002:str"
_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")
}


def _convert(
    node: Node, key_path: KeyPath, doc: Document, loader: Any, problems: list[Problem], seen: set[int]
) -> Any:
    if isinstance(node, (MappingNode, SequenceNode)):
        # An alias is the same node object met twice; refusing it here keeps expansion linear.
        if id(node) in seen:
            line, column = doc.key_positions.get(key_path) or doc.locate(key_path[:-1])
            raise AliasRefused(yaml.Mark(doc.path, 0, line - 1, column - 1, None, None))
        seen.add(id(node))
    doc.positions[key_path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if node.tag not in _PLAIN_TAGS:
        problems.append(
            doc.problem(
                key_path, f"unsupported YAML tag {node.tag!r} (sources use plain text, lists and mappings)"
            )
        )
        return None
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                problems.append(doc.problem(key_path, "mapping keys must be plain text"))
                continue
            key = key_node.value
            if key in result:
                line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                problems.append(
                    Problem(doc.path, line, column, f"duplicate key {key!r}", format_key_path(key_path))
                )
                continue
            child = (*key_path, key)
            doc.key_positions[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _convert(value_node, child, doc, loader, problems, seen)
        return result
    if isinstance(node, SequenceNode):
        return [
            _convert(item, (*key_path, i), doc, loader, problems, seen) for i, item in enumerate(node.value)
        ]
    if node.tag == _STR_TAG:
        return node.value  # most nodes: skip PyYAML's generic constructor machinery
    try:
        value = loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as exc:
        problems.append(doc.problem(key_path, f"cannot read value: {exc.problem}"))
        return None
    except (ValueError, OverflowError):
        return node.value  # e.g. 2024-13-01: left as text so the schema reports it once, in context
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return Integer(value, node.value)
    if isinstance(value, float):
        return Number(value, node.value)
    return value
