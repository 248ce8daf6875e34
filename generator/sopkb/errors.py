"""User errors are data: located problems collected across every file, reported once.

Internal errors (bugs) stay ordinary exceptions with their traceback; only `SourceErrors`
is turned into a clean `path:line:col: message` report with exit code 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one source file, at a 1-based line and column."""

    path: str
    line: int
    column: int
    message: str
    key_path: str = ""
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        what = f"{self.key_path}: {self.message}" if self.key_path else self.message
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {prefix}{what}"


class SourceErrors(Exception):
    """Raised once, after collection, when any source file has an error."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(self.report())

    def report(self) -> str:
        errors = sum(1 for p in self.problems if p.severity == "error")
        lines = [str(p) for p in self.problems]
        lines.append(f"Aborted with {errors} error{'s' if errors != 1 else ''}.")
        return "\n".join(lines)


class ProjectError(Exception):
    """The KB folder itself is unusable (no mkdocs.yml, unreadable folder): one clear sentence."""
