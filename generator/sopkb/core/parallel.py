"""Render in several processes on a big KB: MkDocs builds on one core, so the others are free.

Forked workers inherit the loaded knowledge base and templates instead of receiving them through
pickling; only the finished pages (plain strings) travel back. Fork is used only where it is safe:
on platforms that have it, and never from a process with other threads running (`mkdocs serve`
runs a live-reload thread), in which case this quietly renders in the current process.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

from .errors import ProjectError

T = TypeVar("T")
R = TypeVar("R")

_work: tuple[Callable, Sequence] | None = None  # what forked workers inherit


def _run_chunk(bounds: tuple[int, int]) -> list:
    function, items = _work  # type: ignore[misc]
    return [function(item) for item in items[bounds[0] : bounds[1]]]


def can_fork() -> bool:
    """Whether forking is safe here: the platform has it and no other thread is running."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def map_in_processes(
    function: Callable[[T], R], items: Sequence[T], jobs: int, progress: Callable[[int], None] | None = None
) -> list[R]:
    """`[function(item) for item in items]`, in `jobs` forked processes when that is safe.
    `progress(n)`: told how many are done as they finish (in chunks of a few dozen when forked)."""
    global _work
    tell = progress or (lambda n: None)
    if jobs <= 1 or len(items) < 2 * jobs or not can_fork():
        out = []
        for item in items:
            out.append(function(item))
            tell(len(out))
        return out
    size = -(-len(items) // jobs)
    if progress is not None:
        size = max(1, min(size, -(-len(items) // (jobs * PROGRESS_STEPS))))
    bounds = [(start, start + size) for start in range(0, len(items), size)]
    _work = (function, items)
    results: list[R] = []
    try:
        with _interrupts_held():
            started = functools.partial(_worker_started, os.getpid())
            pool = multiprocessing.get_context("fork").Pool(min(jobs, len(bounds)), started)
        with pool:
            for chunk in pool.imap(_run_chunk, bounds):
                results += chunk
                tell(len(results))
    finally:
        _work = None
    return results


def _worker_started(parent: int) -> None:
    _die_with(parent)
    _ignore_interrupt()


def _ignore_interrupt() -> None:
    """In a worker: Ctrl-C reaches every process of the terminal's group, and a worker that died of
    it in the middle of handing back a result could leave the pool's lock held (the build hung on
    it, seen once) and printed its traceback. The build alone stops on Ctrl-C; it ends its workers.
    Held from the fork (`_interrupts_held`) until ignored here: one that came between is dropped."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # how the build ends it, whatever the build made of it
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Ctrl-C held back while workers are forked (they start with it held: see `_ignore_interrupt`);
    this process gets it once they are."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


PROGRESS_STEPS = 20
"""Chunks per worker when progress is shown: the bar moves in steps of 5 %."""


def imap_in_processes(function: Callable[[T], R], items: Sequence[T], jobs: int) -> Iterator[R]:
    """`function(item)` for each item, in order, each as soon as it is done (so a progress bar
    moves), in `jobs` forked processes when that is safe. `function` and the items travel by
    pickling (a module-level function, plain values). A worker that dies (a crash in a C library
    reading a hostile file) raises `concurrent.futures.process.BrokenProcessPool` here instead of
    taking this process with it or hanging."""
    if jobs <= 1 or len(items) < 2 or not can_fork():
        yield from (function(item) for item in items)
        return
    with ProcessPoolExecutor(min(jobs, len(items)), mp_context=multiprocessing.get_context("fork")) as pool:
        yield from pool.map(function, items, chunksize=1)


class Beside:
    """`work(forked)` done in a forked process while this one goes on (MkDocs builds its pages on
    one core: the other is free); `wait()` returns once it is done and raises what it raised. Where
    forking is not safe (see `can_fork`), `wait()` does the work itself. `forked` tells the work
    where it runs: in a process of its own it should start no others (this one is busy)."""

    def __init__(self, work: Callable[[bool], None], low_priority: bool = True) -> None:
        """`low_priority`: the work yields its core to this process's own workers (`nice` 10)."""
        self._work: Callable[[bool], None] | None = work
        self._process = None
        self._reply = None
        self.forked = can_fork() and (os.cpu_count() or 1) > 1
        if self.forked:
            context = multiprocessing.get_context("fork")
            self._reply, sending = context.Pipe(duplex=False)
            args = (work, sending, low_priority, os.getpid())
            self._process = context.Process(target=_work_beside, args=args)
            with _interrupts_held():
                self._process.start()
            sending.close()  # the child's end: so a child that dies is an end of file here
            self._work = None

    def wait(self) -> None:
        if self._work is not None:
            work, self._work = self._work, None
            work(False)
            return
        if self._process is None:
            return
        process, self._process = self._process, None
        try:
            failure = self._reply.recv()
        except EOFError:  # the child died without a word (killed, or a crash in a C library)
            failure = ProjectError("a worker process of the build stopped unexpectedly (killed?)")
        except Exception as exc:  # noqa: BLE001 - what it raised does not unpickle: its words
            failure = RuntimeError(f"a worker process failed: {exc}")
        finally:
            self._reply.close()
            process.join()
        if failure is not None:
            raise failure

    def stop(self) -> None:
        """The work abandoned (the build failed): the child is ended, never left writing."""
        self._work = None
        if self._process is not None:
            process, self._process = self._process, None
            process.terminate()
            process.join()
            self._reply.close()


def _work_beside(work: Callable[[bool], None], reply, low_priority: bool, parent: int) -> None:  # noqa: ANN001
    _die_with(parent)
    _ignore_interrupt()
    if low_priority:
        with contextlib.suppress(OSError):  # the build's own processes first: this one takes what they leave
            os.nice(10)
    try:
        work(True)
    except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
        try:
            reply.send(exc)
        except Exception:  # noqa: BLE001 - an exception that does not pickle: its words
            reply.send(RuntimeError(f"{type(exc).__name__}: {exc}"))
        return
    reply.send(None)


def _die_with(parent: int) -> None:
    """A build killed outright (SIGTERM, SIGKILL: no `finally` runs, so no `stop`) takes the work
    beside it along, which would otherwise go on writing into a staging folder nobody waits for. On
    Linux the kernel is asked to (`PR_SET_PDEATHSIG`); elsewhere the work runs to its end."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # killed before the kernel was asked
        os._exit(1)


_PR_SET_PDEATHSIG = 1
