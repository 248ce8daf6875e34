"""The compressed files a build keeps for the next are read by bounds that hold against a planted
file: here, how tightly a file may be packed (a decompression bomb in every kept file made a
300-SOP rebuild take 116 s instead of 9, each inflated up to its size bound before refused)."""

from __future__ import annotations

import os
import zlib

from sopkb.build import kept_files
from sopkb.build.kept_files import MOST_PACKED, SMALL_INFLATED, read_kept


def _written(tmp_path, data: bytes, level: int = 9):
    path = tmp_path / "ab" / "kept.json.z"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(zlib.compress(data, level))
    return path


def test_what_sopkb_writes_is_read_back(tmp_path):
    page = os.urandom(30_000).hex().encode() * 2  # packs about 2.5 to 1, like a page
    path = tmp_path / "ab" / "kept.json.z"
    kept_files.write_kept(tmp_path, path, page)
    assert read_kept(path, 16_000_000, 512_000_000) == page


def test_a_file_packed_tighter_than_sopkb_packs_is_refused_without_inflating_it(tmp_path, monkeypatch):
    bomb = _written(tmp_path, b" " * 20_000_000)  # 20 KB on disk, 20 MB inflated: within both size bounds
    assert 1_000 < len(bomb.read_bytes()) * MOST_PACKED < 20_000_000
    asked: list[int] = []
    real = zlib.decompressobj

    class Counting:
        def __init__(self) -> None:
            self._inflater = real()
            self.eof, self.unconsumed_tail = False, b""

        def decompress(self, raw: bytes, most: int) -> bytes:
            asked.append(most)
            data = self._inflater.decompress(raw, most)
            self.eof, self.unconsumed_tail = self._inflater.eof, self._inflater.unconsumed_tail
            return data

    monkeypatch.setattr(kept_files.zlib, "decompressobj", Counting)
    assert read_kept(bomb, 16_000_000, 512_000_000) is None
    packed = len(bomb.read_bytes())
    assert asked == [max(SMALL_INFLATED, packed * MOST_PACKED) + 1]  # about 300 KB, not the 512 MB bound
    assert asked[0] < 500_000


def test_a_small_file_may_be_packed_tightly(tmp_path):
    blank = b" " * 250_000  # a page of repeated rows may pack far: under 256 KB, let through
    assert read_kept(_written(tmp_path, blank), 16_000_000, 64_000_000) == blank


def test_the_first_line_is_read_without_inflating_the_rest(tmp_path, monkeypatch):
    """A kept page leads with a line of what it is: that line is all a placed page needs, so the
    Markdown after it is neither read nor inflated."""
    rest = os.urandom(400_000).hex().encode()  # packs about 2 to 1: 400 KB on disk
    path = tmp_path / "ab" / "kept.json.z"
    kept_files.write_kept(tmp_path, path, b'{"head": 1}\n' + rest)
    inflated: list[int] = []
    real = zlib.decompressobj

    class Counting:
        def __init__(self) -> None:
            self._inflater = real()

        def __getattr__(self, name: str):  # noqa: ANN204
            return getattr(self._inflater, name)

        def decompress(self, raw: bytes, most: int) -> bytes:
            data = self._inflater.decompress(raw, most)
            inflated.append(len(data))
            return data

    monkeypatch.setattr(kept_files.zlib, "decompressobj", Counting)
    assert kept_files.read_kept_line(path, 16_000_000, 512_000_000) == b'{"head": 1}'
    assert sum(inflated) < 20_000 < len(rest)


def test_a_file_with_no_line_end_within_its_bounds_has_no_first_line(tmp_path):
    assert kept_files.read_kept_line(_written(tmp_path, b"x" * 1_000), 16_000_000, 512_000_000) is None
    bomb = _written(tmp_path, b" " * 20_000_000 + b"\n")  # the line end past what it may inflate to
    assert kept_files.read_kept_line(bomb, 16_000_000, 512_000_000) is None
    assert kept_files.read_kept_line(_written(tmp_path, b"x\n" * 10), 10, 512_000_000) is None  # too big
    assert kept_files.read_kept_line(_written(tmp_path, b"x\n" * 10), 1_000, 512_000_000) == b"x"
    (tmp_path / "ab" / "link.json.z").symlink_to(tmp_path / "ab" / "kept.json.z")
    assert kept_files.read_kept_line(tmp_path / "ab" / "link.json.z", 1_000, 512_000_000) is None
    cut = zlib.compress(os.urandom(3_000).hex().encode() + b"\n")[:1_000]  # cut before the line end
    (tmp_path / "ab" / "cut.json.z").write_bytes(cut)
    assert kept_files.read_kept_line(tmp_path / "ab" / "cut.json.z", 1_000, 512_000_000) is None
