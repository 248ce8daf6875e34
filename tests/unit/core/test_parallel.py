"""Work in forked processes: rendering gives exactly the pages a single process gives, and work
beside the build is waited for, its failures raised, and stopped when the build fails."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sopkb.core.errors import ProjectError
from sopkb.core.parallel import Beside
from sopkb.domain.project import Project
from sopkb.pipeline import load_knowledge_base
from sopkb.render.environment import make_environment
from sopkb.render.pages import render_site

from tests.conftest import REPO
from tests.synthetic_kb import synthetic_sops


def test_parallel_render_matches_serial(tmp_path):
    shutil.copytree(REPO / "tests" / "fixtures" / "kb-small", tmp_path / "kb")
    for i, sop in enumerate(synthetic_sops(12, seed=3)):
        (tmp_path / "kb" / "sops" / f"s{i}.yaml").write_text(json.dumps(sop))
    kb = load_knowledge_base(Project.at(tmp_path / "kb"), today=dt.date(2026, 11, 23))
    serial = render_site(kb, make_environment(), today=dt.date(2026, 11, 23), jobs=1)
    parallel = render_site(kb, make_environment(), today=dt.date(2026, 11, 23), jobs=2)
    assert len(serial) > 14
    assert parallel == serial


def _square(n: int) -> int:
    return n * n


def test_progress_counts_up_to_every_item_in_one_process_and_forked():
    from sopkb.core.parallel import can_fork, map_in_processes

    items = list(range(103))
    for jobs in (1, 2):
        told: list[int] = []
        assert map_in_processes(_square, items, jobs, told.append) == [n * n for n in items]
        assert told == sorted(told) and told[-1] == 103
        if jobs == 2 and can_fork():  # forked: in chunks of a few, not one at the end
            assert 20 <= len(told) <= 60
        if jobs == 1:
            assert told == list(range(1, 104))


# --- work beside: a forked process while this one goes on -----------------------------------------


def _note_pid(path):
    def work(forked: bool) -> None:
        path.write_text(f"{os.getpid()} {forked}")

    return work


def test_work_beside_runs_in_another_process_and_wait_returns_once_it_is_done(tmp_path):
    note = tmp_path / "note"
    beside = Beside(_note_pid(note))
    assert beside.forked  # a test process with no other thread, on a machine of two cores or more
    beside.wait()
    pid, forked = note.read_text().split()
    assert int(pid) != os.getpid() and forked == "True"


def test_with_another_thread_running_the_work_is_done_by_wait_in_this_process(tmp_path):
    note, stop = tmp_path / "note", threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        beside = Beside(_note_pid(note))
        assert not beside.forked and not note.exists()  # not yet: `wait` does it
        beside.wait()
    finally:
        stop.set()
        thread.join()
    assert note.read_text() == f"{os.getpid()} False"


def _raises(exc: BaseException):
    def work(forked: bool) -> None:
        raise exc

    return work


class _Unpicklable(Exception):
    def __reduce__(self):  # noqa: ANN204
        raise TypeError("not this one")


@pytest.mark.parametrize(
    ("work", "expected", "words"),
    [
        (_raises(OSError(errno.ENOSPC, "No space left on device")), OSError, "No space left on device"),
        (_raises(ValueError("a bug")), ValueError, "a bug"),
        (_raises(_Unpicklable("its words")), RuntimeError, "_Unpicklable: its words"),
        (lambda forked: os._exit(3), ProjectError, "stopped unexpectedly"),  # one line, no traceback
    ],
    ids=["os-error", "exception", "unpicklable", "died"],
)
def test_what_the_work_raised_is_raised_by_wait(work, expected, words):
    beside = Beside(work)
    with pytest.raises(expected, match=words) as caught:
        beside.wait()
    if expected is OSError:
        assert caught.value.errno == errno.ENOSPC  # what the build tells as one sentence


def test_stop_ends_the_work_so_nothing_is_written_after_it(tmp_path):
    started, late = tmp_path / "started", tmp_path / "late"

    def slow(forked: bool) -> None:
        started.write_text("")
        time.sleep(1.5)
        late.write_text("written after the build failed")

    beside = Beside(slow)
    deadline = time.monotonic() + 10
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    beside.stop()
    time.sleep(2)
    assert started.exists() and not late.exists()
    beside.wait()  # stopped: nothing left to wait for


def test_work_beside_a_process_killed_outright_ends_with_it(tmp_path):
    """SIGKILL runs no `finally`: the work beside must not live on, writing into a staging folder
    nobody waits for."""
    script = (
        "import sys, time\n"
        "from sopkb.core.parallel import Beside\n"
        "beside = Beside(lambda forked: time.sleep(60))\n"
        "print(beside._process.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    build = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        child = int(build.stdout.readline())
        assert Path(f"/proc/{child}").exists()
        build.kill()
    finally:
        build.wait(timeout=30)
    deadline = time.monotonic() + 10
    while running(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not running(child)


def running(pid: int) -> bool:
    """Running, not merely a zombie waiting for whoever adopted it."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\\nState:\\tZ" not in status


def _script(code: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """`code` run by a Python of its own: signals and killed workers stay out of the test process,
    and a hang is a failure, not a stuck run."""
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def test_a_render_worker_that_dies_is_an_error_not_a_hang():
    """The out-of-memory killer takes a worker: `multiprocessing.Pool` replaced it and waited for
    its chunk forever. Now the build stops with one sentence and ends the other workers."""
    result = _script(
        "import os, signal, multiprocessing\n"
        "from sopkb.core.errors import ProjectError\n"
        "from sopkb.core.parallel import map_in_processes\n"
        "def render(n):\n"
        "    if n == 37: os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return n\n"
        "try:\n"
        "    map_in_processes(render, list(range(200)), 2, lambda n: None)\n"
        "except ProjectError as exc:\n"
        "    print('error:', exc)\n"
        "print('left:', multiprocessing.active_children())\n"
    )
    assert result.stdout.splitlines() == [
        "error: a worker process of the build stopped unexpectedly (killed? out of memory?)",
        "left: []",
    ], result.stderr
    assert "Traceback" not in result.stderr


def test_what_a_render_worker_raised_is_raised_here_and_the_others_end():
    result = _script(
        "import multiprocessing\n"
        "from sopkb.core.parallel import map_in_processes\n"
        "class Unpicklable(Exception):\n"
        "    def __reduce__(self): raise TypeError('no')\n"
        "def render(n):\n"
        "    if n == 61: raise ValueError(f'bad item {n}')\n"
        "    if n == 160: raise Unpicklable('its words')\n"
        "    return n\n"
        "for items in (range(100), range(150, 200)):\n"
        "    try:\n"
        "        map_in_processes(render, list(items), 2)\n"
        "    except Exception as exc:\n"
        "        print(type(exc).__name__, exc)\n"
        "print('left:', multiprocessing.active_children())\n"
    )
    assert result.stdout.splitlines() == [
        "ValueError bad item 61",
        "RuntimeError Unpicklable: its words",
        "left: []",
    ], result.stderr


_PENDING_CTRL_C = (
    "import os, signal, sys, time, multiprocessing\n"
    "from pathlib import Path\n"
    "from sopkb.core.parallel import Beside, map_in_processes\n"
    "note = Path(sys.argv[1])\n"
    "def late(_):\n"
    "    time.sleep(1)\n"
    "    note.write_text('went on after Ctrl-C')\n"
    "signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})\n"
    "os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C while the processes are forked: it comes once they are\n"
    "try:\n"
    "    {start}\n"
    "except KeyboardInterrupt:\n"
    "    print('interrupted; left:', multiprocessing.active_children(), flush=True)\n"
)


@pytest.mark.parametrize(
    "start", ["Beside(late)", "map_in_processes(late, list(range(8)), 2)"], ids=["beside", "workers"]
)
def test_ctrl_c_as_the_processes_start_ends_them(tmp_path, start):
    """The interrupt held while forking comes as the start returns, before the build holds the
    process to stop it: the work beside went on and the build's exit waited for it (the Ctrl-C test
    of the build took 28 s once instead of 3, and failed under load)."""
    note = tmp_path / "note"
    result = _script(_PENDING_CTRL_C.replace("{start}", start), str(note))
    assert result.stdout == "interrupted; left: []\n", result.stderr
    time.sleep(1.5)
    assert not note.exists()
