"""Checks of what an SOP holds besides its flow: tables whose rows fit their columns and that an
agent can read during a call, a part order that names parts the step has, and prose that a YAML
`[a, b]` list split at a comma."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..core.console import count
from ..core.errors import Problem
from ..core.key_path import KeyPath
from ..loading.document import Document
from ..models.sop import Sop
from ..models.step import Step
from ..text.markdown import table_sizes

CONTINUATIONS = frozenset(
    """and or but so then if otherwise unless else when while until because before after which
    nor yet plus including except""".split()
)
"""Words a new item does not start with, in lower case: an item that does is the rest of a
sentence that a comma cut in two (`do: [Send the link, then end the call.]`)."""

COLUMNS_NAMED = 6  # columns named in a message about a row; past this, only their count
MAX_COLUMNS = 12
MAX_ROWS = 200
"""A table past either is a warning: no agent reads 60 columns or 1,000 rows during a call."""


def check_content(sop: Sop, doc: Document) -> list[Problem]:
    problems = []
    for path, step in _steps_with_paths(sop):
        problems += _check_tables(step, path, doc)
        problems += _check_order(step, path, doc)
    return problems + _check_markdown_tables(doc) + split_items(doc)


def _steps_with_paths(sop: Sop) -> Iterator[tuple[KeyPath, Step]]:
    for base, section in sop.located_sections():
        for i, step in enumerate(section.steps):
            yield (*base, i), step


def _check_tables(step: Step, path: KeyPath, doc: Document) -> list[Problem]:
    """Every row with one cell per column, each wrong row located where it is written, and no
    table too big to read during a call."""
    problems = []
    for t_i, table in enumerate(step.tables):
        where = (*path, "tables", t_i)
        problems += [
            doc.problem((*where, part), m, severity="warning")
            for part, m in _size_warnings(len(table.columns), len(table.rows))
        ]
        width = len(table.columns)
        named = f" ({', '.join(table.columns)})" if width <= COLUMNS_NAMED else ""
        for r_i, row in enumerate(table.rows):
            if len(row) != width:
                problems.append(
                    doc.problem(
                        (*path, "tables", t_i, "rows", r_i),
                        f"this row has {count(len(row), 'cell')} but the table has "
                        f"{count(width, 'column')}{named}: give every row one cell per column",
                    )
                )
    return problems


def _size_warnings(columns: int, rows: int) -> list[tuple[str, str]]:
    """(`columns` or `rows`, message) for a table too big to be useful to an agent."""
    out = []
    for part, size, most in (("columns", columns, MAX_COLUMNS), ("rows", rows, MAX_ROWS)):
        if size > most:
            message = f"this table has {size:,} {part}, too many to read during a call (at most {most})"
            out.append((part, f"{message}: split it, or link to the full table"))
    return out


def _check_markdown_tables(doc: Document) -> list[Problem]:
    """The same for a table written in Markdown, located at the text that holds it."""
    problems = []
    stack: list[tuple[KeyPath, Any]] = [((), doc.data)]
    while stack:  # a loop, not recursion: this looks at every value of every SOP
        path, value = stack.pop()
        if isinstance(value, str):
            for columns, rows in table_sizes(value):
                problems += [
                    doc.problem(path, m, severity="warning") for _, m in _size_warnings(columns, rows)
                ]
        elif isinstance(value, dict):
            stack += [((*path, k), v) for k, v in value.items()]
        elif isinstance(value, list):
            stack += [((*path, i), v) for i, v in enumerate(value)]
    return problems


def _check_order(step: Step, path: KeyPath, doc: Document) -> list[Problem]:
    """`order` lists parts the step has, once each; anything else would silently do nothing."""
    problems = []
    seen: set[str] = set()
    for i, name in enumerate(step.order):
        where = (*path, "order", i)
        if name in seen:
            problems.append(
                doc.problem(where, f"{name!r} is listed twice; the first place counts", severity="warning")
            )
        elif not getattr(step, name):
            problems.append(
                doc.problem(where, f"the step has no {name!r}; remove it from `order`", severity="warning")
            )
        seen.add(name)
    return problems


def split_items(doc: Document) -> list[Problem]:
    """A warning at each unquoted item of a `[a, b]` list that starts like the rest of a sentence."""
    problems = []
    for key_path in doc.flow_items:
        value = _value_at(doc.data, key_path)
        if not isinstance(value, str) or not value.strip():
            continue
        word = value.split(maxsplit=1)[0].rstrip(",.;:")
        if word in CONTINUATIONS:
            problems.append(
                doc.problem(
                    key_path,
                    f"this item starts with {word!r}, as if a comma had cut a sentence in two: in a "
                    "`[a, b]` list every comma starts a new item; quote the sentence, or write the "
                    "list one `- ` line per item",
                    severity="warning",
                )
            )
    return problems


def _value_at(data: Any, key_path: KeyPath) -> Any:
    for key in key_path:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return None
    return data
