"""`sopkb serve` sees a saved source at once (`build/source_watch.py`): file events wake the
watcher, a look every half second stands in where there are none, and one save asks for one
rebuild, however many events and looks see it."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sopkb.build import quick_save, source_watch
from sopkb.build.source_watch import SourceWatch, asks_rebuild


class Rebuilds:
    def __init__(self) -> None:
        self.times: list[float] = []
        self.asked = threading.Event()

    def __call__(self) -> None:
        self.times.append(time.monotonic())
        self.asked.set()


@pytest.fixture
def sources(tmp_path) -> Path:
    folder = tmp_path / "sops"
    folder.mkdir()
    (folder / "a.yaml").write_text("id: a\n")
    return folder


def watching(sources: Path, rebuilds: Rebuilds) -> SourceWatch:
    watch = SourceWatch(lambda: quick_save.snapshot([sources], []), rebuilds)
    watch.start([str(sources)], str(sources.parent))
    return watch


def test_a_save_is_seen_at_once_and_rebuilt_once(sources):
    rebuilds = Rebuilds()
    watch = watching(sources, rebuilds)
    try:
        time.sleep(0.2)  # the observer is running
        saved = time.monotonic()
        (sources / "a.yaml").write_text("id: a\ntitle: A\n")
        assert rebuilds.asked.wait(5)
        assert rebuilds.times[0] - saved < source_watch.LOOK_EVERY / 2  # by the event, not a look
        time.sleep(3 * source_watch.LOOK_EVERY)  # later events and looks see nothing new
        assert len(rebuilds.times) == 1
    finally:
        watch.stop()


def test_without_file_events_a_look_finds_the_save(sources, monkeypatch):
    class NoEvents:
        def schedule(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            raise OSError("inotify watch limit reached")

    monkeypatch.setattr(source_watch, "Observer", NoEvents)
    rebuilds = Rebuilds()
    watch = watching(sources, rebuilds)
    try:
        (sources / "b.yaml").write_text("id: b\n")
        assert rebuilds.asked.wait(5 * source_watch.LOOK_EVERY)
        time.sleep(2 * source_watch.LOOK_EVERY)
        assert len(rebuilds.times) == 1
    finally:
        watch.stop()


def test_nothing_changed_asks_for_nothing(sources):
    rebuilds = Rebuilds()
    watch = watching(sources, rebuilds)
    try:
        (sources / "a.yaml").read_text()  # a read is not a change
        time.sleep(3 * source_watch.LOOK_EVERY)
        assert rebuilds.times == []
    finally:
        watch.stop()


def test_the_live_reload_server_is_asked_as_its_own_watcher_asks_it():
    class Server:
        def __init__(self) -> None:
            self._rebuild_cond = threading.Condition()
            self._want_rebuild = False

    server = Server()
    ask = asks_rebuild(server)
    assert ask is not None
    ask()
    assert server._want_rebuild is True
    assert asks_rebuild(object()) is None  # another server: MkDocs watches the folders itself
