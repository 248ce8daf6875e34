"""`sopkb changes` and `sopkb validate` on a KB kept in git."""

from __future__ import annotations

import pytest

from tests.git_kb import REFUND, refund_history

from .test_cli import sopkb


@pytest.fixture
def kb(tmp_path):
    return refund_history(tmp_path / "kb")


def test_changes_since_a_date_newest_first_in_markdown(kb):
    kb.edit(REFUND, "Note the refund amount.", "Note the refund *amount* and the reason.")
    kb.edit(REFUND, "version: 2.0", "version: 2.1")
    result = sopkb("-C", str(kb.root), "changes", "--since", "2026-03-01")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "# What changed in Small KB since 2026-03-01\n\n"
        "3 changes in 1 SOP, newest first.\n\n"
        "## Refund request: version 2.1 (from 2.0) (not committed yet)\n\n"
        "In short: 1 step reworded.\n\n"
        "- Step 4 “Record the refund”: reworded (do).\n"
        "  - Do: Note the refund **\\***amount**\\* and the reason**.\n\n"  # Markdown's own * escaped
        "## Refund request: version 2.0 (from 1.12), 2026-04-01\n\n"
        "> Refund: find the order before greeting\n\n"
        "In short: 1 step moved.\n\n"
        "- Step 1 “Find the order”: moved (was step 2).\n\n"
        "## Refund request: version 1.12 (from 1.11), 2026-03-01\n\n"
        "> Refund: ineligible orders go straight to a supervisor\n\n"
        "In short: 1 branch retargeted, 1 removed.\n\n"
        "- Step 3 “Check eligibility”: answer “No” now leads to SOP escalation, step escalate (was SOP "
        "escalation, step listen); answer “Not sure” removed (it went to step 4 “Record the refund”).\n"
    )


def test_changes_since_a_tag_and_as_html(kb):
    kb.git("tag", "v1.12", "HEAD~1")
    kb.edit(REFUND, '"I\'ve issued your refund."', '"<b>Done</b> — I\'ve issued your refund."')
    kb.edit(REFUND, "version: 2.0", "version: 2.1")
    result = sopkb("-C", str(kb.root), "changes", "--since", "v1.12", "--format", "html")
    assert result.returncode == 0, result.stderr
    html = result.stdout
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html and "http" not in html
    assert "<h1>What changed in Small KB since v1.12</h1><p>2 changes in 1 SOP, newest first.</p>" in html
    assert (
        '<li><span class="part">If yes: say:</span> <ins><span class="hidden">added: </span>&lt;b&gt;Done&lt;/b&gt; — </ins>'
        "I&#39;ve issued your refund.</li>"
    ) in html
    assert "<b>Done" not in html
    assert "version 1.12 (from 1.11)" not in html  # before the tag


def test_changes_without_since_lists_every_change_but_no_first_versions(kb):
    result = sopkb("-C", str(kb.root), "changes")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n## ") == 3
    assert "new, version" not in result.stdout


def test_changes_since_something_unknown_is_a_clean_error(kb):
    result = sopkb("-C", str(kb.root), "changes", "--since", "last-tuesday")
    assert result.returncode == 1
    assert result.stderr == (
        "error: --since 'last-tuesday' is neither a date (YYYY-MM-DD) nor a commit, tag or branch of the "
        "KB's git history\n"
    )


def test_validate_warns_at_the_version_line_and_strict_stops(kb):
    kb.edit(REFUND, "Record the refund", "Record the refund now")
    result = sopkb("-C", str(kb.root), "validate")
    assert result.returncode == 0
    first = result.stderr.splitlines()[0]
    assert first.endswith(
        "sops/refund.yaml:9:10: warning: version: the content changed since the last commit "
        "(1 step reworded) but `version` did not (2.0): give it a new version, so readers see what "
        "changed and sign again"
    )
    strict = sopkb("-C", str(kb.root), "validate", "--strict")
    assert strict.returncode == 1
    assert strict.stderr.splitlines()[-1] == "Aborted: 3 warnings in strict mode."


def test_a_hostile_commit_subject_is_text_in_both_formats_and_inert_on_a_terminal(kb):
    kb.edit(REFUND, "version: 2.0", "version: 2.1")
    kb.edit(REFUND, "Note the refund amount.", "Note the refund amount and the reason.")
    kb.commit("Refund \x1b[31mred\x07 <img src=x onerror=alert(1)> **kept**", "2026-05-01")
    markdown = sopkb("-C", str(kb.root), "changes", "--since", "2026-05-01")
    assert markdown.returncode == 0, markdown.stderr
    # control characters are U+FFFD from git on (as in the pages and the feed), markup escaped
    assert "> Refund \ufffd[31mred\ufffd \\<img src=x onerror=alert(1)\\> **kept**\n" in markdown.stdout
    html = sopkb("-C", str(kb.root), "changes", "--since", "2026-05-01", "--format", "html")
    assert "\x1b" not in html.stdout and "<img" not in html.stdout
    assert "&lt;img src=x onerror=alert(1)&gt; <strong>kept</strong>" in html.stdout


def test_changes_without_git_or_in_a_shallow_clone_says_so_instead_of_no_changes(kb, tmp_path):
    import os
    import subprocess
    import sys

    empty = tmp_path / "no-programs"
    empty.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "sopkb.cli", "-C", str(kb.root), "changes"],
        env={**os.environ, "PATH": str(empty)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and "no `git` program is on the PATH" in done.stderr
    assert "No changes" not in done.stdout
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{kb.root}", str(clone)], check=True)
    shallow = sopkb("-C", str(clone), "changes")
    assert shallow.returncode == 0 and "the KB is a shallow clone" in shallow.stderr
    assert "## Refund request: version 2.0 (from 1.12)" in shallow.stdout
