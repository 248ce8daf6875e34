"""What's new: every version change across the KB, newest first, as listing pages and an Atom feed.

An entry is one version of an SOP that has a version before it (an SOP's first version is no
change; `sopkb changes --since` lists those). Its line in short is the one the SOP's page shows:
for an SOP's current version, its diff in words (`change_words.summary`), which the page computes
anyway (the render workers hand their diffs back: see `pages.render_site`); for earlier versions,
the words recorded for them (the `changes:` summary, else the commit's subject). Diffing every
earlier version would read and model every old state of every SOP at each build, the cost
`bench/history_bench.py` keeps down; `sopkb changes` words them all.

The feed holds the first page's entries (the newest `LISTING_PAGE_SIZE`). Its ids are
`urn:uuid:` names derived from `site_url` (or, without one, the site's name), the SOP's id and the
version, so they stay the same from build to build. Its links are absolute when `site_url` is set;
without it they are relative references, which Atom allows (RFC 4287 section 2): with no
`xml:base` they resolve against the feed's own address (RFC 3986 section 5.1.3), the site's root,
as they are written.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ..domain import urls
from ..domain.change_words import summary as change_summary
from ..domain.history import SopHistory, version_key
from ..domain.knowledge_base import KnowledgeBase
from ..domain.sop_diff import SopDiff
from ..models.sop import UNKNOWN
from ..text.markdown import plain

ATOM = "http://www.w3.org/2005/Atom"
FEED_TYPE = "application/atom+xml"


@dataclass(frozen=True)
class Change:
    """One version of one SOP, as What's new lists it."""

    sop_id: str
    title: str  # the SOP's title now (author text)
    owner: str | None  # None: not known
    version: str
    previous: str
    date: dt.date | None  # None: not committed yet, and no `changes:` date
    summary: str | None  # the diff in words (the current version only)
    words: str | None  # what was recorded for it (Markdown): `changes:`, else the commit's subject
    note: str | None = None  # why the current version could not be compared, when it could not


def changes(kb: KnowledgeBase) -> list[Change]:
    """Newest first: not committed yet first of all, then by date, SOP title, and version."""
    found = [c for entry in kb.sops if (h := kb.history.get(entry.id)) for c in _of(h, entry.id)]
    found.sort(key=lambda c: version_key(c.version) or (), reverse=True)
    found.sort(key=lambda c: c.title.casefold())
    found.sort(key=lambda c: c.date or dt.date.max, reverse=True)
    return found


def _of(history: SopHistory, sop_id: str) -> list[Change]:
    sop = history.current
    owner = sop.owner if sop.owner != UNKNOWN else None
    out = []
    for index, version in enumerate(history.versions[:-1]):
        diff = history.diff(0) if index == 0 else None
        out.append(
            Change(
                sop_id,
                sop.title,
                owner,
                version.version,
                history.versions[index + 1].version,
                version.date,
                change_summary(diff) if isinstance(diff, SopDiff) else None,
                version.summary,
                diff if isinstance(diff, str) else None,
            )
        )
    return out


# The feed --------------------------------------------------------------------------------------

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: str) -> str:
    """Text XML 1.0 can hold: control characters (an author's escape sequence) become U+FFFD.
    Markup characters are escaped by the serialiser."""
    return _NOT_XML.sub("\ufffd", value)


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def feed_xml(entries: list[Change], *, site_name: str, site_url: str | None, today: dt.date) -> str:
    """The Atom 1.0 feed of `entries` (the newest first). `today` dates what has no date yet."""
    base = site_url or ""
    identity = site_url or f"sopkb:{site_name}"
    feed = ET.Element("feed", xmlns=ATOM)  # its elements are Atom's: the default namespace
    _add(feed, "id", _urn(identity, urls.FEED))
    _add(feed, "title", f"What’s new in {site_name}")
    _add(feed, "subtitle", "Every change to an SOP’s version, newest first.")
    newest = max((c.date or today for c in entries), default=today)
    _add(feed, "updated", _stamp(newest))
    _add(_add(feed, "author"), "name", site_name)
    _link(feed, "alternate", base + urls.WHATS_NEW_URL, "text/html")
    _link(feed, "self", base + urls.FEED, FEED_TYPE)
    _add(feed, "generator", "sopkb")
    for change in entries:
        entry = _add(feed, "entry")
        _add(entry, "id", _urn(identity, f"{urls.sop_url(change.sop_id)}#version-{change.version}"))
        _add(entry, "title", f"{plain(change.title)}: version {change.version} (from {change.previous})")
        _add(entry, "updated", _stamp(change.date or today))
        if change.owner:
            _add(_add(entry, "author"), "name", plain(change.owner))
        _link(entry, "alternate", base + urls.sop_changes_url(change.sop_id), "text/html")
        _add(entry, "summary", entry_summary(change))
    ET.indent(feed)
    body = ET.tostring(feed, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n{body}\n'


def entry_summary(change: Change) -> str:
    """The change in short, then the words recorded for it, as plain text."""
    said = [s for s in (change.summary, plain(change.words) if change.words else None) if s]
    if not said and change.note:
        said.append(f"A step-by-step comparison is not available: {change.note}")
    return ". ".join(s.rstrip(".") for s in said) + "." if said else "See what changed."


def _urn(identity: str, path: str) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, identity + path)}"


def _add(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, name)
    if text is not None:
        element.text = _text(text)
    return element


def _link(parent: ET.Element, rel: str, href: str, kind: str) -> None:
    ET.SubElement(parent, "link", rel=rel, type=kind, href=_text(href))
