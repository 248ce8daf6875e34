"""Reading and writing the compressed files a build keeps for the next one, by the rules every such
cache follows (`render_cache.py`, `source_cache.py`): its folder may have been restored by CI from
anywhere, so what is read there is never trusted to be what sopkb wrote.

A kept file is read only when it and the folders above it are real (a link is never followed), it
is a regular file, and it is no larger than its bound compressed and inflated (zlib packs up to
1,000 to 1: a planted file of a few MB could inflate to GBs; nothing sopkb writes packs tighter
than 16 to 1, so nothing inflates past that). It is written whole (a temporary
file renamed), never through a link; a full or read-only disk means no cache, never a failed build.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import stat
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from ..core.folders import real_folders

TEMPORARY = re.compile(r"\.[0-9a-f]{12}\.tmp")
"""What `write` names a file it has not finished: left by a killed build, pruned by the next."""


def read_kept(path: Path, max_bytes: int, max_inflated: int) -> bytes | None:
    """The inflated bytes of `path`, or None for anything that is not a kept file within bounds."""
    try:
        if not real_folders(path.parent):
            return None
        with open(path, "rb", opener=_no_links) as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
                return None
            raw = stream.read(max_bytes + 1)
        if len(raw) > max_bytes:
            return None
        return _inflate(raw, max_inflated)
    except (OSError, ValueError, zlib.error):
        return None


def read_kept_line(path: Path, max_bytes: int, max_inflated: int) -> bytes | None:
    """The first line of `path`'s inflated bytes (without its end), read and inflated no further:
    what a reader needs of a file that leads with what it is. None as `read_kept`, or with no
    line end within the bounds."""
    try:
        if not real_folders(path.parent):
            return None
        with open(path, "rb", buffering=0, opener=_no_links) as stream:
            found = os.fstat(stream.fileno())
            if not stat.S_ISREG(found.st_mode) or found.st_size > max_bytes:
                return None
            bound = min(max_inflated, max(SMALL_INFLATED, found.st_size * MOST_PACKED))
            return _inflate_line(stream, max_bytes, bound)
    except (OSError, ValueError, zlib.error):
        return None


def _inflate_line(stream: BinaryIO, max_bytes: int, bound: int) -> bytes:
    """`stream` inflated up to the first line end, reading no more than `max_bytes` and inflating
    no more than `bound` (in pieces joined once: a long line costs its length, not its square)."""
    inflater, pieces, inflated, read = zlib.decompressobj(), [], 0, 0
    while True:
        data = inflater.unconsumed_tail
        if not data:
            data = stream.read(_LINE_STEP)
            read += len(data)
        piece = inflater.decompress(data, _LINE_STEP)
        end = piece.find(b"\n")
        if end >= 0:
            return b"".join([*pieces, piece[:end]])
        pieces.append(piece)
        inflated += len(piece)
        if inflated > bound or read > max_bytes or inflater.eof or not (data or piece):
            raise ValueError("not a kept file")


_LINE_STEP = 8_192


def read_kept_json(path: Path, max_bytes: int, max_inflated: int) -> Any | None:
    """`read_kept`'s bytes as JSON, or None where they are not JSON (or nest past the parser)."""
    raw = read_kept(path, max_bytes, max_inflated)
    if raw is None:
        return None
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return None


def write_kept(folder: Path, target: Path, data: bytes) -> None:
    """`data` compressed into `target`, in a shard folder of `folder` (both real folders)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if not real_folders(folder, target.parent):
            return
        fresh = target.with_name(f".{secrets.token_hex(6)}.tmp")
        with open(fresh, "xb") as stream:
            stream.write(zlib.compress(data, 1))
        os.replace(fresh, target)
    except OSError:
        return


def prune_kept(folder: Path, kept: re.Pattern[str], suffix: str, keys: set[str]) -> None:
    """Drop the files of `folder/<shard>/` named by `kept` whose key (the name without `suffix`)
    is not in `keys`, and unfinished ones. Only names sopkb writes go, from real folders: a link
    or a stranger's file is left alone."""
    for file in shard_files(folder):
        unused = kept.fullmatch(file.name) and file.name[: -len(suffix)] not in keys
        if (unused or TEMPORARY.fullmatch(file.name)) and not file.is_symlink():
            with contextlib.suppress(OSError):
                file.unlink()


def shard_files(folder: Path) -> Iterator[Path]:
    """The entries of each shard (`folder/<two hex digits>/`) that is a real folder, in a `folder`
    that is one: what a cache's pruning looks at, never through a link."""
    if not real_folders(folder):
        return
    with contextlib.suppress(OSError):
        for shard in folder.iterdir():
            if re.fullmatch(r"[0-9a-f]{2}", shard.name) and real_folders(shard):
                yield from shard.iterdir()


MOST_PACKED = 16
"""What sopkb writes inflates to 2 to 6 times its size (pages, sources, indexes at the fastest
level); zlib packs up to 1,000 to 1. A file packed tighter than this is not one sopkb wrote: a
planted file of a few KB per page no longer costs a build a gigabyte of inflating each."""
SMALL_INFLATED = 256_000  # below this, any packing is let through: too little to cost anything


def _inflate(raw: bytes, max_inflated: int) -> bytes:
    """`raw` inflated, never past `max_inflated` nor `MOST_PACKED` times its size."""
    bound = min(max_inflated, max(SMALL_INFLATED, len(raw) * MOST_PACKED))
    inflater = zlib.decompressobj()
    data = inflater.decompress(raw, bound + 1)
    if len(data) > bound or not inflater.eof or inflater.unconsumed_tail:
        raise ValueError("not a kept file")
    return data


def _no_links(path: str, flags: int) -> int:
    """Opened never through a link, and never waiting on a pipe planted in a file's place."""
    return os.open(path, flags | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
