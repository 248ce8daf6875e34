"""The one shape every reader produces and the drafter reads: a document as a list of blocks.

Readers (one per file format) know about Word numbering, PDF pages and HTML tags; the drafter knows
about procedures (steps, decisions, scripts). This module is the seam between them, so a new format
is a new reader and nothing else, and the drafter is tested on blocks without any file format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "item", "table"]


@dataclass(frozen=True)
class Where:
    """Where a block came from, for review notes and error messages ("page 3", "line 14")."""

    file: str  # as the user named it (the display path)
    line: int | None = None  # text formats: the 1-based line the block starts on
    page: int | None = None  # PDF: the 1-based page
    paragraph: int | None = None  # DOCX: the 1-based paragraph index in the body

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.paragraph is not None:
            parts.append(f"paragraph {self.paragraph}")
        return ", ".join(parts)


@dataclass(frozen=True)
class Block:
    """One heading, paragraph, list item or table of a source document, in reading order.

    `text` is plain text with whitespace collapsed (no markup; bold/italic dropped). For an `item`,
    `number` is the marker as the reader saw it ("1.", "2)", "Step 3:", "1.1", "a." or, for Word's
    automatic numbering, the number Word would show) and `text` excludes it; a bullet has
    `number=None`. `level` is the heading level (1 = title) for a heading, the list nesting depth
    (0 = top) for an item, 0 otherwise. A table has `rows` (first row = header when the source marks
    one or it looks like one) and `text` empty.
    """

    kind: BlockKind
    text: str
    where: Where
    level: int = 0
    number: str | None = None
    rows: tuple[tuple[str, ...], ...] = field(default_factory=tuple)


class UnreadableDocument(Exception):
    """A file that cannot be imported: encrypted, no text layer, corrupt, too big, unknown kind.

    The message is for the user, whole and located by the caller (`path: message`); the other
    files of the run still import.
    """
