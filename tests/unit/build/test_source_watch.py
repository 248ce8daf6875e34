"""`sopkb serve` sees a saved source at once (`build/source_watch.py`): file events wake the
watcher, a look every half second stands in where there are none, and one save asks for one
rebuild, however many events and looks see it."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from sopkb.build import source_watch
from sopkb.build.source_watch import SourceWatch, asks_rebuild
from sopkb.loading.file_stamps import snapshot


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
    watch = SourceWatch(lambda: snapshot([sources], []), rebuilds)
    watch.start([str(sources)], str(sources.parent))
    return watch


def test_a_save_is_seen_at_once_and_rebuilt_once(sources, monkeypatch):
    """Seen by its file event: the next look is a minute away. (Not timed against the clock: a
    pause of the interpreter under load is no fault of the watcher; `bench/serve_bench.py` times
    saves.) Saved whole, as an editor saves (a new file renamed into place): a file written in
    place may be seen half-written, between its truncation and its writing, which is two changes
    (MkDocs' server makes one build of requests that close together)."""
    monkeypatch.setattr(source_watch, "LOOK_EVERY", 60)
    rebuilds = Rebuilds()
    watch = watching(sources, rebuilds)
    try:
        new = sources.parent / "a.yaml.new"  # outside the watched folder
        new.write_text("id: a\ntitle: A\n")
        os.replace(new, sources / "a.yaml")  # the kernel's watches are set: `start`
        assert rebuilds.asked.wait(10)
        time.sleep(1.5)  # later events (the file closed) see nothing new
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
        new = sources.parent / "b.yaml.new"  # saved whole: a look may see a file half-written
        new.write_text("id: b\n")
        os.replace(new, sources / "b.yaml")
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


@pytest.mark.parametrize("linked", ["file", "folder"])
def test_a_save_to_a_linked_source_is_seen(tmp_path, linked):
    """A source may be a link to a file or folder elsewhere in the KB (`loading/source_files.py`
    reads it): saving what it leads to is a save of the source, though no event comes from `sops/`."""
    sources = tmp_path / "sops"
    sources.mkdir()
    (tmp_path / "drafts").mkdir()
    target = tmp_path / "drafts" / "a.yaml"
    target.write_text("id: a\n")
    if linked == "file":
        (sources / "a.yaml").symlink_to(target)
    else:
        (sources / "drafts").symlink_to(tmp_path / "drafts", target_is_directory=True)
    rebuilds = Rebuilds()
    watch = SourceWatch(lambda: snapshot([sources], [], within=tmp_path), rebuilds)
    watch.start([str(sources)], str(tmp_path))
    try:
        time.sleep(0.2)
        target.write_text("id: a\ntitle: A, saved where the link leads\n")
        assert rebuilds.asked.wait(5 * source_watch.LOOK_EVERY)
    finally:
        watch.stop()


def test_a_link_to_a_folder_outside_the_kb_is_not_walked(tmp_path):
    kb, outside = tmp_path / "kb", tmp_path / "outside"
    (kb / "sops").mkdir(parents=True)
    outside.mkdir()
    (outside / "b.yaml").write_text("id: b\n")
    (kb / "sops" / "elsewhere").symlink_to(outside, target_is_directory=True)
    (kb / "sops" / "loop").symlink_to(kb / "sops", target_is_directory=True)  # a loop ends
    (kb / "sops" / "a.yaml").write_text("id: a\n")
    found = snapshot([kb / "sops"], [], within=kb)
    assert sorted(Path(p).name for p in found) == ["a.yaml"]


def test_a_source_folder_that_is_a_link_is_walked_with_its_subfolders(tmp_path):
    shared, kb = tmp_path / "shared", tmp_path / "kb"
    (shared / "billing").mkdir(parents=True)
    (shared / "billing" / "a.yaml").write_text("id: a\n")
    kb.mkdir()
    (kb / "sops").symlink_to(shared, target_is_directory=True)  # say, a shared drive
    found = snapshot([kb / "sops"], [], within=kb)
    assert [Path(p).name for p in found] == ["a.yaml"]


def test_no_look_while_a_build_runs_and_one_as_soon_as_it_is_done(sources, monkeypatch):
    """A look at 10,000 sources holds the interpreter a tenth of a second: none during a build.
    A save made meanwhile is seen as soon as the build is done."""
    monkeypatch.setattr(source_watch, "LOOK_EVERY", 0.1)
    rebuilds = Rebuilds()
    looks: list[float] = []

    def stamps():  # noqa: ANN202
        looks.append(time.monotonic())
        return snapshot([sources], [])

    watch = SourceWatch(stamps, rebuilds)
    watch.start([str(sources)], str(sources.parent))
    try:
        time.sleep(0.2)
        with watch.held():
            time.sleep(0.1)  # a look begun before the build began has ended
            before = len(looks)
            (sources / "a.yaml").write_text("id: a\ntitle: Saved while building\n")
            time.sleep(1)  # ten looks' time
            assert len(looks) == before and not rebuilds.times
            monkeypatch.setattr(source_watch, "LOOK_EVERY", 60)  # from now on, only `held` can wake it
        assert rebuilds.asked.wait(10)
    finally:
        watch.stop()
