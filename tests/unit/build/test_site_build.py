"""Publishing the site on real servers: modes a web server can read, mount points, killed and
concurrent builds, and OS errors told in one sentence with the previous site left as it was."""

from __future__ import annotations

import errno
import functools
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import mkdocs.utils
import pytest
from sopkb.build import building, site_swap
from sopkb.build.site_build import build_site
from sopkb.build.site_swap import Layout, build_lock
from sopkb.core.errors import ProjectError

from tests.synthetic_kb import synthetic_sops
from tests.unit.cli.test_cli import sopkb, tree_digest
from tests.unit.core.test_parallel import running

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
STAGING, OLD = ".site-building-", ".site-old-"
NEW_TITLE = "title: Refund request, second edition"


# --- helpers -------------------------------------------------------------------------------------


@pytest.fixture
def umask():
    """Set the process umask for one test and put the runner's back afterwards."""
    previous = os.umask(0o022)
    yield os.umask
    os.umask(previous)


@pytest.fixture
def fake_mount(monkeypatch):
    """Make a folder behave as a mount point in this process: `ismount` says so, renaming it fails
    with EBUSY, and no rename crosses its boundary (EXDEV), as between two file systems."""

    def install(site: Path) -> None:
        site = site.resolve()
        real_ismount, real_rename = os.path.ismount, os.rename

        def inside(path: os.PathLike | str) -> bool:
            p = Path(os.path.abspath(path))
            return p == site or site in p.parents

        def ismount(path: os.PathLike | str) -> bool:
            return Path(os.path.abspath(path)) == site or real_ismount(path)

        def rename(src, dst, *args, **kwargs) -> None:
            if Path(os.path.abspath(src)) == site:
                raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(src))
            if inside(src) != inside(dst):
                raise OSError(errno.EXDEV, os.strerror(errno.EXDEV), str(src))
            real_rename(src, dst, *args, **kwargs)

        real_exchange = site_swap._exchange

        def exchange(new: Path, old: Path) -> bool:
            if site in (Path(os.path.abspath(new)), Path(os.path.abspath(old))):
                raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(old))
            return real_exchange(new, old)

        monkeypatch.setattr(os.path, "ismount", ismount)
        monkeypatch.setattr(os, "rename", rename)
        monkeypatch.setattr(site_swap, "_exchange", exchange)

    return install


def fail_rename(monkeypatch, when: Callable[[Path, Path], bool], error: BaseException) -> list[Path]:
    """Make the rename `when` picks raise `error` (once); returns the sources it failed on. The
    exchange that publishes a site (`site_swap._exchange`) counts as renaming the new one in."""
    real_rename, real_exchange, failed = os.rename, site_swap._exchange, []

    def rename(src, dst, *args, **kwargs) -> None:
        if not failed and when(Path(src), Path(dst)):
            failed.append(Path(src))
            raise error
        real_rename(src, dst, *args, **kwargs)

    def exchange(new: Path, old: Path) -> bool:
        if not failed and when(Path(new), Path(old)):
            failed.append(Path(new))
            raise error
        return real_exchange(new, old)

    monkeypatch.setattr(os, "rename", rename)
    monkeypatch.setattr(site_swap, "_exchange", exchange)
    return failed


def leftovers(*folders: Path, within: float = 60.0) -> list[str]:
    """Folders named as sopkb names its staging and old folders (a random 8-hex suffix). An old
    site, and what a killed build left, are removed by a process of their own after or beside
    the build (`site_swap.remove_later`): given `within` seconds to go."""
    pattern = re.compile(r"\.site-(?:building|old)-[0-9a-f]{8}")
    deadline = time.monotonic() + within
    while True:
        found = sorted(
            p.name for f in folders if f.is_dir() for p in f.iterdir() if pattern.fullmatch(p.name)
        )
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def relative_paths(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def assert_readable_tree(site: Path, mask: int) -> None:
    """Every folder is what a plain `mkdir` makes under this umask, every file what MkDocs writes."""
    folders = [site, *(p for p in site.rglob("*") if p.is_dir())]
    files = [p for p in site.rglob("*") if p.is_file()]
    assert len(folders) > 10 and len(files) > 20
    wrong = {str(p.relative_to(site)): oct(mode(p)) for p in folders if mode(p) != 0o777 & ~mask}
    wrong |= {str(p.relative_to(site)): oct(mode(p)) for p in files if mode(p) != 0o666 & ~mask}
    assert wrong == {}


def assert_complete(site: Path, sops: int = 2) -> None:
    for page in ["index.html", "sops/refund/index.html", "assets/sopkb/sopkb.js", "search-index"]:
        assert (site / page).exists(), page
    assert len(list(site.glob("sops/*/index.html"))) == sops


def edit_title(root: Path) -> None:
    """Change the KB so a new build differs from the previous site."""
    source = root / "sops" / "refund.yaml"
    source.write_text(source.read_text().replace("title: Refund request\n", NEW_TITLE + "\n"))


def big_kb(kb_copy, n: int) -> Path:
    root = kb_copy("kb-small")
    for i, sop in enumerate(synthetic_sops(n, seed=7)):
        (root / "sops" / f"s{i:04d}.yaml").write_text(json.dumps(sop))
    return root


def wait_for(condition: Callable[[], object], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.01)


def start_build(root: Path, name: str) -> tuple[subprocess.Popen, Path]:
    """`sopkb build` in the background, its stderr in a file the test can poll."""
    err = root.parent / f"{name}.stderr"
    with err.open("w") as stream:
        proc = subprocess.Popen(
            [sys.executable, "-m", "sopkb.cli", "-C", str(root), "build"],
            stdout=subprocess.DEVNULL,
            stderr=stream,
            env=ENV,
            start_new_session=True,
        )
    return proc, err


def waiting_line(site: Path) -> str:
    return f"sopkb: waiting for another build of {site.resolve()} (pid {os.getpid()}) to finish ..."


# --- permissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["fresh", "rebuild", "new-nested-site-dir", "mount-point", "umask-027"])
def test_published_folders_and_files_are_readable_by_a_web_server(case, kb_copy, tmp_path, umask, fake_mount):
    root = kb_copy("kb-small")
    site = tmp_path / "www" / "deep" / "site" if case == "new-nested-site-dir" else root / "site"
    mask = 0o027 if case == "umask-027" else 0o022
    umask(mask)
    if case == "rebuild":
        build_site(root, site)
        edit_title(root)
    if case == "mount-point":
        site.mkdir()
        fake_mount(site)
        build_site(root, site)  # into the empty mount, then over the site it holds
    build_site(root, site)
    assert_complete(site)
    assert_readable_tree(site, mask)
    if case == "new-nested-site-dir":
        assert (mode(tmp_path / "www"), mode(tmp_path / "www" / "deep")) == (0o755, 0o755)
    if case == "rebuild":
        assert NEW_TITLE.split(": ")[1] in (site / "sops/refund/index.html").read_text()


# --- mount points --------------------------------------------------------------------------------


@functools.cache
def real_mounts_work() -> bool:
    with tempfile.TemporaryDirectory() as folder:
        probe = ["unshare", "--mount", "--map-root-user", "sh", "-c", 'mount -t tmpfs none "$0"', folder]
        try:
            return subprocess.run(probe, capture_output=True, timeout=30).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            return False


MOUNTED_BUILDS = """
set -e
umask 022
mount -t tmpfs -o mode=755 none "$SITE"
"$PY" -m sopkb.cli -C "$KB" build
cp -a "$SITE" "$OUT/first"
echo stale > "$SITE/stale.html"
"$PY" -c 'import pathlib, sys; p = pathlib.Path(sys.argv[1]); p.write_text(p.read_text().replace(
    "title: Refund request\\n", sys.argv[2] + "\\n"))' "$KB/sops/refund.yaml" "$NEW_TITLE"
"$PY" -m sopkb.cli -C "$KB" build
"$PY" -c 'import os, sys; print("mounted:", os.path.ismount(sys.argv[1]))' "$SITE"
cp -a "$SITE" "$OUT/second"
"""


@pytest.mark.skipif(
    not real_mounts_work(), reason="no mount namespaces here (unshare --mount --map-root-user)"
)
def test_a_real_tmpfs_mounted_at_the_site_folder_is_rebuilt_in_place(kb_copy, tmp_path):
    root = kb_copy("kb-small")
    site, out = root / "site", tmp_path / "out"
    site.mkdir()
    out.mkdir()
    env = {**ENV, "SITE": str(site), "KB": str(root), "OUT": str(out), "PY": sys.executable}
    result = subprocess.run(
        ["unshare", "--mount", "--map-root-user", "sh", "-c", MOUNTED_BUILDS],
        env={**env, "NEW_TITLE": NEW_TITLE},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "mounted: True" in result.stdout
    assert list(site.iterdir()) == []  # everything went into the tmpfs, now gone with its namespace
    first, second = out / "first", out / "second"
    assert_complete(first)
    assert_complete(second)
    assert not (second / "stale.html").exists()
    assert "second edition" in (second / "sops/refund/index.html").read_text()
    assert "second edition" not in (first / "sops/refund/index.html").read_text()
    reference = sopkb("-C", str(root), "build", "--site-dir", str(out / "reference"))  # no mount
    assert reference.returncode == 0, reference.stderr
    assert relative_paths(second) == relative_paths(out / "reference") | {".site.build-lock"}
    assert (second / ".site.build-lock").is_file() and not (root / ".site.build-lock").exists()
    assert leftovers(root, second) == []
    assert_readable_tree(second, 0o022)


@pytest.mark.parametrize("before", ["empty-mount", "mount-with-a-site", "mount-with-lost+found"])
def test_a_mount_point_site_has_its_contents_swapped(before, kb_copy, fake_mount):
    root = kb_copy("kb-small")
    site = root / "site"
    site.mkdir()
    if before == "mount-with-a-site":
        build_site(root, site)
        (site / "stale.html").write_text("from an older build")
        edit_title(root)
    if before == "mount-with-lost+found":
        (site / "lost+found").mkdir()
    fake_mount(site)
    assert Layout.of(site.resolve()).lock_file == site.resolve() / ".site.build-lock"
    build_site(root, site)
    assert_complete(site)
    assert not (site / "stale.html").exists()
    assert (site / "lost+found").is_dir() == (before == "mount-with-lost+found")
    assert (site / ".site.build-lock").read_text() == f"{os.getpid()}\n"  # the lock went inside
    assert leftovers(root, site) == []
    if before == "mount-with-a-site":
        assert "second edition" in (site / "sops/refund/index.html").read_text()


@pytest.mark.parametrize(
    "error, crossing",
    [
        (errno.EBUSY, True),
        (errno.EBUSY, False),
        (errno.EXDEV, False),
        (errno.EPERM, True),
        (errno.EACCES, True),
    ],
)
def test_a_folder_that_cannot_be_renamed_gets_its_contents_swapped(error, crossing, kb_copy, monkeypatch):
    """A mount `ismount` misses (a bind mount), or no right to rename: the fallback still publishes.

    Without `crossing`, no rename between inside and outside the site works either, so the staged
    site is copied in."""
    root = kb_copy("kb-small")
    site = (root / "site").resolve()
    build_site(root, site)
    (site / "stale.html").write_text("from an older build")
    edit_title(root)
    real_rename = os.rename

    def rename(src, dst, *args, **kwargs) -> None:
        if Path(src) == site:
            raise OSError(error, os.strerror(error), str(src))
        if not crossing and (site in Path(src).parents) != (site in Path(dst).parents):
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV), str(src))
        real_rename(src, dst, *args, **kwargs)

    real_exchange = site_swap._exchange

    def exchange(new: Path, old: Path) -> bool:  # what cannot be renamed cannot be exchanged
        if site in (Path(new), Path(old)):
            raise OSError(error, os.strerror(error), str(old))
        return real_exchange(new, old)

    monkeypatch.setattr(os, "rename", rename)
    monkeypatch.setattr(site_swap, "_exchange", exchange)
    build_site(root, site)
    assert_complete(site)
    assert not (site / "stale.html").exists()
    assert "second edition" in (site / "sops/refund/index.html").read_text()
    assert leftovers(root, site) == []


@pytest.mark.parametrize(
    "phase, entry, error",
    [
        ("out", "stale.html", OSError(errno.EIO, "Input/output error")),  # only the old site has it
        ("in", "404.html", OSError(errno.EIO, "Input/output error")),
        ("in", "sops", OSError(errno.EIO, "Input/output error")),
        ("in", "search-index", OSError(errno.EIO, "Input/output error")),
        ("in", "tags", OSError(errno.EIO, "Input/output error")),  # the very last entry
        ("in", "quizzes", KeyboardInterrupt()),
    ],
)
def test_a_contents_swap_that_fails_midway_puts_the_previous_site_back(
    phase, entry, error, kb_copy, fake_mount, monkeypatch
):
    root = kb_copy("kb-small")
    site = root / "site"
    site.mkdir()
    fake_mount(site)
    build_site(root, site)
    (site / "stale.html").write_text("an old build's page")
    before = tree_digest(site)
    edit_title(root)  # the failed build would publish different bytes

    def chosen(src: Path, dst: Path) -> bool:
        moving = dst.parent.name.startswith(OLD) if phase == "out" else src.parent.name.startswith(STAGING)
        return moving and src.name == entry

    failed = fail_rename(monkeypatch, chosen, error)
    expected = ProjectError if isinstance(error, OSError) else KeyboardInterrupt
    with pytest.raises(expected) as caught:
        build_site(root, site)
    assert [p.name for p in failed] == [entry]
    if expected is ProjectError:
        assert str(caught.value) == f"cannot write the site to {site.resolve()}: Input/output error"
    assert tree_digest(site) == before
    assert leftovers(root, site) == []


def test_the_new_site_takes_the_old_ones_place_in_one_step(kb_copy, tmp_path):
    """Renaming the old site aside, then the new one in, left a moment without a site: a build
    killed there (SIGKILL, the out-of-memory killer) left none at all. Here any rename of the live
    site aside kills the build on the spot, as a SIGKILL there would."""
    root = kb_copy("kb-small")
    site = (root / "site").resolve()
    build_site(root, site)
    edit_title(root)
    killing = f"""
import os, sys
from pathlib import Path
real = os.rename
def rename(src, dst, *args, **kwargs):
    real(src, dst, *args, **kwargs)
    if Path(src) == Path({str(site)!r}):
        os._exit(137)
os.rename = rename
from sopkb.build.site_build import build_site
build_site(Path({str(root)!r}), Path({str(site)!r}))
"""
    done = subprocess.run([sys.executable, "-c", killing], env=ENV, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert_complete(site)
    assert "second edition" in (site / "sops/refund/index.html").read_text()
    assert leftovers(root) == []


def test_a_mount_points_swap_killed_midway_leaves_every_entry_for_the_next_build(kb_copy, tmp_path):
    """On a mount point the entries are swapped one by one; all old ones went aside first, so a
    build killed midway left no `index.html` and no site marker, and every later build refused the
    folder. Each is exchanged with its new version now: killed after the third, all are there."""
    root = kb_copy("kb-small")
    site = (root / "site").resolve()
    site.mkdir()
    killing = f"""
import os, sys
from pathlib import Path
real_ismount = os.path.ismount
os.path.ismount = lambda p: Path(p).resolve() == Path({str(site)!r}) or real_ismount(p)
from sopkb.build import site_swap
real = site_swap._exchange
done = []
def exchange(new, old):
    found = real(new, old)
    done.append(old)
    if len(done) == 3 and sys.argv[1] == "kill":
        os._exit(137)
    return found
site_swap._exchange = exchange
from sopkb.build.site_build import build_site
build_site(Path({str(root)!r}), Path({str(site)!r}))
"""
    first = subprocess.run([sys.executable, "-c", killing, "build"], env=ENV, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    names = sorted(p.name for p in site.iterdir() if not p.name.startswith(".site-"))
    edit_title(root)
    killed = subprocess.run([sys.executable, "-c", killing, "kill"], env=ENV, capture_output=True, text=True)
    assert killed.returncode == 137, killed.stderr
    assert sorted(p.name for p in site.iterdir() if not p.name.startswith(".site-")) == names
    assert_complete(site)
    again = subprocess.run([sys.executable, "-c", killing, "build"], env=ENV, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert "second edition" in (site / "sops/refund/index.html").read_text()


def test_where_no_exchange_is_possible_two_renames_publish(kb_copy, monkeypatch):
    root = kb_copy("kb-small")
    site = (root / "site").resolve()
    build_site(root, site)
    edit_title(root)
    monkeypatch.setattr(site_swap, "_exchange", lambda new, old: False)
    build_site(root, site)
    assert_complete(site)
    assert "second edition" in (site / "sops/refund/index.html").read_text()
    assert leftovers(root) == []


# --- leftovers -----------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["next-to-the-site", "inside-a-mount-point"])
def test_stale_folders_of_a_killed_build_are_removed_by_the_next_build(where, kb_copy, fake_mount):
    root = kb_copy("kb-small")
    site = root / "site"
    build_site(root, site)
    if where == "inside-a-mount-point":
        fake_mount(site)
    folder = site if where == "inside-a-mount-point" else root
    for stale in [f"{STAGING}1a2b3c4d", f"{OLD}5e6f7a8b", f"{STAGING}0f0f0f0f"]:
        (folder / stale / "sops").mkdir(parents=True)
        (folder / stale / "sops" / "page.html").write_text("half written")
    lookalikes = [
        ".site-backup",
        "site-building-1",
        ".other-building-1",
        ".site-building",
        ".site-old-mine",
        f"{STAGING}x",
    ]
    for name in lookalikes:
        (folder / name).mkdir()
    build_site(root, site)
    assert leftovers(root, site) == []
    if where == "next-to-the-site":  # inside a mount point they are old site entries, swapped out
        assert all((folder / name).is_dir() for name in lookalikes)
    assert_complete(site)


def test_a_build_killed_midway_leaves_its_staging_folder_and_the_next_build_removes_it(kb_copy):
    root = big_kb(kb_copy, 80)
    proc, _ = start_build(root, "killed")
    try:
        wait_for(lambda: leftovers(root, within=0) or proc.poll() is not None, "the staging folder")
        assert proc.poll() is None, "the build finished before it could be killed"
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    staging = leftovers(root, within=0)
    assert len(staging) == 1 and staging[0].startswith(STAGING)
    assert not (root / "site").exists()
    result = sopkb("-C", str(root), "build")
    assert result.returncode == 0, result.stderr
    assert leftovers(root) == []
    assert_complete(root / "site", sops=82)


def test_the_old_site_is_removed_by_a_process_of_its_own(tmp_path, monkeypatch):
    """Nobody waits for 5,000 files to be deleted: not the build's process (whose rmtree is
    made to fail here), and not a child it must reap."""
    old = tmp_path / f"{OLD}0a1b2c3d"
    (old / "sops" / "refund").mkdir(parents=True)
    (old / "sops" / "refund" / "index.html").write_text("the previous site")
    here = []
    monkeypatch.setattr(shutil, "rmtree", lambda *args, **kwargs: here.append(args))
    site_swap.remove_later(old)
    wait_for(lambda: not old.exists(), "the old site removed")
    assert here == []


def test_the_old_site_is_removed_here_when_no_process_can_be_started(tmp_path, monkeypatch):
    old = tmp_path / f"{OLD}0a1b2c3d"
    (old / "sops").mkdir(parents=True)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python-here"))
    site_swap.remove_later(old)
    assert not old.exists()  # at once


def test_the_remover_never_follows_a_link_put_where_the_old_site_was(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("keep me")
    old = tmp_path / f"{OLD}0a1b2c3d"
    old.symlink_to(elsewhere)
    # the remover's own code, run to its end here (its fork made a no-op, so it can be waited for)
    in_place = "import os, sys; os.fork = lambda: 0; exec(sys.argv.pop(1))"
    done = subprocess.run(
        [sys.executable, "-I", "-S", "-c", in_place, site_swap._REMOVER, str(old)], timeout=60
    )
    assert done.returncode == 0
    assert (elsewhere / "precious.txt").read_text() == "keep me" and old.is_symlink()
    real = tmp_path / f"{OLD}4e5f6a7b"
    (real / "sops").mkdir(parents=True)
    subprocess.run([sys.executable, "-I", "-S", "-c", in_place, site_swap._REMOVER, str(real)], timeout=60)
    assert not real.exists()  # the same run removes a real folder


# --- lock ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("before", ["no-site-yet", "a-site", "a-running-builds-staging-folder"])
def test_a_second_build_waits_for_the_lock_and_says_so_once(before, kb_copy):
    root = kb_copy("kb-small")
    site = root / "site"
    if before == "a-site":
        build_site(root, site)
    digest = tree_digest(site) if site.exists() else None
    running = root / f"{STAGING}0a1b2c3d"  # what a build holding the lock is writing
    with build_lock(Layout.of(site.resolve())) as locked:
        assert locked
        if before == "a-running-builds-staging-folder":
            running.mkdir()
        proc, err = start_build(root, "second")
        try:
            wait_for(lambda: waiting_line(site) in err.read_text() or proc.poll() is not None, "the message")
            time.sleep(0.3)  # long enough for a build that ignored the lock to show itself
            assert proc.poll() is None
            assert leftovers(root, within=0) == (
                [running.name] if before == "a-running-builds-staging-folder" else []
            )
            assert (tree_digest(site) if site.exists() else None) == digest
        except BaseException:
            proc.kill()
            raise
    assert proc.wait(timeout=120) == 0, err.read_text()
    assert err.read_text().splitlines() == [waiting_line(site)]
    assert_complete(site)
    assert leftovers(root) == []  # once the lock was free, a staging folder of no live build is stale


def test_two_builds_waiting_for_the_lock_both_complete_one_after_the_other(kb_copy):
    root = kb_copy("kb-small")
    site = root / "site"
    with build_lock(Layout.of(site.resolve())):
        builds = [start_build(root, f"build-{i}") for i in range(2)]
        try:
            for proc, err in builds:
                wait_for(
                    lambda p=proc, e=err: waiting_line(site) in e.read_text() or p.poll() is not None,
                    "message",
                )
                assert proc.poll() is None
        except BaseException:
            for proc, _ in builds:
                proc.kill()
            raise
    for proc, err in builds:
        assert proc.wait(timeout=120) == 0, err.read_text()
        assert err.read_text().splitlines() == [waiting_line(site)]
    assert_complete(site)
    assert leftovers(root) == []


def test_without_fcntl_the_build_runs_without_a_lock(kb_copy, monkeypatch):
    root = kb_copy("kb-small")
    monkeypatch.setattr(site_swap, "fcntl", None)
    (root / f"{STAGING}9e8d7c6b").mkdir()  # unlocked, a build cannot tell a stale folder from a live one
    build_site(root, root / "site")
    assert_complete(root / "site")
    assert not (root / ".site.build-lock").exists()
    assert leftovers(root, within=0) == [f"{STAGING}9e8d7c6b"]


# --- OS errors -----------------------------------------------------------------------------------


def _site_is_a_file(root, monkeypatch):
    (root / "plain-file").write_text("not a folder")
    return root / "plain-file", "Not a directory"


def _site_under_a_file(root, monkeypatch):
    (root / "plain-file").write_text("not a folder")
    return root / "plain-file" / "site", "Not a directory"


def _site_two_levels_under_a_file(root, monkeypatch):
    (root / "plain-file").write_text("not a folder")
    return root / "plain-file" / "www" / "site", "Not a directory"


def _read_only_lock_file(root, monkeypatch):
    real_open, lock = os.open, str((root / ".site.build-lock").resolve())

    def open_(path, *args, **kwargs):
        if os.fspath(path) == lock:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), path)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)
    return root / "site", "Read-only file system"


def _read_only_staging_folder(root, monkeypatch):
    real_mkdir = os.mkdir

    def mkdir(path, *args, **kwargs):
        if Path(path).name.startswith(STAGING):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), path)
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", mkdir)
    return root / "site", "Read-only file system"


def _disk_full_while_mkdocs_writes(root, monkeypatch):
    real_write, written = mkdocs.utils.write_file, []

    def write_file(content, output_path):
        if len(written) == 5:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), output_path)
        written.append(output_path)
        real_write(content, output_path)

    monkeypatch.setattr(mkdocs.utils, "write_file", write_file)
    return root / "site", "No space left on device"


def _disk_full_while_renaming_the_new_site_in(root, monkeypatch):
    site = (root / "site").resolve()
    fail_rename(monkeypatch, lambda src, dst: dst == site, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    return site, "No space left on device"


def _disk_full_while_swapping_a_mount_points_contents(root, monkeypatch):
    site = (root / "site").resolve()
    real_ismount = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda p: Path(p) == site or real_ismount(p))
    build_site(root, site)  # the previous site, as built on the mount
    fail_rename(
        monkeypatch, lambda src, dst: dst == site / "sops", OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    )
    return site, "No space left on device"


@pytest.mark.parametrize(
    "make",
    [
        _site_is_a_file,
        _site_under_a_file,
        _site_two_levels_under_a_file,
        _read_only_lock_file,
        _read_only_staging_folder,
        _disk_full_while_mkdocs_writes,
        _disk_full_while_renaming_the_new_site_in,
        _disk_full_while_swapping_a_mount_points_contents,
    ],
    ids=lambda f: f.__name__.strip("_"),
)
def test_os_errors_are_one_sentence_and_leave_the_previous_site_alone(make, kb_copy, monkeypatch):
    root = kb_copy("kb-small")
    build_site(root, root / "site")
    site, reason = make(root, monkeypatch)
    before = tree_digest(root / "site")
    edit_title(root)
    with pytest.raises(ProjectError) as caught:
        build_site(root, site)
    assert str(caught.value) == f"cannot write the site to {site.resolve()}: {reason}"
    assert tree_digest(root / "site") == before
    assert not (root / "plain-file").exists() or (root / "plain-file").read_text() == "not a folder"
    assert leftovers(root, root / "site") == []


@pytest.mark.parametrize("site_dir", ["site-file", "site-file/site", "site-file/www/site"])
def test_the_cli_reports_a_site_dir_it_cannot_use_in_one_line(site_dir, kb_copy):
    root = kb_copy("kb-small")
    (root / "site-file").write_text("not a folder")
    result = sopkb("-C", str(root), "build", "--site-dir", str(root / site_dir))
    assert (result.returncode, result.stdout) == (1, "")
    assert (
        result.stderr == f"error: cannot write the site to {(root / site_dir).resolve()}: Not a directory\n"
    )
    assert (root / "site-file").read_text() == "not a folder"


def test_a_build_never_replaces_the_kb_its_sources_or_a_folder_that_is_no_site(kb_copy, tmp_path):
    """Publishing replaces the whole folder: a typo in --site-dir must not delete anything else."""
    root = kb_copy("kb-small")
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.txt").write_text("years of work")
    (root / "site_templates").mkdir()
    cases = {
        ".": f"cannot build into {root}: it is or holds the KB folder, which a build would replace",
        "..": f"cannot build into {root.parent}: it is or holds the KB folder, which a build would replace",
        "sops": f"cannot build into {root / 'sops'}: it is or holds the SOPs folder, which a build would replace",
        "quizzes/out": f"cannot build into {root / 'quizzes' / 'out'}: it is inside the quizzes folder; choose a folder outside it",
        "docs": f"cannot build into {root / 'docs'}: it is or holds the docs folder, which a build would replace",
        "site_templates": f"cannot build into {root / 'site_templates'}: it is or holds the templates folder, which a build would replace",
        str(home): f"cannot build into {home}: it holds files that are not a site sopkb built, and a build replaces "
        "everything in it; choose an empty or new folder (or empty this one first)",
    }  # fmt: skip
    before = tree_digest(root), tree_digest(home)
    for site_dir, message in cases.items():
        result = sopkb("-C", str(root), "build", "--site-dir", site_dir, cwd=root)
        assert (result.returncode, result.stderr) == (1, f"error: {message}\n"), site_dir
    assert (tree_digest(root), tree_digest(home)) == before  # nothing was touched
    (root / "mkdocs.yml").write_text((root / "mkdocs.yml").read_text() + "site_dir: paths\n")
    result = sopkb("-C", str(root), "build")
    assert result.returncode == 1 and "it is or holds the learning paths folder" in result.stderr


def test_a_build_replaces_an_empty_folder_its_own_site_or_a_site_built_before_the_marker(kb_copy, tmp_path):
    root = kb_copy("kb-small")
    empty = tmp_path / "empty"
    empty.mkdir()
    assert sopkb("-C", str(root), "build", "--site-dir", str(empty)).returncode == 0
    assert (empty / ".sopkb-site").is_file()
    assert sopkb("-C", str(root), "build", "--site-dir", str(empty)).returncode == 0  # its own site again
    (empty / ".sopkb-site").unlink()  # as a site built by an earlier sopkb looks
    assert sopkb("-C", str(root), "build", "--site-dir", str(empty)).returncode == 0
    (empty / ".sopkb-site").unlink()
    shutil.rmtree(empty / "search-index")  # no longer recognisable as a site: refused
    assert sopkb("-C", str(root), "build", "--site-dir", str(empty)).returncode == 1


def test_the_lock_file_is_never_opened_through_a_link_or_as_a_pipe(kb_copy, tmp_path):
    """Whoever can write beside the site must not make a build truncate another file."""
    root = kb_copy("kb-small")
    important = tmp_path / "important.txt"
    important.write_text("IMPORTANT")
    www = tmp_path / "www"
    www.mkdir()
    lock = www / ".sops.build-lock"
    lock.symlink_to(important)
    result = sopkb("-C", str(root), "build", "--site-dir", str(www / "sops"))
    assert (result.returncode, result.stderr) == (
        1, f"error: cannot build into {www / 'sops'}: {lock} is a link; remove it\n"
    )  # fmt: skip
    assert important.read_text() == "IMPORTANT" and not (www / "sops").exists()
    lock.unlink()
    os.mkfifo(lock)
    result = sopkb("-C", str(root), "build", "--site-dir", str(www / "sops"))
    assert (result.returncode, result.stderr) == (
        1, f"error: cannot build into {www / 'sops'}: {lock} is not a regular file; remove it\n"
    )  # fmt: skip


def test_a_folder_holding_only_lookalikes_of_sopkb_names_is_not_taken_for_empty(kb_copy, tmp_path):
    root = kb_copy("kb-small")
    target = tmp_path / "v2"
    (target / ".v2-old-mine").mkdir(parents=True)  # named like sopkb's, but not as sopkb names them
    (target / ".v2-old-mine" / "f").write_text("precious")
    result = sopkb("-C", str(root), "build", "--site-dir", str(target))
    assert result.returncode == 1 and "holds files that are not a site sopkb built" in result.stderr
    assert (target / ".v2-old-mine" / "f").read_text() == "precious"


def test_a_build_that_fails_stops_what_it_was_writing_beside_mkdocs(kb_copy, monkeypatch):
    """The search index and data files are written in another process while the pages are rendered
    and made (`site_files.py`): when MkDocs fails, that process is ended, so nothing is written
    into the staging folder after it is removed (or anywhere else)."""
    root = kb_copy("kb-small")
    build_site(root, root / "site")
    before = tree_digest(root / "site")
    started = root.parent / "beside-started"
    real = building.write_site_files

    def slow(kb, site_dir, **kwargs):  # noqa: ANN001, ANN003, ANN202
        started.write_text(str(site_dir))
        time.sleep(1.5)
        (site_dir / "late").mkdir(parents=True, exist_ok=True)
        return real(kb, site_dir, **kwargs)

    monkeypatch.setattr(building, "write_site_files", slow)
    real_write = mkdocs.utils.write_file

    def disk_full_once_started(content, output_path):  # noqa: ANN001, ANN202
        deadline = time.monotonic() + 10
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        if output_path.endswith("index.html"):  # MkDocs writing a page: the work beside is under way
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), output_path)
        real_write(content, output_path)

    monkeypatch.setattr(mkdocs.utils, "write_file", disk_full_once_started)
    edit_title(root)
    with pytest.raises(ProjectError, match="No space left on device"):
        build_site(root, root / "site")
    assert started.exists()  # it was started beside MkDocs, and was still at work when MkDocs failed
    time.sleep(2.5)
    assert not Path(started.read_text()).exists()  # the staging folder: removed, not made again
    assert tree_digest(root / "site") == before and leftovers(root, root / "site") == []


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def test_ctrl_c_while_rendering_stops_the_build_and_all_its_processes_quietly(kb_copy):
    """Ctrl-C reaches every process of the terminal's group: the render workers and the work beside
    MkDocs leave the stopping to the build, which ends them (a worker that died of it could leave
    the pool's lock held, and the build hung on it), and nobody prints a traceback."""
    root = big_kb(kb_copy, 240)  # render workers from 200 SOPs
    proc, err = start_build(root, "interrupted")  # a group of its own, as a terminal's job
    try:
        wait_for(lambda: len(_children(proc.pid)) >= 3 or proc.poll() is not None, "the render workers")
        assert proc.poll() is None, "the build finished before it could be interrupted"
        processes = _children(proc.pid)
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130
    assert "Traceback" not in err.read_text()
    wait_for(lambda: not any(running(p) for p in processes), "the build's processes to end", timeout=10)
    assert leftovers(root) == [] and not (root / "site").exists()


def test_a_ctrl_c_python_swallows_still_stops_the_build_before_it_publishes(kb_copy):
    """A signal's exception raised in a `__del__` or a weakref callback (the collector runs them at
    any moment) is printed as "Exception ignored" and dropped: about one Ctrl-C in 150, the build
    published its site and exited 0."""
    root = kb_copy("kb-small")
    site = root / "site"
    build_site(root, site)
    before = tree_digest(site)
    edit_title(root)
    swallowing = f"""
import signal, sys
from sopkb.build import mkdocs_plugin
real = mkdocs_plugin.SopkbPlugin.on_post_build
class Dropped:
    def __del__(self):
        signal.raise_signal(signal.SIGINT)
def on_post_build(self, *, config):
    real(self, config=config)
    Dropped()
mkdocs_plugin.SopkbPlugin.on_post_build = on_post_build
from sopkb.cli import main
sys.exit(main(["-C", {str(root)!r}, "build"]))
"""
    done = subprocess.run([sys.executable, "-c", swallowing], env=ENV, capture_output=True, text=True, timeout=300)
    assert done.returncode == 130, done.stderr
    assert "Exception ignored" not in done.stderr  # dropped by Python, raised again by sopkb: said once
    assert tree_digest(site) == before
    assert leftovers(root) == []


def test_a_ctrl_c_as_the_site_is_published_says_the_new_site_went_live(kb_copy):
    """Held while the site is published (whole), raised after: the command ends as interrupted,
    and says the new site is complete (it ended 130 in silence, as if nothing had been published)."""
    root = kb_copy("kb-small")
    site = root / "site"
    build_site(root, site)
    edit_title(root)
    interrupting = f"""
import signal, sys
from sopkb.build import site_swap
real = site_swap.publish
def publish(staging, layout):
    signal.raise_signal(signal.SIGINT)  # as publishing starts
    real(staging, layout)
site_swap.publish = publish
from sopkb.cli import main
sys.exit(main(["-C", {str(root)!r}, "build"]))
"""
    done = subprocess.run([sys.executable, "-c", interrupting], env=ENV, capture_output=True, text=True, timeout=300)
    assert done.returncode == 130, done.stderr
    assert "stopped just as the new site was published; the new site is complete" in done.stderr
    assert "second edition" in (site / "sops/refund/index.html").read_text()
    assert_complete(site)


def test_sigterm_to_the_build_alone_takes_all_its_processes_with_it(kb_copy):
    """A process manager stops the build's own pid (SIGTERM, not its group): its render workers and
    the work beside MkDocs end with it (nothing writes into its staging folder, nothing holds its
    lock), and it removes its staging folder on the way out (it was left for the next build)."""
    root = big_kb(kb_copy, 240)
    proc, err = start_build(root, "terminated")
    try:
        wait_for(lambda: len(_children(proc.pid)) >= 3 or proc.poll() is not None, "the render workers")
        assert proc.poll() is None, "the build finished before it could be stopped"
        processes = _children(proc.pid)
        proc.terminate()
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == -signal.SIGTERM  # ended as terminated, for whoever stopped it
    wait_for(lambda: not any(running(p) for p in processes), "the build's processes to end", timeout=10)
    assert "Traceback" not in err.read_text()
    assert leftovers(root) == [] and not (root / "site").exists()  # cleaned up on the way out
    result = sopkb("-C", str(root), "build")
    assert result.returncode == 0 and "waiting for another build" not in result.stderr, result.stderr
    assert leftovers(root) == []
