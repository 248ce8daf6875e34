"""An imported draft on the site, as an agent or a reviewer meets it: `sopkb import` of a Word
document (seed 004 with its decision tables, in Word's own numbering) and of a plain-text seed
into a copy of a small KB, built, then opened in Chromium. The draft carries the care banner and
its review points, its flowchart is drawn from the imported decisions, guided mode walks a call
through them by keyboard, and axe finds nothing serious — on the page and in guided mode."""

from __future__ import annotations

import shutil

import pytest
import yaml
from sopkb.build.site_build import build_site
from sopkb.cli import main as sopkb_main

from tests.unit.importing.seed_documents import SEEDS, write_docx

from .conftest import REPO, axe_violations, open_watched, serve
from .test_guided import choose, current, next_step, start

pytestmark = pytest.mark.browser
DRAFT = "irate-customers-asking-leadership-or-special-handling"
TEXT_SEED = REPO / "tests/fixtures/import/seeds/000_2a6e39cb25ccaeac.txt"


@pytest.fixture(scope="module")
def imported(tmp_path_factory):  # noqa: ANN201
    root = tmp_path_factory.mktemp("imported") / "kb"
    shutil.copytree(REPO / "tests/fixtures/kb-small", root)
    (seed_004,) = (doc for doc in SEEDS if doc.name == "004")
    docx = write_docx(seed_004, root.parent / "Leadership request.docx")
    code = sopkb_main(["-C", str(root), "import", str(docx), str(TEXT_SEED), "--into", str(root / "sops/imported")])
    assert code == 0
    build_site(root, root / "site")
    server, served = serve(root / "site", root)
    yield served
    server.shutdown()


@pytest.fixture
def agent(browser, imported):  # noqa: ANN001, ANN201
    w = open_watched(browser, imported.url.rstrip("/"), viewport={"width": 1366, "height": 768})
    yield w
    assert w.off_origin == [] and w.console_errors == []
    w.page.context.close()


def _serious(page) -> list[str]:  # noqa: ANN001
    return [v["id"] for v in axe_violations(page) if v["impact"] in ("serious", "critical")]


def _draft(imported) -> dict:  # noqa: ANN001
    return yaml.safe_load((imported.kb_dir / f"sops/imported/{DRAFT}.yaml").read_text(encoding="utf-8"))


def test_a_draft_says_it_is_one_and_lists_every_review_point(agent, imported):
    page = agent.page
    page.goto(f"{imported.url}sops/{DRAFT}/")
    banner = page.locator(".sopkb-review-banner")
    assert banner.is_visible()
    text = banner.inner_text()
    assert "is a draft, not yet approved" in text
    assert "does not say its owner, version, effective date and review date" in text
    assert page.locator(".sopkb-badge--draft").text_content() == "draft"
    data = _draft(imported)
    notes = len(data["review"]) + sum(
        len(step.get("review", [])) + sum(len(b.get("review", [])) for b in step.get("decision", {}).get("branches", []))
        for step in data["steps"]
    )
    assert notes > 5
    assert page.locator(".sopkb-review-list li").count() == notes
    banner.get_by_role("link", name="See the list").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.hash === '#review-points'")
    assert _serious(page) == []


def test_the_flowchart_is_drawn_from_the_imported_decisions(agent, imported):
    page = agent.page
    page.goto(f"{imported.url}sops/{DRAFT}/")
    data = _draft(imported)
    chart = page.locator(".sopkb-flowchart svg.sopkb-chart")
    assert chart.is_visible()
    decisions = [s["id"] for s in data["steps"] if "decision" in s]
    assert len(decisions) >= 3
    for step in data["steps"]:
        assert chart.locator(f'[data-node="step-{step["id"]}"]').count() == 1, step["id"]
    drawn = chart.locator(".sopkb-chart__node--decision").count()
    assert drawn == len(decisions)
    answers = {b["answer"] for s in data["steps"] if "decision" in s for b in s["decision"]["branches"]}
    labels = chart.locator(".sopkb-chart__label").all_text_contents()
    assert {"Available", "Unavailable"} <= answers
    assert any("Unavailable" in label for label in labels)


def test_guided_mode_walks_a_call_through_the_draft(agent, imported):
    page = agent.page
    page.goto(f"{imported.url}sops/{DRAFT}/")
    data = _draft(imported)
    first, second = data["steps"][0], data["steps"][1]
    start(page)
    assert current(page) == f"Step 1: {first['title']}"
    assert first["decision"]["branches"][0]["goto"] == second["id"]
    choose(page, 1)
    assert current(page) == f"Step 2: {second['title']}"
    no = next(n for n, b in enumerate(second["decision"]["branches"], start=1) if b["goto"] == "end")
    choose(page, no)
    assert current(page) == "Call notes"
    notes = page.locator("#guided-notes").input_value()
    assert notes.startswith(f"SOP: {data['title']}")
    assert _serious(page) == []


def test_a_draft_without_decisions_walks_step_by_step(agent, imported):
    page = agent.page
    page.goto(f"{imported.url}sops/missed-deliveries-when-customer-is-at-home/")
    assert "is a draft, not yet approved" in page.locator(".sopkb-review-banner").inner_text()
    start(page)
    titles = []
    while current(page) != "Call notes":
        titles.append(current(page))
        next_step(page)
    assert titles == [
        "Step 1: Greet Customer",
        "Step 2: Listen and Understand",
        "Step 3: Verify Customer Information",
        "Step 4: Advise Customer: Missed Delivery on the Same Day",
        "Step 5: Provide Reassurance",
        "Step 6: Disposition and Documentation",
        "Step 7: Closing Interaction",
    ]
    assert _serious(page) == []
