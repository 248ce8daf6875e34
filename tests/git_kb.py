"""A KB as a git repository in a temporary folder, for the version-history tests.

`refund_history(root)` makes the story the tests check: a copy of tests/fixtures/kb-small whose
refund SOP goes through four versions, one kind of change each, committed on fixed days.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.conftest import FIXTURES


class GitKb:
    def __init__(self, root: Path):
        self.root = root
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "Test Author")
        self.git("config", "user.email", "author@example.invalid")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str, date: str = "2026-01-01") -> str:
        stamp = f"{date}T12:00:00+00:00"
        env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        done = subprocess.run(
            ["git", "-C", str(self.root), *args], capture_output=True, text=True, env=env, check=True
        )
        return done.stdout.strip()

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def commit(self, message: str, date: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, date=date)
        return self.git("rev-parse", "HEAD")


REFUND = "sops/refund.yaml"


def small_kb_in_git(root: Path) -> GitKb:
    shutil.copytree(FIXTURES / "kb-small", root)
    kb = GitKb(root)
    kb.commit("The small KB", "2026-01-01")
    return kb


def refund_history(root: Path) -> GitKb:
    """1.10 → 1.11 (say line reworded, step added, a third branch) → 1.12 (branch retargeted,
    branch removed) → 2.0 (step moved), each committed; then a change committed without a bump."""
    kb = small_kb_in_git(root)
    kb.edit(REFUND, "version: 1.10", "version: 1.11")
    kb.edit(
        REFUND,
        '"Hello {customer_name}, how can I help?"',
        '"Hello {customer_name}, how can I help you today?"',
    )
    kb.edit(
        REFUND,
        "  - id: eligible\n",
        "  - id: find-order\n    title: Find the order\n    do: [Search the order by its number.]\n"
        "  - id: eligible\n",
    )
    kb.edit(
        REFUND,
        "          goto: sop:escalation#listen\n",
        "          goto: sop:escalation#listen\n        - answer: Not sure\n          goto: record\n",
    )
    kb.commit("Refund: find the order first", "2026-02-01")
    kb.edit(REFUND, "version: 1.11", "version: 1.12")
    kb.edit(REFUND, "          goto: sop:escalation#listen\n", "          goto: sop:escalation#escalate\n")
    kb.edit(REFUND, "        - answer: Not sure\n          goto: record\n", "")
    kb.commit("Refund: ineligible orders go straight to a supervisor", "2026-03-01")
    kb.edit(REFUND, "version: 1.12", "version: 2.0")
    kb.edit(
        REFUND,
        "  - id: find-order\n    title: Find the order\n    do: [Search the order by its number.]\n",
        "",
    )
    kb.edit(
        REFUND,
        "  - id: greet\n",
        "  - id: find-order\n    title: Find the order\n    do: [Search the order by its number.]\n"
        "  - id: greet\n",
    )
    kb.commit("Refund: find the order before greeting", "2026-04-01")
    return kb
