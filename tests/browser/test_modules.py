"""Each page loads the script modules of the components it holds, and no others (assets/sopkb/sopkb.js)."""

from __future__ import annotations

import pytest

from .conftest import Watched

pytestmark = pytest.mark.browser
ASSETS = "/assets/sopkb/"
ASSIGNMENT_MODULES = {"assign.js", "assignment.js", "certificate.js", "my-learning.js", "assignment-items.js"}


def record_modules(w: Watched) -> list[str]:
    """The sopkb modules the page requests from now on, by their path under assets/sopkb/, in order."""
    fetched: list[str] = []

    def on_request(request) -> None:  # noqa: ANN001
        path = request.url.split("?")[0]
        if ASSETS in path and path.endswith(".js"):
            fetched.append(path.split(ASSETS, 1)[1])

    w.page.on("request", on_request)
    return fetched


def test_an_sop_page_loads_its_components_and_not_the_trainers(watched, site):
    fetched = record_modules(watched)
    page = watched.page
    page.goto(f"{site.url}sops/lost-or-stolen-package/")
    page.locator("[data-signoff] [data-signoff-status][tabindex]").wait_for(state="attached")
    assert {"sopkb.js", "core.js", "signoff.js", "guided.js", "page-tools.js", "search.js"} <= set(fetched)
    assert not ASSIGNMENT_MODULES & set(fetched), fetched
    assert "progress.js" not in fetched  # no path on an SOP page
    assert len(fetched) == len(set(fetched))  # each module once
    assert watched.console_errors == [] and watched.off_origin == []


def test_a_quiz_page_loads_the_quiz_module_and_no_sop_or_trainer_module(watched, site):
    fetched = record_modules(watched)
    page = watched.page
    page.goto(f"{site.url}quizzes/missed-delivery-practice/")
    page.locator("form[data-quiz-form][data-ready]").wait_for()
    assert {"sopkb.js", "quiz.js", "pure/scoring.js"} <= set(fetched)
    assert not ({"signoff.js", "guided.js", "progress.js"} | ASSIGNMENT_MODULES) & set(fetched), fetched
    assert watched.console_errors == [] and watched.off_origin == []


def test_with_instant_navigation_the_first_page_brings_every_component(instant_site):
    """A page swapped in by instant navigation has no load event to hold until its modules have
    run: they come with the first page, and later pages fetch no module again."""
    served, w = instant_site
    fetched = record_modules(w)
    page = w.page
    page.goto(f"{served.url}paths/billing-basics/")
    assert {"progress.js", "quiz.js", "signoff.js", "guided.js", "assignment.js", "certificate.js"} <= set(
        fetched
    )
    first = len(fetched)
    page.evaluate("window.__noReload = true")
    page.locator('[data-path] [data-progress-item][data-kind="quiz"] a').click()
    page.locator("form[data-quiz-form][data-ready]").wait_for()
    page.go_back()
    page.locator("[data-path] [data-path-progress-text]", has_text="of 2 done").wait_for()
    assert page.evaluate("window.__noReload") is True  # the pages were swapped in, not loaded
    # Only Material's own script in the page content runs again on each page.
    assert [m for m in fetched[first:] if not m.startswith("material/")] == []
    assert w.console_errors == [] and w.off_origin == []
