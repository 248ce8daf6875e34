"""Each SOP page as a build rendered it, kept for the next build, so an SOP whose page is made of
the same inputs is not rendered again: rendering was a third of a rebuild at 1,000 SOPs.

A page is kept by the key `save_inputs.page_keys` gives it (its source, its neighbours' sources,
its history, everything that is not an SOP, today) and a stamp of the code and templates that
render it (`code_stamp`): a changed sopkb, template or library renders every page again. Kept with
it are the SOP's data files (its version and the changes since earlier versions).

The kept pages sit in the build's cache folder beside the site (`.site-page-cache/sop-pages/`),
one compressed JSON file per page: data, never code. A file that is not what this module writes
(a link, a stranger's file, a corrupt or oversized one, or one naming another page or other data
files than the SOP's) is ignored and the page rendered, never followed or trusted to say where
anything is written. Its words are trusted as the page cache's HTML is (documentation/safety.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .. import __version__
from ..core.folders import real_folders
from ..core.resources import PACKAGE, builtin_templates
from ..domain import urls
from ..domain.knowledge_base import SopEntry
from ..render.history import built_here
from ..render.pages import Page
from .html_blocks import markdown_digest
from .kept_files import prune_kept, read_kept, read_kept_line, write_kept

FOLDER = "sop-pages"
MAX_BYTES = 16_000_000  # compressed; a real page is tens of KB
MAX_INFLATED = 64_000_000  # inflated: zlib packs up to 1,000 to 1, so 16 MB read could be 16 GB
_KEPT = re.compile(r"[0-9a-f]{64}\.json\.z")
_DIGEST = re.compile(r"[0-9a-f]{64}")
_CODE = {".py", ".j2", ".html", ".js", ".css", ".yaml", ".json", ".svg"}


def code_stamp() -> str:
    """sopkb's code and built-in templates as they are (an edited checkout is never fooled), and
    the versions of the libraries a page's Markdown goes through. Read and hashed once while no
    file's size, time or inode changes (a build asked for it six times: 0.2 s at any size)."""
    global _stamped  # noqa: PLW0603 - one process's memo
    templates = builtin_templates()  # in a wheel, inside the package; in a checkout, beside it
    files = []
    for folder in [PACKAGE] if templates.is_relative_to(PACKAGE) else [PACKAGE, templates]:
        files += [(folder, path) for path in sorted(folder.rglob("*")) if path.suffix in _CODE]
    seen = []
    for _, path in files:
        with contextlib.suppress(OSError):
            found = path.stat()
            seen.append((path, found.st_size, found.st_mtime_ns, found.st_ino, found.st_ctime_ns))
    if _stamped is not None and _stamped[0] == seen:
        return _stamped[1]
    digest = hashlib.sha256(__version__.encode())
    for package in ("jinja2", "markupsafe", "markdown", "pymdown-extensions", "pyyaml", "pydantic"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            digest.update(f"\0{package}={metadata.version(package)}".encode())
    for folder, path in files:
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    _stamped = (seen, digest.hexdigest())
    return _stamped[1]


_stamped: tuple[list, str] | None = None


class RenderCache:
    def __init__(self, folder: Path):
        self.folder = folder / FOLDER
        self.usable = real_folders(folder, self.folder)

    def file(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json.z"

    def load(self, key: str, entry: SopEntry) -> Page | None:
        """The page kept for `key`, if it is one this module wrote for `entry`'s SOP."""
        if not self.usable:
            return None
        raw = read_kept(self.file(key), MAX_BYTES, MAX_INFLATED)
        head, _, rest = (raw or b"").partition(b"\n")
        found = _head_of(_json(head), entry)
        content = _json(rest)
        if found is None or not isinstance(content, str):
            return None
        return Page(entry.page_path, content, found.files)

    def load_head(self, key: str, entry: SopEntry) -> KeptHead | None:
        """What is kept for `key` but the page's Markdown (its first line: the rest is neither
        inflated nor parsed): all a render worker needs of a page whose HTML it places."""
        if not self.usable:
            return None
        head = read_kept_line(self.file(key), MAX_BYTES, MAX_INFLATED)
        return _head_of(_json(head), entry) if head is not None else None

    def store(self, key: str, page: Page) -> None:
        """Written whole, never through a link (`kept_files.write_kept`): a line of what the page
        is (its path, its Markdown's digest, its data files), then its Markdown."""
        if not self.usable:
            return
        digest = markdown_digest(page).hex()
        head = {"path": page.path, "digest": digest, "files": [list(f) for f in page.files]}
        data = json.dumps(head, ensure_ascii=False) + "\n" + json.dumps(page.content, ensure_ascii=False)
        write_kept(self.folder, self.file(key), data.encode("utf-8"))

    def prune(self, keys: set[str]) -> None:
        """Keep one site's worth: the pages of `keys` (this build's; the render workers that load
        and store pages are other processes)."""
        if self.usable:
            prune_kept(self.folder, _KEPT, ".json.z", keys)


@dataclass(frozen=True)
class KeptHead:
    """A kept page but its Markdown: its data files, and the digest of its Markdown that places it."""

    files: tuple[tuple[str, str], ...]
    digest: bytes


def _head_of(data: object, entry: SopEntry) -> KeptHead | None:
    """The head, if `data` has the shape `store` writes and names only this SOP's page and files."""
    if not isinstance(data, dict) or set(data) != {"path", "digest", "files"}:
        return None
    path, digest, files = data["path"], data["digest"], data["files"]
    allowed = {urls.sop_data_file(entry.id), urls.sop_changes_file(entry.id, entry.sop.version)}
    if path != entry.page_path or not isinstance(files, list):
        return None
    if not (isinstance(digest, str) and _DIGEST.fullmatch(digest)):
        return None
    changes = urls.sop_changes_file(entry.id, entry.sop.version)
    named: set[str] = set()
    for file in files:
        if not (isinstance(file, list) and len(file) == 2 and file[0] in allowed and file[0] not in named):
            return None
        named.add(file[0])
        if not isinstance(file[1], str) or (file[0] == changes and not _changes_built_here(file[1])):
            return None
    return KeptHead(tuple((name, text) for name, text in files), bytes.fromhex(digest))


def _json(raw: bytes) -> object:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return None


def _changes_built_here(text: str) -> bool:
    """The file of changes is the one data file a learner's page turns into HTML (`setBuiltHtml`):
    kept, its HTML must be made only of the tags the build writes (`history.built_here`), as the
    history cache's is, so no cache file can put a form, a redirect or a link on that page."""
    try:
        data = json.loads(text)
    except ValueError:
        return False
    since = data.get("since") if isinstance(data, dict) else None
    if not isinstance(since, list):
        return False
    htmls = [one.get("html") if isinstance(one, dict) else None for one in since]
    return all(isinstance(html, str) and built_here(html) for html in htmls)
