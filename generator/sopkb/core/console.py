"""Everything sopkb prints goes through here, so untrusted text cannot drive the terminal.

Learner names, receipt fields, file names, YAML keys and review notes reach the terminal in
messages. An escape sequence in any of them could recolour, clear or retitle the author's
terminal, hide a line (carriage return) or reorder what is shown (bidirectional overrides, the
"Trojan Source" trick). Each such character is printed as a visible escape (`\\x1b`, `\\u202e`)
instead, so the author sees that it is there and nothing acts on it. sopkb's own output never
needs them; only line breaks are kept, and inside one message (a problem, a flag) untrusted text
cannot add one either (`one_line`).
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
from typing import TextIO

_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 controls but tab and newline; DEL; C1 controls (CSI is \x9b)
    "\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]"
)


def _escaped(match: re.Match) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: str) -> str:
    """`text` with every character that could act on a terminal shown as an escape."""
    return _UNSAFE.sub(_escaped, text)


def one_line(text: str) -> str:
    """Untrusted text inside one line of output: a line break in it (a learner's name, a file
    name) would otherwise start a line of its own that looks like sopkb's."""
    return clean(text).replace("\n", "\\x0a")


def count(n: int, one: str, many: str | None = None) -> str:
    """`1 error`, `2 errors`, `3 quizzes`: the counts in sopkb's own sentences."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def out(text: str = "") -> None:
    _write(sys.stdout, text)


def err(text: str) -> None:
    _write(sys.stderr, text)


def _write(stream: TextIO, text: str) -> None:
    stream.write(clean(text) + "\n")
    stream.flush()


class CleanFormatter(logging.Formatter):
    """For MkDocs' and sopkb's log lines, which carry file names and source text too."""

    def format(self, record: logging.LogRecord) -> str:
        return clean(super().format(record))


class Progress:
    """One line on stderr that long work redraws in place ("Rendering SOPs [####----] 420/1000"),
    on a terminal only: in a pipe, a log file or CI (`CI` set, as every CI service sets it) it says
    nothing, so logs hold results, not a thousand redraws. Redrawn at most ten times a second;
    `done()` clears it, so what is printed next starts on a clean line."""

    WIDTH = 30

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._drawn = 0.0
        self._shown = False

    @classmethod
    def on_terminal(cls) -> Progress:
        return cls(sys.stderr.isatty() and not os.environ.get("CI"))

    def show(self, what: str, n: int, total: int, label: str = "") -> None:
        if not self.enabled or total <= 0:
            return
        now = time.monotonic()
        if n < total and now - self._drawn < 0.1:
            return
        self._drawn = now
        filled = int(self.WIDTH * min(n, total) / total)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        tail = f" {one_line(label)[-40:]}" if label else ""
        sys.stderr.write(f"\r\x1b[K{what} [{bar}] {n:,}/{total:,}{tail}")
        sys.stderr.flush()
        self._shown = True

    def done(self) -> None:
        if self.enabled and self._shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self._shown = False
