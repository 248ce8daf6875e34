"""Version history read from a KB's git repository, and the guard rails `sopkb validate` adds.

The KB is tests/fixtures/kb-small in a temporary git repository whose refund SOP goes through
1.10 → 1.11 → 1.12 → 2.0 (tests/git_kb.py); each test adds its own last step.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import subprocess

import pytest
from sopkb.core.errors import SourceErrors
from sopkb.domain.change_words import describe, summary
from sopkb.domain.history import Version
from sopkb.domain.project import Project
from sopkb.domain.sop_diff import SopDiff
from sopkb.domain.text_diff import WordRun
from sopkb.pipeline import load_knowledge_base
from sopkb.validation.versions import NEWEST_FIRST

from tests.git_kb import REFUND, refund_history, small_kb_in_git

TODAY = dt.date(2026, 11, 23)


def load(root, *, history: bool = True, strict: bool = False):
    return load_knowledge_base(
        dataclasses.replace(Project.at(root), history=history), strict=strict, today=TODAY
    )


def problems(root, **options) -> list[str]:
    with pytest.raises(SourceErrors) as caught:
        load(root, **options)
    return [str(p).replace(str(root) + "/", "") for p in caught.value.problems]


@pytest.fixture
def kb(tmp_path):
    return refund_history(tmp_path / "kb")


def test_versions_are_the_commits_where_version_changed(kb):
    loaded = load(kb.root)
    assert loaded.warnings == []
    history = loaded.history["refund"]
    assert [(v.version, v.date, v.summary) for v in history.versions] == [
        ("2.0", dt.date(2026, 4, 1), "Refund: find the order before greeting"),
        ("1.12", dt.date(2026, 3, 1), "Refund: ineligible orders go straight to a supervisor"),
        ("1.11", dt.date(2026, 2, 1), "Refund: find the order first"),
        ("1.10", dt.date(2026, 1, 1), "The small KB"),
    ]
    assert history.from_git
    assert loaded.history["escalation"].versions == [
        Version("2", dt.date(2026, 1, 1), "The small KB", loaded.history["escalation"].versions[0].commit)
    ]


def test_each_version_is_diffed_from_the_one_before(kb):
    history = load(kb.root).history["refund"]
    diffs = [history.diff(i) for i in range(3)]
    assert all(isinstance(d, SopDiff) for d in diffs)
    assert [summary(d) for d in diffs] == [
        "1 step moved",
        "1 branch retargeted, 1 removed",
        "1 step reworded, 1 added, 1 branch added",
    ]
    assert [describe(d) for d in diffs] == [
        ["Step 1 “Find the order”: moved (was step 2)"],
        [
            "Step 3 “Check eligibility”: answer “No” now leads to SOP escalation, step escalate "
            "(was SOP escalation, step listen); answer “Not sure” removed (it went to step 4 “Record the refund”)"
        ],
        [
            "Step 1 “Greet the customer”: reworded (say)",
            "Step 2 “Find the order”: added",
            "Step 3 “Check eligibility”: new answer “Not sure” → step 4 “Record the refund”",
        ],
    ]
    (say,) = diffs[2].steps[0].fields
    assert say.lines[0].words == (
        WordRun("equal", "Hello {customer_name}, how can I help "),
        WordRun("insert", "you today"),
        WordRun("equal", "?"),
    )
    assert history.diff(3) is None  # the first version: nothing before it


def test_a_change_not_bumped_and_not_committed_is_a_warning_at_version(kb):
    kb.edit(REFUND, "Note the refund amount.", "Note the refund amount and the reason.")
    warnings = [str(w).replace(str(kb.root) + "/", "") for w in load(kb.root).warnings]
    assert warnings == [
        "sops/refund.yaml:9:10: warning: version: the content changed since the last commit "
        "(1 step reworded) but `version` did not (2.0): give it a new version, so readers see what "
        "changed and sign again",
        "quizzes/refund-basics.yaml:30:16: warning: scenarios[0].questions[2].steps: question 'q-order' "
        "tests what changed in version 2.0 of 'refund' (from 1.12): Step 4 “Record the refund” "
        "(reworded (do)); check the question still holds (this warning stops once the quiz file changes)",
        "quizzes/refund-basics.yaml:34:16: warning: scenarios[0].questions[3].steps: question 'q-record' "
        "tests what changed in version 2.0 of 'refund' (from 1.12): Step 4 “Record the refund” "
        "(reworded (do)); check the question still holds (this warning stops once the quiz file changes)",
    ]
    assert any(
        p.startswith("sops/refund.yaml:9:10: warning: version: the content")
        for p in problems(kb.root, strict=True)
    )


def test_metadata_or_formatting_changed_without_a_bump_is_no_warning(kb):
    kb.edit(REFUND, "owner: Billing team", "owner: Billing desk")
    kb.edit(
        REFUND,
        "objective: Refund eligible orders **quickly**.",
        "objective:   Refund eligible orders **quickly**.  # same",
    )
    assert load(kb.root).warnings == []


def test_a_bump_answers_the_warning_and_shows_on_the_page_data(kb):
    kb.edit(REFUND, "Note the refund amount.", "Note the refund amount and the reason.")
    kb.edit(REFUND, "version: 2.0", "version: 2.1")
    loaded = load(kb.root)
    assert [w.message for w in loaded.warnings if "sops/" in w.file] == []
    history = loaded.history["refund"]
    assert [(v.version, v.date, v.commit) for v in history.versions[:2]] == [
        ("2.1", None, None),  # not committed yet
        ("2.0", dt.date(2026, 4, 1), history.versions[1].commit),
    ]
    assert summary(history.diff(0)) == "1 step reworded"


def test_a_bump_forgotten_in_a_commit_shows_in_the_version_it_went_into(kb):
    kb.edit(REFUND, "Note the refund amount.", "Note the refund amount and the reason.")
    kb.commit("Refund: record the reason too", "2026-05-01")
    loaded = load(kb.root)
    assert [
        w for w in loaded.warnings if w.file.endswith("refund.yaml")
    ] == []  # committed: see documentation
    history = loaded.history["refund"]
    assert [v.version for v in history.versions] == ["2.0", "1.12", "1.11", "1.10"]
    assert summary(history.diff(0)) == "1 step reworded, 1 moved"


def test_version_going_backwards_is_an_error(kb):
    kb.edit(REFUND, "version: 2.0", "version: 1.12")
    assert problems(kb.root) == [
        "sops/refund.yaml:9:10: version: version 1.12 is below version 2.0, committed in "
        f"{kb.git('rev-parse', '--short=7', 'HEAD')} (2026-04-01): a version only goes up (1.9 < 1.10 < 2.0)"
    ]


def test_1_10_after_1_9_is_not_backwards(tmp_path):
    kb = small_kb_in_git(tmp_path / "kb")
    kb.edit(REFUND, "version: 1.10", "version: 1.9")
    kb.commit("Back to 1.9 for the test", "2026-01-02")
    kb.edit(REFUND, "version: 1.9", "version: 1.10")
    kb.edit(REFUND, "Note the refund amount.", "Note the amount.")
    loaded = load(kb.root)
    assert [v.version for v in loaded.history["refund"].versions] == ["1.10", "1.9", "1.10"]
    assert not [w for w in loaded.warnings if w.file.endswith("refund.yaml")]


def test_a_reviewed_quiz_file_silences_its_questions(kb):
    kb.edit(REFUND, "Note the refund amount.", "Note the refund amount and the reason.")
    kb.edit(REFUND, "version: 2.0", "version: 2.1")
    kb.commit("Refund 2.1: record the reason", "2026-05-01")
    assert [w.key_path for w in load(kb.root).warnings] == [
        "scenarios[0].questions[2].steps",
        "scenarios[0].questions[3].steps",
    ]
    kb.edit("quizzes/refund-basics.yaml", "prompt: What do you record?", "prompt: What do you record now?")
    assert load(kb.root).warnings == []  # changed since, not yet committed
    kb.commit("Quiz reviewed for refund 2.1", "2026-05-02")
    assert load(kb.root).warnings == []


def test_an_sop_moved_to_another_folder_keeps_its_history(kb):
    (kb.root / "sops" / "billing").mkdir()
    kb.git("mv", "sops/refund.yaml", "sops/billing/refund.yaml")
    kb.commit("Billing SOPs in a folder", "2026-05-01")
    history = load(kb.root).history["refund"]
    assert [v.version for v in history.versions] == ["2.0", "1.12", "1.11", "1.10"]
    assert summary(history.diff(0)) == "1 step moved"


def test_an_earlier_version_that_no_longer_reads_is_noted_not_fatal(kb):
    kb.edit(REFUND, "version: 2.0", "version: 2.1")
    kb.edit(REFUND, "objective: Refund", "objectiv: Refund")
    kb.git("add", "-A")
    kb.git("commit", "-q", "--no-verify", "-m", "A broken state", date="2026-05-01")
    kb.edit(REFUND, "version: 2.1", "version: 2.2")
    kb.edit(REFUND, "objectiv: Refund", "objective: Refund")
    history = load(kb.root).history["refund"]
    assert [v.version for v in history.versions] == ["2.2", "2.1", "2.0", "1.12", "1.11", "1.10"]
    assert history.diff(0) == (
        "version 2.1 no longer reads as an SOP (line 1: missing required key 'objective')"
    )
    assert isinstance(history.diff(2), SopDiff)


def test_outside_git_the_checks_are_skipped_and_changes_lists_count(kb, tmp_path):
    kb.edit(REFUND, "Note the refund amount.", "Note the refund amount and the reason.")
    plain = tmp_path / "plain"
    shutil.copytree(kb.root, plain, ignore=shutil.ignore_patterns(".git"))
    loaded = load(plain)
    assert loaded.warnings == []
    assert [v.version for v in loaded.history["refund"].versions] == ["2.0"]
    assert load(kb.root, history=False).warnings == []  # the plugin's `history: false`


def test_changes_lists_each_version_once_and_none_above_version(tmp_path):
    kb = small_kb_in_git(tmp_path / "kb")
    kb.edit(
        REFUND,
        "related:\n",
        "changes:\n"
        "  - {version: 1.9, date: 2025-12-01, summary: Shorter greeting.}\n"
        "  - {version: 1.9, date: 2025-11-01, summary: Twice.}\n"
        "  - {version: 1.11, date: 2026-02-01, summary: Not yet.}\n"
        "related:\n",
    )
    assert problems(kb.root, history=False) == [
        "sops/refund.yaml:52:15: changes[1].version: version '1.9' is listed twice",
        "sops/refund.yaml:53:15: changes[2].version: version '1.11' is above the SOP's `version` (1.10)",
        "sops/refund.yaml:53:15: warning: changes[2].version: version '1.11' is listed after '1.9' but is higher"
        + NEWEST_FIRST,
    ]


def test_changes_lists_go_newest_first_by_date_too(tmp_path):
    kb = small_kb_in_git(tmp_path / "kb")
    kb.edit(
        REFUND,
        "related:\n",
        "changes:\n"
        "  - {version: 1.10, date: 2026-01-01, summary: Newest.}\n"
        "  - {version: 1.9, date: 2026-02-01, summary: Dated after the newer one.}\n"
        "  - {version: 1.8, date: 2025-02-01, summary: Fine.}\n"
        "related:\n",
    )
    warnings = [str(w).replace(str(kb.root) + "/", "") for w in load(kb.root, history=False).warnings]
    assert warnings == [
        "sops/refund.yaml:52:26: warning: changes[1].date: dated 2026-02-01, after version '1.10' listed "
        "above it (2026-01-01)" + NEWEST_FIRST,
    ]


def test_a_kb_in_git_without_git_on_the_path_is_told_so(kb, monkeypatch, tmp_path):
    empty = tmp_path / "no-programs"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    loaded = load(kb.root)
    assert [str(w).replace(str(kb.root) + "/", "") for w in loaded.warnings] == [
        "mkdocs.yml:1:1: warning: the KB is in git but no `git` program is on the PATH: built without "
        "version history (no What changed, What's new or version checks); install git, or set the "
        "plugin's `history: false` to build without it on purpose"
    ]
    assert load(kb.root, history=False).warnings == []  # turned off on purpose: nothing to say


def test_a_shallow_clone_is_told_its_history_is_cut_short(kb, tmp_path):
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "2", f"file://{kb.root}", str(clone)], check=True, capture_output=True
    )
    loaded = load(clone)
    assert [v.version for v in loaded.history["refund"].versions] == ["2.0", "1.12"]  # 1.11 and 1.10 cut off
    assert [str(w).replace(str(clone) + "/", "") for w in loaded.warnings] == [
        "mkdocs.yml:1:1: warning: the KB is a shallow clone: versions older than its depth are missing from "
        "What changed, What's new and the version checks; fetch the whole history (`git fetch --unshallow`, "
        "or `fetch-depth: 0` in GitHub Actions' checkout)"
    ]
    assert load(kb.root).warnings == []  # the full history: nothing to say
