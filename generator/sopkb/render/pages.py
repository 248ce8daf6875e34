"""The site's generated pages as (path, Markdown) pairs; MkDocs turns them into HTML.

Author text is rendered to HTML here (render.markdown) and embedded as HTML blocks, so
Python-Markdown only ever sees fixed headings and our own markup.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment

from ..core.by_identity import KeptBy
from ..core.parallel import map_in_processes
from ..domain import urls
from ..domain.history import keep_diffs, read_earlier
from ..domain.knowledge_base import KnowledgeBase, SopEntry
from ..domain.labels import item_labels
from ..domain.quiz_identity import fingerprint
from ..domain.sop_diff import SopDiff
from ..domain.urls import LISTING_PAGE_SIZE
from .environment import sop_links, theme_safe
from .flowchart import layout
from .guided import guided_data
from .history import EARLIER_SHOWN, SinceFiles, changed_steps, history_view, sop_data
from .history import HELPERS as HISTORY_HELPERS
from .learning import learning_path_info, shown_with
from .quiz import question_view, quiz_data, shuffled
from .review import REVIEW_SHOWN, review_sections
from .whats_new import changes


@dataclass(frozen=True)
class Page:
    path: str
    content: str
    files: tuple[tuple[str, str], ...] = ()  # data files that go with it: (path under the site root, text)


def root_of(path: str) -> str:
    """Relative prefix from a generated page back to the site root (directory URLs)."""
    parts = path[: -len(".md")].split("/")
    depth = len(parts) - (1 if parts[-1] == "index" else 0)
    return "../" * depth


def render_site(
    kb: KnowledgeBase,
    env: Environment,
    site_name: str = "SOP knowledge base",
    today: dt.date | None = None,
    jobs: int = 1,
    since_files: SinceFiles | None = None,
    keep: Callable[[Page], Page] | None = None,
    progress: Callable[[int], None] | None = None,
    reuse: Callable[[SopEntry], Page | None] | None = None,
    remember: Callable[[SopEntry, Page], None] | None = None,
    memo: KeptBy | None = None,
) -> list[Page]:
    """`jobs` > 1 renders SOP pages in that many forked processes (see `parallel.py`).
    `since_files`: the files of changes kept from earlier builds (else found here).
    `keep`: what to keep of each page, applied as soon as it is rendered (in the worker that
    rendered it), so the whole site's Markdown is never in memory at once.
    `progress(n)`: how many SOP pages are rendered so far; `reuse(entry)`: the SOP's page as an
    earlier render made it, when nothing it is made of has changed, else None; `remember(entry,
    page)`: each SOP page rendered anew, before `keep` (called in the worker that rendered it).
    `memo` (`sopkb serve`): listing pages kept by the SOPs and quizzes they show (see `page` below)."""
    common = _template_context(kb, today or dt.date.today(), site_name)
    keep = keep or (lambda page: page)

    def page(path: str, template: str, *, shows: tuple | None = None, **context: Any) -> Page:
        """A page whose template reads its plain values (names, numbers) and, of the KB, only the
        objects in `shows`: while those are the same objects, it is the same page (`memo`)."""

        def make() -> Page:
            text = env.get_template(template).render(root=root_of(path), **common, **context)
            return keep(Page(path, text))

        if memo is None or shows is None:
            return make()
        plain = tuple(sorted((k, v) for k, v in context.items() if isinstance(v, str | int | bool)))
        return memo.get((path, template, plain), shows, make)

    pages = _index_pages(kb, page, common["today"]) + _quiz_pages(kb, page) + _learning_pages(kb, page)
    other_sops = _SopAddresses(kb)
    since_files = since_files or SinceFiles(env)
    for history in kb.history.values():  # asked here, so the cache counts them used (not the workers)
        for index in range(1, min(EARLIER_SHOWN + 1, len(history.versions))):
            since_files.kept(history, index)
    # in one batch, before the workers fork: the versions no kept file of changes stands for
    read_earlier(kb.history.values(), EARLIER_SHOWN, skip=since_files.skip)

    @functools.cache
    def history_module() -> Any:  # compiled only when a page is rendered anew (a rebuild may render none)
        return env.get_template("_history.html.j2").make_module(HISTORY_HELPERS)

    def diff_list(diff: SopDiff) -> str:
        return history_module().diff_list(diff)

    def sop_page(entry: SopEntry) -> tuple[Page, SopDiff | str | None, list]:
        """The page, its diff and the files of changes rendered anew: forked workers hand them
        back, so What's new reads no diff twice, and the next build renders none again."""
        history = kb.history.get(entry.id)
        view = history_view(history)
        kept = reuse(entry) if reuse else None
        if kept is not None:
            return kept, (view.diff or view.note) if view else None, []
        markdown = _sop_markdown(kb, env, common, entry, view, other_sops)
        files = tuple(sop_data(entry.sop, history, diff_list, since_files))
        diff = (view.diff or view.note) if view else None
        rendered = Page(entry.page_path, markdown, files)
        if remember:
            remember(entry, rendered)
        return keep(rendered), diff, since_files.take_new()

    done = map_in_processes(sop_page, kb.sops, jobs, progress)
    _remember_what_workers_found(kb, done)
    keep_diffs(kb.history.values())
    return pages + [p for p, _, _ in done] + _whats_new_pages(kb, page)


class _SopAddresses(Mapping):
    """Each SOP's address (from an SOP page) and title, by id, for the flowchart's hand-offs:
    worked out when a page asks, since a save renders one page or two of thousands."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._by_id = kb.by_id

    def __getitem__(self, sop_id: str) -> tuple[str, str]:
        entry = self._by_id[sop_id]
        return root_of(entry.page_path) + urls.sop_url(entry.id), entry.sop.title

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_id)

    def __len__(self) -> int:
        return len(self._by_id)


def _sop_markdown(
    kb: KnowledgeBase,
    env: Environment,
    common: dict[str, Any],
    entry: SopEntry,
    view: Any,
    other_sops: Mapping[str, tuple[str, str]],
) -> str:
    """An SOP's page: `view` is its history as the page shows it; `other_sops`, by id, the address
    (from this page) and title of every SOP, for the flowchart's hand-offs."""
    drill = kb.drill_for.get(entry.id)
    return env.get_template("sop.md.j2").render(
        root=root_of(entry.page_path),
        **common,
        entry=entry,
        sop=entry.sop,
        chart=layout(entry.sop, entry.flow, other_sops, changed_steps(view)),
        step_by_id={s.id: s for s in entry.sop.all_steps()},
        step_number=entry.sop.step_numbers(),
        drill=drill,
        guided=guided_data(entry, kb, sop_links(root_of(entry.page_path))),
        drill_data=quiz_data(drill, kb, "") if drill else None,
        drill_labels=item_labels(kb, entry.id),
        shuffled=shuffled,
        history=view,
        **HISTORY_HELPERS,
    )


def _template_context(kb: KnowledgeBase, today: dt.date, site_name: str) -> dict[str, Any]:
    """What every template may use, the same for every page."""
    return {
        "kb": kb,
        "today": today,
        "key_steps": key_steps,
        "urls": urls,
        "sop_href": urls.sop_url,  # the name templates written before `urls` use
        "site_name": site_name,
        "fingerprint": fingerprint,
        "question_view": question_view,
    }


def _index_pages(kb: KnowledgeBase, page: Any, today: dt.date) -> list[Page]:
    """The pages that lead to SOPs: home, review (and each of its sections' whole lists), tags, and
    each category's and tag's listing."""
    sections = review_sections(kb, today)
    pages = [
        page(urls.HOME, "home.md.j2"),
        page(urls.REVIEW, "review.md.j2", sections=sections, shown=REVIEW_SHOWN),
        page(urls.TAG_INDEX, "tags.md.j2"),
    ]
    for slug, title, entries in sections:
        section_page = lambda _, n, slug=slug: urls.review_list_page(slug, n)  # noqa: E731
        pages += _listing(page, section_page, title, "Needs review", entries)
    for name, entries in kb.categories.items():
        pages += _listing(page, urls.category_page, name, "Category", entries)
    for name, entries in kb.tags.items():
        pages += _listing(page, urls.tag_page, name, "Tag", entries)
    return pages


def _remember_what_workers_found(
    kb: KnowledgeBase, done: list[tuple[Page, SopDiff | str | None, list]]
) -> None:
    """A forked worker's diffs and rendered files of changes die with it unless handed back: kept
    here, What's new reads no diff twice and the next build renders none again."""
    for entry, (_, diff, new) in zip(kb.sops, done, strict=True):
        history = kb.history.get(entry.id)
        if diff is not None and history:
            history.remember(0, diff)
        for key, value in new:
            if history and history.known:
                history.known.put_output(key, value)  # type: ignore[attr-defined]


def _quiz_pages(kb: KnowledgeBase, page: Any) -> list[Page]:
    out = []
    for entry in kb.quizzes:
        if entry.page_path is None:
            continue  # drills are rendered on their SOP's page
        sop = kb.by_id[entry.quiz.sop].sop
        data = quiz_data(entry, kb, root_of(entry.page_path) + urls.sop_url(sop.id))
        out.append(
            page(
                entry.page_path,
                "quiz.md.j2",
                entry=entry,
                quiz=entry.quiz,
                sop=sop,
                data=data,
                labels=item_labels(kb, sop.id),
                shuffled=shuffled,
            )
        )
    chunks = pages_of(kb.quizzes)
    for number, chunk in enumerate(chunks, start=1):
        path = urls.quiz_listing_page(number)
        shows = tuple(x for q in chunk for x in shown_with(kb, q))
        out.append(
            page(
                path, "quizzes.md.j2", shows=shows, entries=chunk, number=number, pages=len(chunks),
                total=len(kb.quizzes),
            )
        )  # fmt: skip
    return out


def _learning_pages(kb: KnowledgeBase, page: Any) -> list[Page]:
    """Paths, and the pages whose content the learner's browser fills in (progress, assignments)."""
    paths = [learning_path_info(kb, entry) for entry in kb.learning_paths]
    browser_urls = urls.browser_urls()
    out = [
        page(e.page_path, "path.md.j2", learning_path=e.learning_path, data=d)
        for e, d in zip(kb.learning_paths, paths, strict=True)
    ]
    return out + [
        page(urls.LEARNING_PATH_INDEX, "paths.md.j2", paths=paths),
        page(urls.MY_LEARNING, "learning.md.j2", paths=paths, browser_urls=browser_urls),
        page(urls.ASSIGN, "assign.md.j2", browser_urls=browser_urls),
        page(urls.ASSIGNMENT, "assignment.md.j2", browser_urls=browser_urls),
        page(urls.CERTIFICATE, "certificate.md.j2", browser_urls=browser_urls),
    ]


def _listing(
    page: Any, page_of: Callable[[str, int], str], name: str, kind: str, entries: list[SopEntry]
) -> list[Page]:
    """Listings are paginated so no page grows with the size of the KB."""
    chunks = pages_of(entries)
    return [
        page(
            page_of(name, number),
            "listing.md.j2",
            shows=tuple(entry.sop for entry in chunk),
            name=name,
            kind=kind,
            entries=chunk,
            number=number,
            pages=len(chunks),
            total=len(entries),
            page_url=lambda n: urls.url_of(page_of(name, n)),
        )
        for number, chunk in enumerate(chunks, start=1)
    ]


def _whats_new_pages(kb: KnowledgeBase, page: Any) -> list[Page]:
    found = changes(kb)
    chunks = pages_of(found)
    return [
        page(
            urls.whats_new_page(number),
            "whats-new.md.j2",
            entries=chunk,
            number=number,
            pages=len(chunks),
            total=len(found),
        )
        for number, chunk in enumerate(chunks, start=1)
    ]


def pages_of(items: list, size: int = LISTING_PAGE_SIZE) -> list[list]:
    """A long list in pages of `size` (one empty page for an empty list): every listing's pages."""
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def navigation(kb: KnowledgeBase) -> list[Any]:
    """Nav lists categories, never individual SOPs: every page's size stays flat as the KB grows."""
    categories = [{theme_safe(name): urls.category_page(name)} for name in kb.categories]
    return [
        {"Home": urls.HOME},
        {"What’s new": urls.WHATS_NEW},
        {"Categories": categories},
        {"Quizzes": urls.QUIZ_INDEX},
        {
            "Learning": [
                {"My learning": urls.MY_LEARNING},
                {"Learning paths": urls.LEARNING_PATH_INDEX},
                {"Assign work": urls.ASSIGN},
            ]
        },
        {"Tags": urls.TAG_INDEX},
        {"Needs review": urls.REVIEW},
    ]


def key_steps(entry: SopEntry) -> list:
    steps = entry.sop.all_steps()
    marked = [s for s in steps if s.key]
    return marked or steps[:6]
