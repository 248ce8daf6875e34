"""axe-core on every built page, in both colour schemes: no serious or critical violation."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import open_watched

pytestmark = pytest.mark.browser
AXE = Axe()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_or_critical_violation_on_any_page(browser, site, scheme):
    w = open_watched(browser, site.url.rstrip("/"), color_scheme=scheme)
    failures = []
    pages = site.pages()
    assert len(pages) >= 20
    for path in pages:
        w.page.goto(site.url + path)
        for v in AXE.run(w.page).response["violations"]:
            if v["impact"] in ("serious", "critical"):
                failures.append(
                    f"{path}: {v['id']} ({v['impact']}) at {[n['target'] for n in v['nodes']][:3]}"
                )
    w.page.context.close()
    assert failures == []
    assert w.off_origin == []
