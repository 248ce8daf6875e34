"""Ctrl-C and SIGTERM stop a build before it publishes anything. Python raises the signal's
exception wherever the process is, and when that is a weakref callback or a `__del__` (the
collector runs them at any moment), it prints "Exception ignored in …" and carries on: about one
Ctrl-C in 150, the build went on to publish and exit 0. So each signal is also remembered, and
raised again (`raise_if_received`) before the step that cannot be taken back."""

from __future__ import annotations

import signal
from collections.abc import Callable
from typing import Any

_received: list[int] = []

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
