"""Ctrl-C and SIGTERM stop a build before it publishes anything. Python raises the signal's
exception wherever the process is, and when that is a weakref callback or a `__del__` (the
collector runs them at any moment), it prints "Exception ignored in …" and carries on: about one
Ctrl-C in 150, the build went on to publish and exit 0. So each signal is also remembered, and
raised again (`raise_if_received`) before the step that cannot be taken back, which itself runs
with them held (`held`): a site is published whole, and a signal that came meanwhile is raised
once it is (`published` tells the command to say so)."""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Callable, Iterator
from typing import Any

_received: list[int] = []
published = [False]  # the new site went live before the signal's exception was raised

HELD = {signal.SIGINT, signal.SIGTERM}

Handler = Callable[[int, Any], Any]


def remembered(handler: Handler) -> Handler:
    """`handler` (which raises), with the signal remembered first."""

    def handle(signum: int, frame: Any) -> Any:
        _received.append(signum)
        return handler(signum, frame)

    return handle


def raise_if_received() -> None:
    """The last signal's exception, raised here, if one came (it may have been swallowed)."""
    if _received:
        signal.raise_signal(_received[-1])


def forget() -> None:
    """A new command in the same process (tests) starts with none received."""
    _received.clear()
    published[0] = False


@contextlib.contextmanager
def held() -> Iterator[None]:
    """Ctrl-C and SIGTERM held back for the block; raised, if one came, as it ends."""
    signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)


def quiet_when_dropped() -> None:
    """The exception of a remembered signal that Python drops (raised in a `__del__` or a weakref
    callback) is not printed as "Exception ignored …": it is raised again where it can stop the
    build (`raise_if_received`)."""
    if getattr(sys.unraisablehook, "sopkb", False):
        return  # once per process, however many builds it runs (tests)
    printing = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        if _received and not isinstance(unraisable.exc_value, Exception | None):
            return
        printing(unraisable)

    hook.sopkb = True  # type: ignore[attr-defined]
    sys.unraisablehook = hook
