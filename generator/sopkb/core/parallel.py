"""Render in several processes on a big KB: MkDocs builds on one core, so the others are free.

Forked workers inherit the loaded knowledge base and templates instead of receiving them through
pickling; only the finished pages (plain strings) travel back. Fork is used only where it is safe:
on platforms that have it, and never from a process with other threads running (`mkdocs serve`
runs a live-reload thread), in which case this quietly renders in the current process.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

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
        with multiprocessing.get_context("fork").Pool(min(jobs, len(bounds))) as pool:
            for chunk in pool.imap(_run_chunk, bounds):
                results += chunk
                tell(len(results))
    finally:
        _work = None
    return results


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
