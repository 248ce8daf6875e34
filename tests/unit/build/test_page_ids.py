"""Every id on every built page is unique: a link or `aria-labelledby` to a repeated id is ambiguous
(the review list once repeated its heading's `review-points`)."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser

import pytest
from sopkb.build.site_build import build_site

from tests.conftest import FIXTURES


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(value for name, value in attrs if name == "id" and value is not None)


def repeated_ids(html: str) -> list[str]:
    parser = _Ids()
    parser.feed(html)
    return sorted(i for i, n in parser.ids.items() if n > 1)


def test_the_check_finds_a_repeated_id():
    assert repeated_ids('<h2 id="review-points">R</h2><div id="review-points"></div><p id="x"></p>') == [
        "review-points"
    ]


@pytest.mark.parametrize("kb", ["kb-small", "kb-content"])
def test_ids_are_unique_on_every_page(kb, tmp_path):
    """kb-content has review points and an SOP whose id is a section name ("documentation")."""
    site = tmp_path / "site"
    build_site(FIXTURES / kb, site)
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    repeated = {str(p.relative_to(site)): repeated_ids(p.read_text(encoding="utf-8")) for p in pages}
    assert {page: ids for page, ids in repeated.items() if ids} == {}
