"""User errors are data: located problems collected across every file, reported once.

Internal errors (bugs) stay ordinary exceptions with their traceback; only `SourceErrors`
is turned into a clean `path:line:col: message` report with exit code 1.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from typing import Literal

from .console import count, one_line

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one source file, at a 1-based line and column."""

    file: str
    line: int
    column: int
    message: str
    key_path: str = ""
    severity: Severity = "error"

    def __str__(self) -> str:
        """One line, whatever the file name, key or quoted value holds."""
        where = f"{one_line(self.file)}:{self.line}:{self.column}"
        what = one_line(f"{self.key_path}: {self.message}" if self.key_path else self.message)
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{what}"


def shown_path(path: str) -> str:
    """A file as authors type it: relative to where they stand when inside it, else absolute."""
    return _shown(path, os.getcwd())


@functools.lru_cache(maxsize=65_536)  # every source's, on every save of `sopkb serve`
def _shown(path: str, cwd: str) -> str:
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


class SourceErrors(Exception):
    """Raised once, after collection, when any source file has an error (or, in strict mode, a
    warning: `strict` says which, so the last line names what actually stopped the run)."""

    def __init__(self, problems: list[Problem], *, strict: bool = False):
        self.problems = sorted(problems)
        self.strict = strict
        super().__init__(self.report())

    def __reduce__(self):  # noqa: ANN204 - raised by a worker process, raised again by the build
        return (_source_errors, (self.problems, self.strict))

    def report(self) -> str:
        errors = sum(1 for p in self.problems if p.severity == "error")
        warnings = len(self.problems) - errors
        lines = [str(p) for p in self.problems]
        if self.strict and warnings:
            counted = f"{count(errors, 'error')} and " if errors else ""
            lines.append(f"Aborted: {counted}{count(warnings, 'warning')} in strict mode.")
        else:
            lines.append(f"Aborted with {count(errors, 'error')}.")
        return "\n".join(lines)


def _source_errors(problems: list[Problem], strict: bool) -> SourceErrors:
    return SourceErrors(problems, strict=strict)


class ProjectError(Exception):
    """The KB folder itself is unusable (no mkdocs.yml, unreadable folder): one clear sentence."""
