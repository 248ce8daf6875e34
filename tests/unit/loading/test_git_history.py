"""The one walk over a KB's git history, the blobs in one batch, and the quick look at a file's id
and version."""

from __future__ import annotations

import datetime as dt

import pytest
from sopkb.loading.git_history import blob_sha, commits_since, read_git_log
from sopkb.loading.yaml_peek import peek

from tests.git_kb import GitKb


@pytest.fixture
def repo(tmp_path) -> GitKb:
    (tmp_path / "kb" / "sops" / "billing").mkdir(parents=True)
    (tmp_path / "kb" / "quizzes").mkdir()
    return GitKb(tmp_path / "kb")


def test_every_commit_that_touched_the_folders_newest_first(repo):
    root = repo.root
    (root / "sops" / "billing" / "a b.yaml").write_text("id: a\nversion: 1\n")
    (root / "README.md").write_text("not a source")
    first = repo.commit("First", "2026-01-02")
    (root / "sops" / "billing" / "a b.yaml").write_text("id: a\nversion: 2\n")
    (root / "quizzes" / "q.yaml").write_text("id: q\n")
    second = repo.commit("Second: ünïcode subject", "2026-02-03")
    (root / "sops" / "billing" / "a b.yaml").unlink()
    third = repo.commit("Removed", "2026-03-04")
    log = read_git_log(root, [root / "sops", root / "quizzes"])
    assert log is not None and log.top == root.resolve()
    seen = [(r.commit.sha, r.commit.order, r.path, r.blob is None) for r in log.revisions]
    assert seen == [
        (third, 0, "sops/billing/a b.yaml", True),
        (second, 1, "quizzes/q.yaml", False),
        (second, 1, "sops/billing/a b.yaml", False),
        (first, 2, "sops/billing/a b.yaml", False),
    ]
    commit = log.revisions[1].commit
    assert (commit.date, commit.subject, commit.merge) == (
        dt.date(2026, 2, 3),
        "Second: ünïcode subject",
        False,
    )
    contents = dict(log.blobs([log.revisions[3].blob, log.revisions[2].blob]))
    assert contents == {
        log.revisions[3].blob: b"id: a\nversion: 1\n",
        log.revisions[2].blob: b"id: a\nversion: 2\n",
    }


def test_blob_ids_are_gits_own(repo):
    content = b"id: a\nversion: 1.10\n"
    (repo.root / "x.yaml").write_bytes(content)
    assert blob_sha(content) == repo.git("hash-object", "x.yaml")


def test_thousands_of_blobs_come_in_one_batch_without_a_stuck_pipe(repo):
    paths = []
    for n in range(3000):
        path = repo.root / "sops" / f"s{n}.yaml"
        path.write_text(f"id: s{n}\nversion: '1'\n" + "text " * 40)
        paths.append(path)
    repo.commit("Many", "2026-01-01")
    log = read_git_log(repo.root, [repo.root / "sops"])
    blobs = dict(log.blobs(r.blob for r in log.revisions))
    assert len(blobs) == 3000
    assert all(content.startswith(b"id: s") for content in blobs.values())


def test_a_merge_counts_once_on_the_main_line(repo):
    root = repo.root
    (root / "sops" / "a.yaml").write_text("id: a\nversion: 1\n")
    repo.commit("First", "2026-01-01")
    repo.git("checkout", "-q", "-b", "side")
    (root / "sops" / "a.yaml").write_text("id: a\nversion: 2\n")
    repo.commit("On the side", "2026-01-02")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge branch 'side'", "side", date="2026-01-03")
    log = read_git_log(root, [root / "sops"])
    assert [(r.commit.subject, r.commit.merge) for r in log.revisions] == [
        ("Merge branch 'side'", True),
        ("First", False),
    ]


def test_outside_git_there_is_no_history(tmp_path):
    (tmp_path / "sops").mkdir()
    assert read_git_log(tmp_path, [tmp_path / "sops"]) is None


def test_a_repository_without_commits_has_an_empty_history(repo):
    log = read_git_log(repo.root, [repo.root / "sops"])
    assert log is not None and log.revisions == []


def test_commits_since_a_revision(repo):
    (repo.root / "sops" / "a.yaml").write_text("id: a\n")
    first = repo.commit("First", "2026-01-01")
    (repo.root / "sops" / "a.yaml").write_text("id: a\nversion: 2\n")
    second = repo.commit("Second", "2026-01-02")
    repo.git("tag", "v1", first)
    assert commits_since(repo.root, "v1") == {second}
    assert commits_since(repo.root, "HEAD") == set()
    assert commits_since(repo.root, "no-such-tag") is None
    assert commits_since(repo.root, "--all") is None


def test_git_missing_from_the_path_is_no_history(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert read_git_log(tmp_path, [tmp_path]) is None


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("id: refund\nversion: 1.10\nsteps:\n  - id: greet\n", {"id": "refund", "version": "1.10"}),
        ('id: "refund"\nversion: "2.0" # bumped\n', {"id": "refund", "version": "2.0"}),
        ("id: 'it''s'\nversion: '1'\n", {"id": "it's", "version": "1"}),
        ("\ufeffid: a\nversion: 3 # c\n", {"id": "a", "version": "3"}),
        ('{"id": "a", "version": "4"}', {"id": "a", "version": "4"}),
        ("id: a\nversion: &v 5\n", {"id": "a", "version": "5"}),  # an anchor: read in full
        ('id: a\nversion: "6\\u0030"\n', {"id": "a", "version": "60"}),  # an escape: read in full
        ("id: a\n", {"id": "a"}),
        ("- a list\n", {}),
        ("id: [unclosed\n", None),
    ],
)
def test_peek_reads_top_level_scalars_as_written(text, found):
    assert peek(text, ("id", "version")) == found


def test_a_long_commit_subject_is_cut_so_no_page_grows_with_it(repo):
    from sopkb.loading.git_history import SUBJECT_CHARS

    (repo.root / "sops" / "billing" / "a.yaml").write_text("id: a\nversion: 1\n")
    repo.commit("word " * 20_000, "2026-01-02")  # 100 KB: under a command line's limit for one argument
    (subject,) = {r.commit.subject for r in read_git_log(repo.root, [repo.root / "sops"]).revisions}
    assert len(subject) == SUBJECT_CHARS and subject.endswith("word…")
