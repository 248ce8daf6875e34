"""axe-core on every built page, in both colour schemes: no serious or critical violation."""

from __future__ import annotations

import pytest

from .conftest import axe_violations, open_watched

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_or_critical_violation_on_any_page(browser, site, scheme):
    w = open_watched(browser, site.url.rstrip("/"), color_scheme=scheme)
    failures = []
    pages = site.pages()
    assert len(pages) >= 20
    for path in pages:
        w.page.goto(site.url + path)
        for v in axe_violations(w.page):
            if v["impact"] in ("serious", "critical"):
                failures.append(
                    f"{path}: {v['id']} ({v['impact']}) at {[n['target'] for n in v['nodes']][:3]}"
                )
    w.page.context.close()
    assert failures == []
    assert w.off_origin == []
