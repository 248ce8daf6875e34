"""Each generated page's HTML as MkDocs last wrote it, kept between builds, so a page whose
Markdown and site are unchanged is not converted and themed again: most of a rebuild's time, and
all of a save's in `sopkb serve`, went into MkDocs turning thousands of unchanged pages into HTML.

A page is kept by a key: its Markdown (as sopkb generated it, with every HTML block in it) and a
stamp of everything else its HTML is made from (`site_stamp`: mkdocs.yml, the navigation, the
theme's files, the versions of MkDocs, Material and the Markdown libraries, and sopkb's code that
finishes pages). A kept page is hard-linked into the new site (no copy; a copy where links are not
possible) and MkDocs' own dirty build skips it, as its output is already there and not older than
its source. The cache sits beside the site (`.site-page-cache/` for `site/`: `site_swap.Layout`),
written only by builds of that site; safe to delete, never to be shared or committed.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import importlib.util
import logging
import os
import re
import secrets
import shutil
import stat
import sys
import types
from collections.abc import Iterator, Mapping
from importlib import metadata
from pathlib import Path

from mkdocs import utils
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.theme import Theme

from .. import __version__
from ..core.folders import files_below, real_folders
from ..domain import reserved_names
from .kept_files import prune_kept

PAGES = "pages"


class _NotDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()  # the staging folder holds files written beside MkDocs: none stale
        return not message.startswith(("A 'dirty' build is being performed", "The directory contains stale"))


NOT_DIRTY_WARNING = _NotDirtyWarning()


@contextlib.contextmanager
def quiet_dirty_warning() -> Iterator[None]:
    """MkDocs warns that a dirty build may leave navigation stale; here the pages it skips are
    those whose navigation and theme are unchanged (`site_stamp`), so the warning is wrong, and a
    KB with `strict: true` would fail on it."""
    logger = logging.getLogger("mkdocs.commands.build")
    logger.addFilter(NOT_DIRTY_WARNING)
    try:
        yield
    finally:
        logger.removeFilter(NOT_DIRTY_WARNING)


class PageCache:
    """Kept pages in `folder/pages/<key[:2]>/<key>.html`; `used` is what this build placed or
    kept, so `prune` can drop the rest. `code`: `code_in_use` as the build loaded it; `stamp`:
    `site_stamp`, once MkDocs has the navigation."""

    def __init__(self, folder: Path, code: bytes):
        self.folder = folder
        self.code = code
        self.stamp = ""
        self.written_mode = written_mode()
        self._shards: dict[str, bool] = {}
        self.used: set[str] = set()
        self.usable = real_folders(folder, folder / PAGES)  # a link planted there: no cache at all

    def start(self, stamp: str) -> None:
        """A build's pages are placed by `stamp` (`site_stamp`); its shard folders checked anew."""
        self.stamp, self._shards = stamp, {}

    def key(self, path: str, markdown: bytes) -> str:
        """`markdown`: the digest of the page's Markdown (`html_blocks.markdown_digest`)."""
        digest = hashlib.sha256(self.stamp.encode())
        digest.update(b"\0" + path.encode("utf-8", "surrogateescape") + b"\0" + markdown)
        return digest.hexdigest()

    def file(self, key: str) -> Path:
        return self.folder / PAGES / key[:2] / f"{key}.html"

    def place(self, key: str, dest: Path) -> Path | None:
        """The kept page for `key` put at `dest` (its new site's place), and its kept file; None
        when nothing is kept for it (or it cannot be placed: then the page is built as usual)."""
        kept = self.file(key)
        try:
            if not (self.usable and self._real_shard(kept.parent)):
                return None
            found = os.lstat(kept)
            if not stat.S_ISREG(found.st_mode):
                return None  # never a link: the site would serve whatever it points at
            if found.st_mtime_ns % 1_000_000_000 != _mark(key):
                return None  # written since it was kept: through the site's name for it, in place
            if (found.st_uid, stat.S_IMODE(found.st_mode)) != (os.geteuid(), self.written_mode):
                return None  # its owner or mode changed through the site's name: not the next site's
            if has_acl(kept):
                return None  # an ACL set through the site's name, which the mode does not show
            try:  # one call for most pages (a new site's folder may be there already, or not)
                link_or_copy(kept, dest)
            except FileNotFoundError:
                dest.parent.mkdir(parents=True, exist_ok=True)
                link_or_copy(kept, dest)
            except FileExistsError:  # `serve`'s site: the last build's page
                if not os.path.samefile(kept, dest):
                    dest.unlink()
                    link_or_copy(kept, dest)
        except OSError:
            return None
        self.used.add(key)
        return kept

    def _real_shard(self, folder: Path) -> bool:
        """`real_folders`, once per shard and build (1,900 pages, 256 shards)."""
        found = self._shards.get(folder.name)
        if found is None:
            found = self._shards[folder.name] = real_folders(folder)
        return found

    def keep(self, key: str, written: Path) -> None:
        """Keep the page MkDocs wrote at `written`: linked, never copied over a kept file in place
        (a reader of the old one sees it whole)."""
        target = self.file(key)
        if not self.usable:
            return
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if not real_folders(self.folder, self.folder / PAGES, target.parent):
                return
            fresh = target.with_name(f".{secrets.token_hex(6)}.tmp")
            link_or_copy(written, fresh)
            # its time marked (`_mark`), and never made later: MkDocs would take a copy for stale
            made = os.lstat(fresh).st_mtime_ns
            at = made - (made - _mark(key)) % 1_000_000_000
            os.utime(fresh, ns=(at, at))
            os.replace(fresh, target)
        except OSError:
            return  # a full disk or a read-only KB: no cache, never a failed build
        self.used.add(key)

    def prune(self) -> None:
        """Drop kept pages this build did not use: the cache holds one site's worth. Only names this
        class writes are removed, in real folders: a link or a stranger's file there is left alone."""
        if self.usable and real_folders(self.folder):
            prune_kept(self.folder / PAGES, _KEPT, ".html", self.used)


_KEPT = re.compile(r"[0-9a-f]{64}\.html")


def _mark(key: str) -> int:
    """The fraction of a second (in whole microseconds, which every file system with sub-second
    times keeps) a kept page's time is set to: a file written after it was kept (in place, through
    the site's name for it) has another, and is not placed again. Where times are whole seconds,
    no page is placed: slower builds, never a wrong page."""
    return (int(key[:8], 16) % 999_999 + 1) * 1000  # never 0, the fraction of whole-second times


def has_acl(path: Path) -> bool:
    """A POSIX ACL on `path`, which its mode does not show."""
    if not hasattr(os, "getxattr"):
        return False
    try:
        os.getxattr(path, "system.posix_acl_access", follow_symlinks=False)
    except OSError as exc:
        return exc.errno not in (errno.ENODATA, errno.ENOTSUP, errno.EOPNOTSUPP)
    return True


def written_mode() -> int:
    """The mode MkDocs and Python give a file they write."""
    return 0o666 & ~_umask()


def _umask() -> int:
    """Read, not set and restored (`os.umask`), which another thread could see half done."""
    with contextlib.suppress(OSError, ValueError, StopIteration):
        status = Path("/proc/self/status").read_text().splitlines()
        return int(next(line for line in status if line.startswith("Umask:")).split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
        shutil.copyfile(source, target)


def site_stamp(config: MkDocsConfig, problems: str, code: bytes, files: bytes | None = None) -> str:
    """What a page's HTML depends on besides its Markdown (`problems`: the banner `serve` shows
    while a save has broken the sources; `code`: `code_in_use`). The configuration is stamped as
    loaded, not as its file reads now: what `!ENV`, `INHERIT:` and a save during the build gave this
    build is what its pages are made from. Installed packages are known by their versions; code and
    templates outside them (hooks, the KB's overrides, sopkb's theme) by their contents, as a copy
    that keeps a file's size and time (`cp -p`, `rsync -t`) must still change the stamp."""
    digest = hashlib.sha256(f"{__version__}\0{problems}\0".encode())
    plain = {key: value for key, value in config.items() if key not in _NOT_IN_PAGES}
    digest.update(repr(_plain(plain)).encode("utf-8", "surrogateescape"))
    for package in ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "markupsafe"):
        digest.update(f"{package}={_version(package)}\0".encode())
    digest.update(_code_digest())
    digest.update(code)
    digest.update(files if files is not None else files_stamp(config))
    if _untitled_generated(config.nav, Path(config.docs_dir)):
        digest.update(secrets.token_bytes(16))  # titles MkDocs reads from generated pages: none placed
    return digest.hexdigest()


def files_stamp(config: MkDocsConfig) -> bytes:
    """The files outside the configuration the pages are made from: the theme's templates, the
    hand-written pages that title the navigation, the files `pymdownx.snippets` appends to every
    page. Asked again once the pages are written: one saved meanwhile keeps none of them."""
    digest = hashlib.sha256()
    installed = _installed_themes()
    dated = config.theme.name in _DATED_THEMES
    for folder in config.theme.dirs:
        found, dated_here = _folder_digest(Path(folder), installed, every_file=True)
        digest.update(found)
        dated = dated or dated_here
    # hand-written pages title the navigation: their Markdown counts, other files only by name
    digest.update(_folder_digest(Path(config.docs_dir), installed, every_file=False)[0])
    for path in _appended_snippets(config):
        digest.update(_file_digest(path))
    if dated:  # a template shows the build's time (MkDocs' `build_date_utc`): no page is the same twice
        digest.update(utils.get_build_datetime().isoformat().encode())
    return digest.digest()


_DATED_THEMES = {"mkdocs", "readthedocs"}  # MkDocs' own themes print `build_date_utc` on every page


def repeatable(config: MkDocsConfig) -> bool:
    """Whether the stamp can be the same twice: not with untitled generated pages in the
    navigation, nor with one of MkDocs' dated themes."""
    return not (_untitled_generated(config.nav, Path(config.docs_dir)) or config.theme.name in _DATED_THEMES)


def _untitled_generated(nav: object, docs_dir: Path) -> bool:
    """A navigation entry with no title, naming a page sopkb generates: MkDocs titles it by reading
    the page, which a placed page never is, so the titles other pages show could be an old build's."""
    if isinstance(nav, str):
        return nav.lower().endswith(tuple(_MARKDOWN)) and not (docs_dir / nav).is_file()
    if isinstance(nav, dict):
        return any(_untitled_generated(item, docs_dir) for item in nav.values() if not isinstance(item, str))
    if isinstance(nav, list):
        return any(_untitled_generated(item, docs_dir) for item in nav)
    return False


def _appended_snippets(config: MkDocsConfig) -> list[Path]:
    options = config.mdx_configs.get("pymdownx.snippets") or {}
    appended = options.get("auto_append") or []
    bases = options.get("base_path", ["."])
    bases = [bases] if isinstance(bases, str) else bases
    return [Path(base) / name for name in appended for base in bases if isinstance(name, str)]


# where this build writes, how `serve` listens, what it watches, how strict it is: not in any page
_NOT_IN_PAGES = frozenset({"site_dir", "dev_addr", "watch", "remote_branch", "remote_name", "strict"})


def _plain(value: object, depth: int = 0) -> object:
    """`value` as plain data whose repr is the same in every process (an object's default repr
    holds its address, which would make every stamp new)."""
    if depth > 40:
        return "..."
    if value is None or isinstance(value, (str, int, float, bool, bytes)):
        return value
    if isinstance(value, types.ModuleType):  # a hook: its code is stamped by `_code_in_use`
        return f"module {value.__name__}"
    if isinstance(value, (BasePlugin, Theme)):
        inner = value.config if isinstance(value, BasePlugin) else {**value, "dirs": value.dirs}
        return (type(value).__qualname__, _plain(inner, depth + 1))
    if isinstance(value, Mapping):
        return [(str(key), _plain(item, depth + 1)) for key, item in value.items()]
    if isinstance(value, (set, frozenset)):
        return sorted(repr(_plain(item, depth + 1)) for item in value)
    if isinstance(value, (list, tuple)):
        return [_plain(item, depth + 1) for item in value]
    if type(value).__repr__ is not object.__repr__:
        return repr(value)
    return (type(value).__qualname__, _plain(getattr(value, "__dict__", {}), depth + 1))


def code_in_use(config: MkDocsConfig) -> bytes:
    """The files of the plugins, hooks and Markdown extensions this site loads, read as soon as
    MkDocs has loaded them (an installed one's version may not change while it is edited in place;
    and the pages must be stamped with the code that made them, not a later save of it)."""
    modules = [sys.modules.get(type(plugin).__module__) for plugin in config.plugins.values()]
    modules += [hook for hook in config.plugins.values() if isinstance(hook, types.ModuleType)]
    files = [Path(module.__file__) for module in modules if getattr(module, "__file__", None)]
    files += _modules_below(Path(config.config_file_path).parent)  # what a hook imports beside it
    for name in config.markdown_extensions:
        if isinstance(name, str) and "." in name:
            with contextlib.suppress(Exception):  # a name Markdown cannot load is reported by MkDocs
                spec = importlib.util.find_spec(name.partition(":")[0])
                if spec is not None and spec.origin and spec.has_location:
                    files.append(Path(spec.origin))
    return b"".join(_file_digest(path) for path in sorted(set(files)))


def _modules_below(root: Path) -> list[Path]:
    """The files of the modules loaded from the KB's folder (not from a virtualenv inside it)."""
    try:
        root = root.resolve()
    except OSError:
        return []
    found = []
    for module in list(sys.modules.values()):
        name = getattr(module, "__file__", None)
        if not isinstance(name, str) or not name.endswith(".py"):
            continue
        path = Path(name)
        if path.is_relative_to(root) and not {"site-packages", "dist-packages"} & set(path.parts):
            found.append(path)
    return found


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return ""


def _code_digest() -> bytes:
    """sopkb's code that finishes a page after its Markdown (an edited checkout is never fooled)."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for path in (here / "mkdocs_plugin.py", here / "html_blocks.py", here.parent / "core" / "csp.py"):
        digest.update(_file_digest(path))
    return digest.digest()


def _file_digest(path: Path) -> bytes:
    digest = hashlib.sha256(str(path).encode("utf-8", "surrogateescape"))
    with contextlib.suppress(OSError):
        digest.update(b"\0" + path.read_bytes())
    return digest.digest()


def _installed_themes() -> tuple[Path, ...]:
    """Material's and MkDocs' own template folders: their versions are in the stamp already."""
    import material  # noqa: PLC0415 - installed with sopkb
    import mkdocs  # noqa: PLC0415

    return tuple(Path(package.__file__).parent.resolve() for package in (material, mkdocs))


def _folder_digest(folder: Path, installed: tuple[Path, ...], *, every_file: bool) -> tuple[bytes, bool]:
    """(the digest, whether a file in it names `build_date_utc`). Folders reached through links
    count, as MkDocs and Jinja follow them."""
    digest = hashlib.sha256(str(folder).encode("utf-8", "surrogateescape"))
    with contextlib.suppress(OSError):
        if any(folder.resolve().is_relative_to(package) for package in installed):
            return digest.digest(), False
    dated = False
    for path in files_below(folder):
        digest.update(str(path.relative_to(folder)).encode("utf-8", "surrogateescape") + b"\0")
        if every_file or path.suffix.lower() in _MARKDOWN:
            try:
                data = path.read_bytes()
            except OSError:
                data = b"unreadable"
            digest.update(hashlib.sha256(data).digest())
            dated = dated or b"build_date_utc" in data
        else:
            with contextlib.suppress(OSError):
                digest.update(f"{path.stat().st_size}\0".encode())
    return digest.digest(), dated


_MARKDOWN = reserved_names.MARKDOWN_SUFFIXES
