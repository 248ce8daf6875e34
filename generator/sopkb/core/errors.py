"""User errors are data: located problems collected across every file, reported once.

Internal errors (bugs) stay ordinary exceptions with their traceback; only `SourceErrors`
is turned into a clean `path:line:col: message` report with exit code 1.
"""

from __future__ import annotations

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


class SourceErrors(Exception):
    """Raised once, after collection, when any source file has an error (or, in strict mode, a
    warning: `strict` says which, so the last line names what actually stopped the run)."""

    def __init__(self, problems: list[Problem], *, strict: bool = False):
        self.problems = sorted(problems)
        self.strict = strict
        super().__init__(self.report())

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


class ProjectError(Exception):
    """The KB folder itself is unusable (no mkdocs.yml, unreadable folder): one clear sentence."""
