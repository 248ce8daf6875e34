"""The search index as the last `sopkb build` made it, kept by what it is made from, so a rebuild
whose SOPs are unchanged writes the same files without working them out again: with the pages
and sources kept, the index was a sixth of an unchanged rebuild at 1,000 SOPs (0.7 s).

The index is made from the SOPs alone (their words, in the KB's order) and the synonyms: its key
is each SOP's page key in that order (`save_inputs.page_keys`: its source and its neighbours',
everything that is not an SOP, synonyms.yaml and today included, and a stamp of sopkb's code,
its built-in synonyms included), which covers all of that and more. A changed SOP makes the index
again, from its kept term counts (`search/term_counts.py`).

Kept in the build's cache folder (`.site-page-cache/search-index/`), one compressed JSON file:
data, never code, read as untrusted (`kept_files.py`). Its paths say where files are written in
the site, so a kept index is used only if every path is one the index writes (`search-index/`,
then a shard, pair, directory, spelling or bucket file, or the manifest) and every value is text.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path

from ..core.folders import real_folders
from ..domain.knowledge_base import KnowledgeBase
from ..domain.urls import SEARCH_INDEX_DIR
from .kept_files import prune_kept, read_kept_json, write_kept

FOLDER = "search-index"
MAX_BYTES = 64_000_000  # compressed; 10,000 SOPs' index is about 40 MB before compression
MAX_INFLATED = 512_000_000
_KEPT = re.compile(r"[0-9a-f]{64}\.json\.z")
_INDEX_PATH = re.compile(re.escape(SEARCH_INDEX_DIR) + r"/(?:manifest|[tpkwd]/[a-z0-9-]{1,200})\.json")
"""The files the index writes: the manifest, and shard, pair, directory, spelling and bucket files
named from a few characters (a name the file system takes)."""


def index_files(
    make: Callable[[], dict[str, str]], folder: Path | None, kb: KnowledgeBase, page_keys: dict[str, str]
) -> dict[str, str]:
    """`make()`, or the index kept in the cache `folder` (`sopkb build`'s) for the same SOPs."""
    if folder is None:
        return make()
    cache, key = IndexCache(folder), index_key(kb, page_keys)
    files = cache.load(key)
    if files is None:
        files = make()
        cache.store(key, files)
    return files


def index_key(kb: KnowledgeBase, page_keys: dict[str, str]) -> str:
    digest = hashlib.sha256(b"search index 1")
    for entry in kb.sops:
        digest.update(f"\0{entry.id}\0{page_keys[entry.id]}".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


class IndexCache:
    def __init__(self, folder: Path):
        self.folder = folder / FOLDER
        self.usable = real_folders(folder, self.folder)  # never through a planted link

    def file(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json.z"

    def load(self, key: str) -> dict[str, str] | None:
        """The index kept for `key`, if it is one this module wrote."""
        files = read_kept_json(self.file(key), MAX_BYTES, MAX_INFLATED) if self.usable else None
        if not isinstance(files, dict) or f"{SEARCH_INDEX_DIR}/manifest.json" not in files:
            return None
        if not all(_INDEX_PATH.fullmatch(path) and _text(value) for path, value in files.items()):
            return None
        return files

    def store(self, key: str, files: dict[str, str]) -> None:
        """Kept for the next build; any other kept index let go."""
        if self.usable:
            write_kept(self.folder, self.file(key), json.dumps(files).encode("ascii"))
            prune_kept(self.folder, _KEPT, ".json.z", {key})


def _text(value: object) -> bool:
    """Text a file can hold: a string with no lone surrogate (JSON can write one; UTF-8 cannot)."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
