"""What the SOP page shows of its history: what changed in the current version, and the earlier ones.

Only the latest version's diff is on the page, so a page's size does not grow with its history;
the earlier versions are a line each (the newest `EARLIER_SHOWN`). What changed since each of
those earlier versions, for a learner who signed it, is in one file of changes per SOP
(`sop_data`), fetched by the read-and-sign box only when that learner opens the page.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import Environment
from markupsafe import Markup, escape

from ..domain import change_words, urls
from ..domain.history import SopHistory, Version
from ..domain.sop_diff import SopDiff
from ..models.sop import Sop
from ..text.data import to_json
from ..text.markdown import plain
from .flowchart import Changed

EARLIER_SHOWN = 20


@dataclass(frozen=True)
class HistoryView:
    current: Version
    previous: Version
    diff: SopDiff | None
    note: str | None  # why there is no diff to show, when there is none
    earlier: list[Version]  # the versions before the current one, newest first
    more: int  # earlier versions not listed


def history_view(history: SopHistory | None) -> HistoryView | None:
    """None when the SOP has no earlier version to compare with (or to list)."""
    if history is None or history.previous is None:
        return None
    found = history.diff(0)
    diff = found if isinstance(found, SopDiff) else None
    note = found if isinstance(found, str) else None
    earlier = history.versions[1:]
    shown, more = earlier[:EARLIER_SHOWN], len(earlier[EARLIER_SHOWN:])
    return HistoryView(history.versions[0], history.previous, diff, note, shown, more)


def changed_steps(view: HistoryView | None) -> Changed | None:
    """The steps the flowchart marks: those the current version added or changed (reworded,
    moved, sent elsewhere, or with branches added, removed or changed)."""
    if view is None or view.diff is None:
        return None
    steps = {s.step_id: s.kind for s in view.diff.steps if s.kind in ("added", "changed")}
    return Changed(view.current.version, steps) if steps else None


def diff_text(text: str) -> Markup:
    """A run of author text inside `<ins>`/`<del>`: escaped, its line breaks as `<br>` (a blank
    line would end the page's HTML block)."""
    return Markup(str(escape(text)).replace("\n", "<br>"))


HELPERS = {
    "change_summary": change_words.summary,
    "step_sentence": change_words.step_sentence,
    "branch_sentence": change_words.branch_sentence,
    "part_name": change_words.part_name,
    "diff_text": diff_text,
}
"""What the history templates call, handed to them with the page's context."""


class SinceFiles:
    """What each file of changes since an earlier version is made of (its HTML, and the one-line
    summary in the SOP's data file), kept between builds in the history's cache (`output`,
    `put_output`: `validation.history_cache.HistoryCache`) by the blob of the earlier version, the blob
    of the current one and a stamp of what renders them (the `_history.html.j2` in use and the
    code under it). A warm build copies these strings: it neither decodes nor renders a diff.
    A history without such a cache (not from git) renders every time."""

    TEMPLATE = "_history.html.j2"

    def __init__(self, env: Environment):
        self.stamp = render_stamp(env, self.TEMPLATE)
        self.new: list[tuple[str, list[str | None]]] = []  # rendered since `take_new`: (key, value)
        self._kept: dict[str, list[str | None] | None] = {}  # what `kept` found, by key

    def key(self, history: SopHistory, index: int) -> str | None:
        refs = history.refs(0 if index == 1 else -index)
        return f"{refs[0]}:{refs[1]}:{self.stamp}" if refs else None

    def kept(self, history: SopHistory, index: int) -> list[str | None] | None:
        """[summary, html] kept for the file since `versions[index]`, or None."""
        output = getattr(history.known, "output", None)
        key = self.key(history, index) if output else None
        if key is None:
            return None
        if key not in self._kept:
            found = output(key)
            ok = found is not None and len(found) == 2 and isinstance(found[1], str) and built_here(found[1])
            ok = ok and (found[0] is None or isinstance(found[0], str))
            self._kept[key] = found if ok else None
        return self._kept[key]

    def skip(self, history: SopHistory, key: int) -> bool:
        """For `prepare_diffs`: a diff since an earlier version (`key` < 0) no file needs."""
        return key < 0 and self.kept(history, -key) is not None

    def put(self, history: SopHistory, index: int, value: list[str | None]) -> None:
        key = self.key(history, index)
        if key and getattr(history.known, "put_output", None):
            self.new.append((key, value))

    def take_new(self) -> list[tuple[str, list[str | None]]]:
        """What was rendered since the last call (a forked worker hands it back to be kept)."""
        new, self.new = self.new, []
        return new


_DIFF_TAG = re.compile(
    r"</?(?:p|ul|li|a|ins|del|span|br)>"
    r'|<ul class="sopkb-change(?:s__list|__lines)">'
    r'|<li class="sopkb-change(?: sopkb-change--[a-z]+)?">'
    r'|<span class="(?:sopkb-change__part|sopkb-change__tag|md-visually-hidden)">'
    r'|<a href="#step-[a-z0-9-]+">'
)
"""Every tag `diff_list` (_history.html.j2) writes, with the only attribute values it writes."""


def built_here(html: str) -> bool:
    """Whether kept HTML is made only of the tags `diff_list` writes around escaped text. The cache
    sits in `.git/sopkb/`, which a CI job restores from its cache store: whoever can write that store
    must not be able to put a redirect, a form or a link to elsewhere on a learner's page. A kept
    file that fails (or one a KB's own template wrote differently) is simply rendered again."""
    rest = _DIFF_TAG.sub("", html)
    return "<" not in rest and ">" not in rest


def render_stamp(env: Environment, template: str) -> str:
    """What rendered output depends on besides the two blobs (which `code_stamp` in the cache's
    own stamp does not cover): the template's source as this environment finds it (a KB's own
    override included), the code that renders it, and the libraries that escape."""
    digest = hashlib.sha256()
    with contextlib.suppress(jinja2.TemplateNotFound):
        digest.update(env.loader.get_source(env, template)[0].encode("utf-8") if env.loader else b"")
    here = Path(__file__).parent
    for path in (
        Path(__file__),
        here / "environment.py",
        Path(change_words.__file__),
        here.parent / "text" / "markdown.py",
    ):
        with contextlib.suppress(OSError):
            digest.update(path.read_bytes())
    digest.update(f"{jinja2.__version__} {_version('markupsafe')}".encode())
    return digest.hexdigest()[:16]


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return ""


def sop_data(
    sop: Sop,
    history: SopHistory | None,
    diff_list: Callable[[SopDiff], str],
    since_files: SinceFiles | None = None,
) -> list[tuple[str, str]]:
    """The SOP's data file (its version, and for each of the newest `EARLIER_SHOWN` earlier
    versions a one-line summary of what changed since), and one file of changes holding, for each
    of those versions, the changes from it to the current version as HTML rendered here with author
    text escaped (`diff_list` is the `_history.html.j2` macro the page's section uses). One
    comparison per version, from it straight to the current one: not the chain of versions between.
    One file per SOP, not one per earlier version: a build writes (and a static host serves) a
    tenth of the files, for a learner who fetches it once when signing again. Its name carries the
    current version, so a browser's cache cannot pair it with another version's data file.
    `since_files`: what earlier builds rendered, used instead of a comparison when kept."""
    earlier = history.versions[1 : EARLIER_SHOWN + 1] if history else []
    changes_file = urls.sop_changes_file(sop.id, sop.version)
    entries: list[dict[str, Any]] = []
    since: list[dict[str, str]] = []
    for index, version in enumerate(earlier, start=1):
        summary, html = _since(history, index, diff_list, since_files) if history else (None, None)
        if html is not None:
            since.append({"from": version.version, "html": html})
        entries.append({
            "version": version.version,
            "date": version.date.isoformat() if version.date else None,
            "summary": summary,
            "diff": changes_file if html is not None else None,
        })  # fmt: skip
    data = {
        "id": sop.id,
        "title": plain(sop.title),
        "href": urls.sop_url(sop.id),
        "version": sop.version,
        "earlier": entries,
    }
    files = [(urls.sop_data_file(sop.id), to_json(data))]
    if since:
        files.append((changes_file, to_json({"sop": sop.id, "to": sop.version, "since": since})))
    return files


def _since(
    history: SopHistory, index: int, diff_list: Callable[[SopDiff], str], since_files: SinceFiles | None
) -> tuple[str | None, str | None]:
    """The one-line summary and the HTML of what changed since `versions[index]`: as an earlier
    build kept them, else compared and rendered now (and handed to `since_files` to keep)."""
    kept = since_files.kept(history, index) if since_files else None
    if kept is not None:
        return kept[0], kept[1]
    found = history.diff_since(index)
    if found is None:
        return None, None
    summary = change_words.summary(found) if isinstance(found, SopDiff) else None
    html = str(diff_list(found) if isinstance(found, SopDiff) else _not_compared(found))
    if since_files:
        since_files.put(history, index, [summary, html])
    return summary, html


def _not_compared(note: str) -> Markup:
    return Markup("<p>A step-by-step comparison is not available: {}.</p>").format(note)
