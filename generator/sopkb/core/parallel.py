"""Render in several processes on a big KB: MkDocs builds on one core, so the others are free.

Forked workers inherit the loaded knowledge base and templates instead of receiving them through
pickling; only the finished pages (plain strings) travel back. Fork is used only where it is safe:
on platforms that have it, and never from a process with other threads running (`mkdocs serve`
runs a live-reload thread), in which case this quietly renders in the current process.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import pickle
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import connection
from typing import TypeVar

from .errors import ProjectError, SourceErrors
from .interrupts import HELD, held
from .template_errors import template_problem

T = TypeVar("T")
R = TypeVar("R")

_work: tuple[Callable, Sequence, list[tuple[int, int]]] | None = None  # what forked workers inherit

WORKER_DIED = "a worker process of the build stopped unexpectedly (killed? out of memory?)"


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
    _work = (function, items, bounds)
    try:
        chunks = _fan_out(len(bounds), min(jobs, len(bounds)), tell)
    finally:
        _work = None
    return [result for chunk in chunks for result in chunk]


def _fan_out(count: int, workers: int, tell: Callable[[int], None]) -> list[list]:
    """Chunks 0..count-1 done by `workers` forked processes, each handed the next chunk when it
    hands back its last (a slow chunk holds up no other). Not `multiprocessing.Pool`: a worker it
    lost (the out-of-memory killer) was replaced and its chunk waited for forever, and a worker
    interrupted while handing back a result could leave the pool's lock held (both hung builds).
    Here a worker that dies is an end of file on its pipe, an error; and no thread runs beside."""
    context = multiprocessing.get_context("fork")
    processes: dict = {}  # this end of each worker's pipe: the worker
    chunks: dict[int, list] = {}
    following = iter(range(count))
    try:
        with held():  # Ctrl-C and SIGTERM while workers fork: see `_ignore_interrupt`
            for _ in range(workers):
                mine, theirs = context.Pipe()
                process = context.Process(target=_do_chunks, args=(theirs, os.getpid()), daemon=True)
                processes[mine] = process  # before it starts: so `finally` ends it whatever happens
                process.start()
                theirs.close()  # so a worker that dies is an end of file here
        busy = set()
        for pipe in processes:
            _hand_next(pipe, following, busy)
        done = 0
        while busy:
            for pipe in connection.wait(busy):
                try:
                    index, chunk, failure = pipe.recv()
                except EOFError:
                    raise ProjectError(WORKER_DIED) from None
                if failure is not None:
                    raise failure
                chunks[index] = chunk
                done += len(chunk)
                tell(done)
                busy.discard(pipe)
                _hand_next(pipe, following, busy)
    finally:
        for pipe, process in processes.items():
            if process.pid is None:  # not started: the fork failed, or was interrupted before it
                continue
            if len(chunks) < count:  # failed or interrupted: no worker goes on
                process.terminate()
            else:  # told, not left to see an end of file: the workers forked later hold this end too
                with contextlib.suppress(OSError):
                    pipe.send(None)
            process.join()
            pipe.close()
    return [chunks[i] for i in range(count)]


def _hand_next(pipe, following: Iterator[int], busy: set) -> None:  # noqa: ANN001
    index = next(following, None)
    if index is None:
        return
    try:
        pipe.send(index)
    except (BrokenPipeError, ConnectionResetError):  # it died between two chunks
        raise ProjectError(WORKER_DIED) from None
    busy.add(pipe)


def _do_chunks(pipe, parent: int) -> None:  # noqa: ANN001
    """In a worker: chunks by index until the build says None."""
    _die_with(parent)
    _ignore_interrupt()
    function, items, bounds = _work  # type: ignore[misc]
    while True:
        index = pipe.recv()
        if index is None:
            return
        start, end = bounds[index]
        try:
            pipe.send((index, [function(item) for item in items[start:end]], None))
        except BaseException as exc:  # noqa: BLE001 - raised by the build, as if it had been here
            pipe.send((index, None, _handed_over(exc)))
            return


def _handed_over(exc: BaseException) -> BaseException:
    """What the build raises for `exc` raised here: its traceback stays behind, so an error in a
    template is located first; `exc` itself if it travels through a pipe, else its words."""
    problem = template_problem(exc)
    if problem is not None:
        return SourceErrors([problem])
    try:
        pickle.dumps(exc)
    except Exception:  # noqa: BLE001 - anything pickling may raise
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


def _ignore_interrupt() -> None:
    """In a worker: Ctrl-C reaches every process of the terminal's group, and a worker that died of
    it in the middle of handing back a result could leave the pool's lock held (the build hung on
    it, seen once) and printed its traceback. The build alone stops on Ctrl-C; it ends its workers.
    Held from the fork (`interrupts.held`) until ignored here: one that came between (it would end
    the worker with the build's handler, and a traceback) is dropped."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # how the build ends it, whatever the build made of it
    signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)


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
            self._work = None
            try:
                with held():  # Ctrl-C and SIGTERM while workers fork: see `_ignore_interrupt`
                    self._process.start()
            except BaseException:  # Ctrl-C held while forking comes now: the child must not outlive it
                self.stop()
                raise
            finally:
                sending.close()  # the child's end: so a child that dies is an end of file here

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
            failure = ProjectError(WORKER_DIED)
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
            if process.pid is not None:  # started (a fork that failed started nothing)
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
        reply.send(_handed_over(exc))
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
