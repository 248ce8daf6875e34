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
from importlib import metadata
from pathlib import Path

from .. import __version__
from ..core.folders import real_folders
from ..core.resources import PACKAGE, builtin_templates
from ..domain import urls
from ..domain.knowledge_base import SopEntry
from ..render.history import built_here
from ..render.pages import Page
from .kept_files import prune_kept, read_kept_json, write_kept

FOLDER = "sop-pages"
MAX_BYTES = 16_000_000  # compressed; a real page is tens of KB
MAX_INFLATED = 64_000_000  # inflated: zlib packs up to 1,000 to 1, so 16 MB read could be 16 GB
_KEPT = re.compile(r"[0-9a-f]{64}\.json\.z")
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
        data = read_kept_json(self.file(key), MAX_BYTES, MAX_INFLATED)
        return _page_of(data, entry) if data is not None else None

    def store(self, key: str, page: Page) -> None:
        """Written whole, never through a link (`kept_files.write_kept`)."""
        if not self.usable:
            return
        data = {"path": page.path, "content": page.content, "files": [list(f) for f in page.files]}
        write_kept(self.folder, self.file(key), json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def prune(self, keys: set[str]) -> None:
        """Keep one site's worth: the pages of `keys` (this build's; the render workers that load
        and store pages are other processes)."""
        if self.usable:
            prune_kept(self.folder, _KEPT, ".json.z", keys)


def _page_of(data: object, entry: SopEntry) -> Page | None:
    """The page, if `data` has the shape `store` writes and names only this SOP's page and files."""
    if not isinstance(data, dict) or set(data) != {"path", "content", "files"}:
        return None
    path, content, files = data["path"], data["content"], data["files"]
    allowed = {urls.sop_data_file(entry.id), urls.sop_changes_file(entry.id, entry.sop.version)}
    if path != entry.page_path or not isinstance(content, str) or not isinstance(files, list):
        return None
    changes = urls.sop_changes_file(entry.id, entry.sop.version)
    for file in files:
        if not (isinstance(file, list) and len(file) == 2 and file[0] in allowed):
            return None
        if not isinstance(file[1], str) or (file[0] == changes and not _changes_built_here(file[1])):
            return None
    return Page(path, content, tuple((name, text) for name, text in files))


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
