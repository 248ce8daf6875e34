"""One source file as plain data, with the line and column of every key and value.

Every later stage locates its problems through it, so it sits below them all; how a file
becomes one is `yaml_reader.py`'s business.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import Problem
from ..core.key_path import KeyPath, format_key_path


@dataclass
class Document:
    """One YAML file as plain data plus a map from key paths to (line, column), both 1-based."""

    file: str
    data: Any
    positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    flow_items: list[KeyPath] = field(default_factory=list)
    """Unquoted text items of `[a, b]` lists, each but the first: where a comma may have split a
    sentence the author meant as one item."""
    blob: str | None = field(default=None, compare=False)
    """The id git gives the bytes it was read from (a file's, not text in memory): what the
    version history compares and keeps its diffs by."""
    _reread: Callable[[], Document | None] | None = field(default=None, compare=False, repr=False)
    worked_out: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """What a check works out from `data` alone, once per document: `sopkb serve` keeps the
    documents of unchanged files between saves (validation/source_memo.py)."""

    def fold(self, reread: Callable[[], Document | None]) -> None:
        """Let go of the position tables, most of a read file's memory (a build holds every SOP's
        document until the whole KB is checked). `reread` reads the same text again, for the
        first problem this document must locate: the positions are the same as before."""
        self.positions, self.key_positions, self._reread = {}, {}, reread

    @classmethod
    def unread(
        cls, file: str, blob: str | None, flow_items: list[KeyPath], reread: Callable[[], Document | None]
    ) -> Document:
        """A document known by what an earlier build found in the same bytes (`sopkb build`'s
        source cache), not parsed: its data and positions are read from `reread` only if a check
        asks for them (most are kept with it), so an unchanged rebuild parses no YAML."""
        doc = cls(file, None, flow_items=flow_items, blob=blob)
        del doc.data  # read on first use: `__getattr__`
        doc._reread = reread
        return doc

    def __getattr__(self, name: str) -> Any:
        """Only for an attribute not set: the data of an `unread` document, read on first use."""
        if name == "data" and self.__dict__.get("_reread") is not None:
            self._unfold()
            return self.__dict__["data"]
        raise AttributeError(name)

    def locate(self, key_path: KeyPath, *, key: bool = False) -> tuple[int, int]:
        """Position of the value (or the key) at key_path, else of its nearest located ancestor."""
        if self._reread is not None:
            self._unfold()
        table = self.key_positions if key else self.positions
        if key_path in table:
            return table[key_path]
        for end in range(len(key_path) - 1, -1, -1):
            if key_path[:end] in self.positions:
                return self.positions[key_path[:end]]
        return (1, 1)

    def _unfold(self) -> None:
        reread, self._reread = self._reread, None
        again = reread()
        if again is not None:
            self.positions, self.key_positions = again.positions, again.key_positions
        if "data" not in self.__dict__:  # an unread document: the same bytes give the same data
            self.data = again.data if again is not None else None

    def problem(self, key_path: KeyPath, message: str, *, key: bool = False, severity="error") -> Problem:
        line, column = self.locate(key_path, key=key)
        return Problem(self.file, line, column, message, format_key_path(key_path), severity)
