"""`sopkb serve`: see a saved source at once, not at MkDocs' next look.

MkDocs finds changes by polling every watched file twice a second (a native watcher misses changes
on network mounts and in Docker on macOS), so a save waited a quarter of a second on average, and
up to half a second, before its rebuild began: a third of the time a save took at 1,000 SOPs.

Here the KB's own folders (sources, templates, its top-level files) are watched both ways at once:
the operating system's file events (inotify, FSEvents, ReadDirectoryChangesW: at once) wake a
thread that compares the files' stamps (time, size, inode) with those it last saw, and the same
thread also looks every half second, for file systems that send no events. Only a real change
asks the server for a rebuild, so events and looks never rebuild twice for one save. MkDocs goes
on watching what it watches itself (`docs/`, mkdocs.yml).

While a build runs, the watcher does not look (`held`): a look at 10,000 sources takes a tenth of
a second, eight of them in a save of four seconds, each holding the interpreter the build needs.
It looks once the build is done, so a save made meanwhile is built next.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer

log = logging.getLogger("mkdocs.plugins.sopkb")

LOOK_EVERY = 0.5  # seconds: as MkDocs polls
CHANGES = [
    FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent, FileClosedEvent,
    DirCreatedEvent, DirDeletedEvent, DirMovedEvent,
]  # fmt: skip
"""Only these: a build reading every source would otherwise wake the watcher a thousand times
(opened, closed), and slowed each save to half its speed."""


class SourceWatch:
    def __init__(self, stamps: Callable[[], dict], rebuild: Callable[[], None]):
        """`stamps()`: the watched files and their stamps (`quick_save.snapshot`); `rebuild()`: ask
        the server for a rebuild."""
        self._stamps, self._rebuild = stamps, rebuild
        self._seen = stamps()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._building = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sopkb-source-watch", daemon=True)
        self._observer: Any = None

    def start(self, folders: list[str], top: str) -> None:
        """`folders` watched with what is below them, `top` (the KB's folder) only itself."""
        handler = FileSystemEventHandler()
        handler.on_any_event = lambda event: self._wake.set()  # type: ignore[method-assign]
        try:
            observer = Observer()
            for folder in folders:
                observer.schedule(handler, folder, recursive=True, event_filter=CHANGES)
            observer.schedule(handler, top, recursive=False, event_filter=CHANGES)
            observer.start()
            self._observer = observer
        except (OSError, RuntimeError) as exc:  # e.g. the system's limit of watches: looking still works
            log.info(f"sopkb: no file events here ({exc}); looking for changes every {LOOK_EVERY} s")
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._observer is not None:
            with contextlib.suppress(RuntimeError):
                self._observer.stop()

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """No looks while a build runs; one as soon as it is done."""
        self._building.set()
        try:
            yield
        finally:
            self._building.clear()
            self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(LOOK_EVERY)
            self._wake.clear()
            if self._stop.is_set():
                return
            if self._building.is_set():
                continue  # `held` wakes it when the build is done
            now = self._stamps()
            if now != self._seen:
                self._seen = now
                self._rebuild()


def asks_rebuild(server: Any) -> Callable[[], None] | None:
    """How to ask MkDocs' live-reload server (1.6) for a rebuild, as its own watcher does; None for
    a server without that way (then MkDocs watches the folders itself)."""
    condition = getattr(server, "_rebuild_cond", None)
    if condition is None or not hasattr(server, "_want_rebuild"):
        return None

    def rebuild() -> None:
        with condition:
            server._want_rebuild = True
            condition.notify_all()

    return rebuild
