"""A spy's record that sees calls made in any process: a build does part of its work in a forked
process beside MkDocs (`core.parallel.Beside`), where a list in the test's memory would not grow."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


class CallLog:
    """One JSON line per call, appended to `path` (one `write` each: lines never interleave)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def add(self, value: Any) -> None:
        line = (json.dumps(value) + "\n").encode()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)

    @property
    def calls(self) -> list[Any]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text().splitlines()]
