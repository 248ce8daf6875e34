"""Python's cycle collector kept off what a build holds to its end.

A build makes about half a million objects at 1,000 SOPs (the sources' models, flows, drills) and
keeps every one of them to the end; almost none is ever part of a garbage cycle (a few hundred,
measured). Each collection of the oldest generation walks them all, and a reading of the sources
triggers many: an unchanged rebuild read its sources in 2.4 s of CPU with the collector on, in
1.4 s with it off, and a cold build's reading lost two seconds the same way. Serving keeps the
collector off its kept build the same way (`build/quick_save.py`).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No collection while the block makes objects that live on (a KB being read)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def alive_until_done() -> Iterator[None]:
    """What is alive as the block starts is left out of every collection until it ends, then handed
    back to the collector (a process may build many times: tests, `serve`)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
