"""Markdown (`.md`) to blocks, through markdown-it-py (CommonMark, with tables), which sopkb
already uses to render author text.

Headings keep their level; list items their nesting depth and the number a reader would see
(Markdown's repeated `1.` is shown as 1, 2, 3, so that is the number given); a paragraph, quote
or code block is a paragraph; a table keeps its rows. Inline markup (emphasis, code, links) is
dropped to its text; raw HTML is kept as the text it is.
"""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .blocks import Block, Where
from .markers import split_marker
from .phrases import SPEAKER
from .read_text import _read, clean_line, decode, text_blocks

_PARSER = MarkdownIt("commonmark", {"html": False}).enable("table")


def read_markdown(path: Path, display: str) -> list[Block]:
    return markdown_blocks(decode(_read(path), display), display)


def markdown_blocks(text: str, display: str) -> list[Block]:
    text = "\n".join(clean_line(line) for line in text.splitlines())
    tokens = _PARSER.parse(text)
    walker = _Walker(display)
    walker.walk(tokens)
    return walker.blocks


class _Walker:
    def __init__(self, display: str):
        self.display = display
        self.blocks: list[Block] = []
        self.lists: list[list[int]] = []  # per open list: [next number, or -1 for bullets]
        self.item_open: list[bool] = []  # per open item: its first paragraph is still to come
        self.numbers: list[str | None] = []
        self.row: list[str] = []
        self.rows: list[tuple[str, ...]] = []
        self.table_line = 1

    def walk(self, tokens: list[Token]) -> None:
        i = 0
        while i < len(tokens):
            token = tokens[i]
            handler = getattr(self, "_" + token.type, None)
            if handler is not None:
                i = handler(tokens, i) or i
            i += 1

    def _where(self, token: Token) -> Where:
        return Where(self.display, line=token.map[0] + 1 if token.map else None)

    def _heading_open(self, tokens: list[Token], i: int) -> int:
        text = _inline_text(tokens[i + 1])
        if text:
            self.blocks.append(Block("heading", text, self._where(tokens[i]), level=int(tokens[i].tag[1:])))
        return i + 2

    def _ordered_list_open(self, tokens: list[Token], i: int) -> None:
        self.lists.append([int(tokens[i].attrGet("start") or 1)])

    def _bullet_list_open(self, tokens: list[Token], i: int) -> None:
        self.lists.append([-1])

    def _ordered_list_close(self, tokens: list[Token], i: int) -> None:
        self.lists.pop()

    _bullet_list_close = _ordered_list_close

    def _list_item_open(self, tokens: list[Token], i: int) -> None:
        counter = self.lists[-1]
        number = None
        if counter[0] >= 0:
            number = f"{counter[0]}{tokens[i].markup or '.'}"
            counter[0] += 1
        self.item_open.append(True)
        self.numbers.append(number)

    def _list_item_close(self, tokens: list[Token], i: int) -> None:
        if self.item_open.pop():  # an empty item
            self.numbers.pop()
            return
        self.numbers.pop()

    def _paragraph_open(self, tokens: list[Token], i: int) -> int:
        text = _inline_text(tokens[i + 1])
        where = self._where(tokens[i])
        if self.item_open and self.item_open[-1]:
            self.item_open[-1] = False
            level = len(self.lists) - 1
            self.blocks.append(Block("item", text, where, level=level, number=self.numbers[-1]))
        elif text:
            for lines in _own_lines(_inline_lines(tokens[i + 1])):
                self.blocks.append(Block("paragraph", " ".join(" ".join(lines).split()), where))
        return i + 2

    def _code_block(self, tokens: list[Token], i: int) -> None:
        self._raw(tokens[i])

    _fence = _code_block
    _html_block = _code_block

    def _raw(self, token: Token) -> None:
        """Code and raw HTML: read as plain text, line by line, as the text reader would."""
        where = self._where(token)
        for block in text_blocks(token.content, self.display):
            line = (where.line or 1) + (block.where.line or 1) - 1
            kind = "paragraph" if block.kind == "heading" else block.kind
            self.blocks.append(
                Block(kind, block.text, Where(self.display, line=line), block.level, block.number, block.rows)
            )

    def _table_open(self, tokens: list[Token], i: int) -> None:
        self.rows = []
        self.table_line = (tokens[i].map[0] + 1) if tokens[i].map else 1

    def _tr_open(self, tokens: list[Token], i: int) -> None:
        self.row = []

    def _inline(self, tokens: list[Token], i: int) -> None:
        if i > 0 and tokens[i - 1].type in ("th_open", "td_open"):
            self.row.append(_inline_text(tokens[i]))

    def _tr_close(self, tokens: list[Token], i: int) -> None:
        self.rows.append(tuple(self.row))

    def _table_close(self, tokens: list[Token], i: int) -> None:
        if self.rows:
            where = Where(self.display, line=self.table_line)
            self.blocks.append(Block("table", "", where, rows=tuple(self.rows)))


def _own_lines(lines: list[str]) -> list[list[str]]:
    """A paragraph's lines, split where a line starts a dialogue turn ("Customer: …") or a typed
    list marker: in Markdown they run on into one paragraph, in the document they were lines."""
    groups: list[list[str]] = []
    for line in lines:
        starts = SPEAKER.match(line.strip()) or split_marker(line.strip())
        if groups and not starts:
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def _inline_lines(token: Token) -> list[str]:
    lines = [""]
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            lines.append("")
        elif child.type in ("text", "code_inline", "html_inline", "image"):
            lines[-1] += child.content
    return [line for line in lines if line.strip()]


def _inline_text(token: Token) -> str:
    return " ".join(" ".join(_inline_lines(token)).split())
