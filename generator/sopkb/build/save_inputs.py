"""What each SOP page is made from, as one key, so `sopkb serve` renders again only the pages a
save changed: at 1,000 SOPs, rendering every page again was two thirds of each save's wait.

An SOP page shows its own source, the titles and steps of the SOPs it links to and of those that
link to it, its drill and the quizzes about it, its history, and the KB's settings and templates.
Its key covers exactly those: the bytes of its source and of its neighbours' sources, its history's
versions, and one digest of everything that is not an SOP (quizzes, learning paths, synonyms, the
KB's templates, mkdocs.yml, today's date). Keys are made of file contents, not times, so two saves
within one tick of a coarse clock are still told apart.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path

from ..core.by_identity import KeptBy
from ..core.folders import files_below
from ..domain.history import SopHistory
from ..domain.knowledge_base import KnowledgeBase, SopEntry
from ..domain.project import Project
from ..render.pages import Page
from .html_blocks import LiftedPage, lift_page, placed_page
from .render_cache import RenderCache, code_stamp


def rest_key(project: Project, config_file: Path, read: Mapping[str, str] | None = None) -> bytes:
    """Everything that is not an SOP: quizzes, learning paths, synonyms, the KB's templates,
    mkdocs.yml, today's date. `read`: each source's digest as the build read it (`SourceCache.read`),
    so a quiz saved after it was read, before this, is not taken for the one the pages show."""
    return _rest(project, config_file, read or {})


def page_keys(
    kb: KnowledgeBase,
    project: Project,
    config_file: Path,
    stamp: str = "",
    rest: bytes | None = None,
    memo: KeptBy | None = None,
) -> dict[str, str]:
    """SOP id → the key of everything its page is made from; `stamp`: of the code and templates
    that render it (`render_cache.code_stamp`); `rest`: `rest_key`'s, made here when not given.
    `memo` (`sopkb serve`): a key kept while its SOP's entry, its neighbours' and its history are
    the very objects it was made from (each is the same object while its source is unchanged),
    and `rest` is the same."""
    rest = rest if rest is not None else _rest(project, config_file, {})
    rest = hashlib.sha256(stamp.encode() + rest).digest()
    own: dict[str, bytes] = {}

    def own_of(entry: SopEntry | None) -> bytes:
        if entry is None:
            return b"missing"
        if entry.id not in own:
            own[entry.id] = _own(entry)
        return own[entry.id]

    def key(entry: SopEntry, neighbours: list[str], history: SopHistory | None) -> str:
        digest = hashlib.sha256(rest + own_of(entry))
        for other in neighbours:
            digest.update(other.encode("utf-8", "surrogateescape") + own_of(kb.by_id.get(other)))
        if history is not None:
            versions = [(v.version, str(v.date), v.summary, v.commit, v.content) for v in history.versions]
            digest.update(repr((versions, history.current_ref)).encode("utf-8", "surrogateescape"))
        return digest.hexdigest()

    if memo is not None:
        memo.start(rest)
    keys = {}
    for entry in kb.sops:
        neighbours = sorted(_neighbours(kb, entry))
        history = kb.history.get(entry.id)
        if memo is None:
            keys[entry.id] = key(entry, neighbours, history)
        else:
            shows = (entry, history, *neighbours, *(kb.by_id.get(other) for other in neighbours))
            keys[entry.id] = memo.get(entry.id, shows, lambda e=entry, n=neighbours, h=history: key(e, n, h))
    if memo is not None:
        memo.finish()
    return keys


def _own(entry: SopEntry) -> bytes:
    """The bytes the SOP was read from, by git's id of them (known from reading: no second read
    that could see a later save than the page shows)."""
    return entry.blob.encode() if entry.blob else _digest(entry.source)


def _neighbours(kb: KnowledgeBase, entry: SopEntry) -> set[str]:
    """The SOPs whose titles or steps the page shows: those it links to or calls, and those
    linking to it."""
    linking = {other.id for other in kb.linked_from.get(entry.id, [])}
    return (entry.links_to | entry.calls_to | linking) - {entry.id}


def _rest(project: Project, config_file: Path, read: Mapping[str, str]) -> bytes:
    digest = hashlib.sha256(dt.date.today().isoformat().encode())
    for path in (config_file, project.synonyms_file):
        digest.update(_digest(path, read.get(project.display(path))))
    for folder in (project.quizzes_dir, project.paths_dir, project.templates_dir):
        for path in files_below(folder):  # through links, as the loader and Jinja read them
            known = read.get(project.display(path))
            digest.update(str(path).encode("utf-8", "surrogateescape") + _digest(path, known))
    return digest.digest()


def _digest(path: Path, known: str | None = None) -> bytes:
    if known is not None:
        return known.encode()
    try:
        return hashlib.sha1(path.read_bytes(), usedforsecurity=False).digest()
    except OSError:
        return b"unreadable"


def kept_pages(
    kb: KnowledgeBase,
    project: Project,
    config_file: Path,
    *,
    last: dict[str, tuple[str, LiftedPage]] | None = None,
    folder: Path | None = None,
    rest: bytes | None = None,
    placer: Callable[[Page, bytes], bool] | None = None,
    key_memo: KeptBy | None = None,
):  # noqa: ANN201
    """(keys, reuse, remember) for `docs_tree.plan`: each SOP page's key, how to find its page as
    an earlier build made it from the same inputs, and how to keep the pages rendered anew. `last`:
    the pages of the last save by SOP id, with their keys (`sopkb serve`, in memory); `folder`: the
    build's cache folder, holding the render cache (`sopkb build`); `rest`: `rest_key`'s;
    `placer(page, digest)`: puts a kept page's finished HTML in the site, if it has it (`sopkb
    build`, in the render workers): such a page is neither lifted nor packed, only its files kept.
    `key_memo`: `page_keys`' memo (`sopkb serve`)."""
    keys = page_keys(kb, project, config_file, code_stamp(), rest, key_memo)
    if last is not None:

        def unchanged(entry: SopEntry) -> LiftedPage | None:
            found = last.get(entry.id)
            return found[1] if found is not None and found[0] == keys[entry.id] else None

        return keys, unchanged, None
    cache = RenderCache(folder)

    def kept(entry: SopEntry) -> LiftedPage | None:  # in the render workers
        key = keys[entry.id]
        if placer is not None:  # its HTML placed: its Markdown is neither inflated nor read
            head = cache.load_head(key, entry)
            if head is None:
                return None
            found = Page(entry.page_path, "", head.files)
            if placer(found, head.digest):
                return placed_page(found, head.digest)
        page = cache.load(key, entry)
        return lift_page(page) if page is not None else None

    return keys, kept, lambda entry, page: cache.store(keys[entry.id], page)
