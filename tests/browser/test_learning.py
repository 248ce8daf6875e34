"""New hires and trainers in Chromium: path progress, read-and-sign, assignment link to receipt."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import subprocess
import sys

import pytest
from sopkb.build.site_build import build_site

from tests.conftest import FIXTURES

from .conftest import axe_violations, open_watched, serve
from .test_quizzes import take_quiz

pytestmark = pytest.mark.browser


@pytest.fixture
def small_watched(browser, small_site):  # noqa: ANN001, ANN201
    w = open_watched(browser, small_site.url.rstrip("/"), viewport={"width": 1366, "height": 768})
    yield w
    w.page.context.close()


def serious(page) -> list[str]:  # noqa: ANN001
    return [v["id"] for v in axe_violations(page) if v["impact"] in ("serious", "critical")]


def set_learner(page, name: str) -> None:  # noqa: ANN001
    """Give a name in the page's learner box, by keyboard."""
    box = page.locator("[data-learner-box]")
    if box.locator("button.sopkb-learner__change").count():
        box.locator("button.sopkb-learner__change").focus()
        page.keyboard.press("Enter")
    box.locator("input").fill(name)
    box.locator("input").press("Enter")
    page.locator("[data-learner-box] strong", has_text=name).wait_for()


def sign(page, url: str) -> None:  # noqa: ANN001
    page.goto(url)
    page.locator("[data-signoff-sign]").focus()
    page.keyboard.press("Enter")
    page.locator('[data-signoff][data-state="done"]').wait_for()


def progress(page) -> str:  # noqa: ANN001
    return page.locator("[data-path] [data-path-progress-text]").inner_text()


def states(page) -> dict[str, str]:  # noqa: ANN001
    return page.locator("[data-path] [data-progress-item]").evaluate_all(
        "els => Object.fromEntries(els.map(e => [e.dataset.kind + ':' + e.dataset.id,"
        " e.querySelector('[data-item-state]').dataset.state]))"
    )


def test_path_progress_follows_the_learner_across_pages(small_watched, small_site):
    watched = small_watched
    page, site = watched.page, small_site
    page.goto(f"{site.url}paths/billing-basics/")
    set_learner(page, "Ana Silva")
    assert progress(page) == "0 of 2 done"
    assert states(page) == {"sop:refund": "new", "quiz:refund-basics": "new"}

    page.goto(f"{site.url}sops/refund/")  # opened, not yet signed
    page.goto(f"{site.url}paths/billing-basics/")
    assert states(page)["sop:refund"] == "started"

    sign(page, f"{site.url}sops/refund/")
    assert (
        page.locator("[data-signoff-status]").inner_text().startswith("✓ Ana Silva: signed version 1.10 on ")
    )
    assert page.locator("[data-signoff-badge]").inner_text() == "✓ Signed"
    take_quiz(page, f"{site.url}quizzes/refund-basics/", right=False)
    page.goto(f"{site.url}paths/billing-basics/")
    assert progress(page) == "1 of 2 done"
    assert states(page) == {"sop:refund": "done", "quiz:refund-basics": "started"}
    take_quiz(page, f"{site.url}quizzes/refund-basics/", right=True)
    page.goto(f"{site.url}paths/billing-basics/")
    assert progress(page) == "2 of 2 done · complete"
    assert page.locator("[data-path] progress").evaluate("p => p.value") == 2
    assert serious(page) == []

    page.goto(f"{site.url}learning/")
    assert page.locator("[data-path-card] [data-path-progress-text]").inner_text() == "2 of 2 done · complete"
    assert "Refund request" in page.locator("[data-my-signoffs]").inner_text()
    assert serious(page) == []

    # progress is per learner name: a second learner on the same desk starts from zero
    page.goto(f"{site.url}paths/billing-basics/")
    set_learner(page, "Ben Okafor")
    assert progress(page) == "0 of 2 done"
    page.goto(f"{site.url}learning/")
    assert page.locator("[data-my-signoffs]").inner_text().startswith("None yet.")
    set_learner(page, "Ana Silva")  # switching on My learning itself redraws it for Ana
    assert "Refund request" in page.locator("[data-my-signoffs]").inner_text()
    page.goto(f"{site.url}paths/billing-basics/")
    assert progress(page) == "2 of 2 done · complete"
    assert watched.off_origin == [] and watched.console_errors == []


def test_a_signature_goes_outdated_when_the_sop_version_changes(browser, tmp_path):
    kb = tmp_path / "kb"
    shutil.copytree(FIXTURES / "kb-small", kb)
    build_site(kb, kb / "site")
    server, site = serve(kb / "site", kb)
    w = open_watched(browser, site.url.rstrip("/"), accept_downloads=True)
    page = w.page
    try:
        page.goto(f"{site.url}sops/refund/")
        set_learner(page, "Ana Silva")
        sign(page, f"{site.url}sops/refund/")

        source = kb / "sops" / "refund.yaml"
        source.write_text(source.read_text().replace("version: 1.10", 'version: "1.11"'))
        build_site(kb, kb / "site")
        page.goto(f"{site.url}sops/refund/")
        page.locator('[data-signoff][data-state="outdated"]').wait_for()
        assert page.locator("[data-signoff-status]").inner_text() == (
            "Outdated: You signed version 1.10; now version 1.11: read it again and sign."
        )
        assert page.locator("[data-signoff-badge]").inner_text() == "Signature outdated"
        assert page.locator("[data-signoff-sign]").inner_text() == "I have read version 1.11"
        assert serious(page) == []
        page.goto(f"{site.url}paths/billing-basics/")
        assert states(page)["sop:refund"] == "outdated"

        sign(page, f"{site.url}sops/refund/")
        page.goto(f"{site.url}paths/billing-basics/")
        assert states(page)["sop:refund"] == "done"
        assert w.off_origin == [] and w.console_errors == []
    finally:
        w.page.context.close()
        server.shutdown()


def create_assignment(page, site_url: str, due: str) -> str:  # noqa: ANN001
    """The trainer's page, by keyboard: a path plus one extra quiz; returns the link."""
    page.goto(f"{site_url}learning/assign/")
    page.locator("#assign-title").fill("Week 1: refunds")
    page.locator("#assign-cohort").fill("Nov 2026 A")
    page.locator("#assign-due").fill(due)
    page.locator("#assign-trainer").fill("Dana Trainer")
    page.locator("#assign-path").select_option("billing-basics")
    page.locator("[data-assign-filter]").fill("drill refund")
    drill = page.locator('[data-assign-quizzes] input[value="drill-refund"]')
    drill.focus()
    page.keyboard.press("Space")
    assert page.locator("[data-assign-count]").inner_text().startswith("1 quiz(zes) chosen.")
    page.locator("form[data-assign-builder] button[type=submit]").focus()
    page.keyboard.press("Enter")
    link = page.locator("[data-assign-link]")
    link.wait_for()
    assert page.evaluate("document.activeElement.id") == "assign-link"
    assert serious(page) == []
    return link.input_value()


def test_assignment_link_through_to_a_downloaded_receipt_the_report_verifies(
    small_watched, small_site, tmp_path
):
    watched = small_watched
    page, site = watched.page, small_site
    page.goto(f"{site.url}learning/assign/")
    page.locator("form[data-assign-builder] button[type=submit]").click()  # nothing filled in
    assert page.locator("[data-assign-error]").inner_text() == "Give the assignment a title."
    due = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    link = create_assignment(page, site.url, due)
    assert link.startswith(f"{site.url}learning/assignment/#a=")

    page.goto(link)
    assert page.locator("[data-assignment-title]").inner_text() == "Week 1: refunds"
    assert (
        page.locator("[data-assignment-meta]").inner_text()
        == f"Cohort: Nov 2026 A · Due {due} · From Dana Trainer"
    )
    set_learner(page, "Ana Silva")
    page.locator("[data-assignment-summary]").wait_for()
    assert page.locator("[data-assignment-summary]").inner_text() == "0 of 3 done"
    items = page.locator("[data-assignment-item]").evaluate_all(
        "els => els.map(e => e.dataset.assignmentItem)"
    )
    assert items == ["sop:refund", "quiz:refund-basics", "quiz:drill-refund"]
    assert page.locator("[data-receipt]").count() == 0
    assert serious(page) == []

    sign(page, f"{site.url}sops/refund/")
    take_quiz(page, f"{site.url}quizzes/refund-basics/", right=False)
    take_quiz(page, f"{site.url}quizzes/refund-basics/", right=True)
    take_quiz(page, f"{site.url}sops/refund/#drill", right=True)
    page.goto(link)
    page.locator("[data-receipt]").wait_for()
    assert page.locator("[data-assignment-summary]").inner_text() == "3 of 3 done · complete"
    with page.expect_download() as download:
        page.locator("[data-receipt]").focus()
        page.keyboard.press("Enter")
    receipt_file = tmp_path / download.value.suggested_filename
    download.value.save_as(receipt_file)
    receipt = json.loads(receipt_file.read_text())
    assert receipt_file.name == f"receipt-ana-silva-{receipt['assignment']['id']}.json"
    assert receipt["learner"] == "Ana Silva"
    assert [q["id"] for q in receipt["quizzes"]] == ["refund-basics", "drill-refund"]
    assert receipt["quizzes"][0]["attempts"] == 2 and receipt["quizzes"][0]["score"] == 100
    assert receipt["sops_read"][0]["version"] == "1.10"

    # the report re-scores the browser's receipt from the quiz sources: intact, current, right
    out = tmp_path / "report"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sopkb.cli",
            "-C",
            str(site.kb_dir),
            "report",
            str(receipt_file),
            "--output",
            str(out),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1 receipt: 1 verified, 0 flagged.")
    assert "Ana Silva,Nov 2026 A,Week 1: refunds" in (out / "roster.csv").read_text()

    page.goto(link)
    page.locator("[data-certificate-link]").click()
    page.locator("[data-certificate-card]").wait_for()
    assert page.locator("[data-certificate-learner]").inner_text() == "Ana Silva"
    assert "Passed: Refund basics — 100%" in page.locator("[data-certificate-card]").inner_text()
    assert serious(page) == []
    page.emulate_media(media="print")
    assert page.locator(".sopkb-certificate__print").is_hidden()
    page.emulate_media(media="screen")

    page.goto(f"{site.url}learning/")
    assert page.locator("[data-my-assignment]").inner_text().startswith("Week 1: refunds")
    page.goto(f"{site.url}learning/assignment/#a=not-a-real-assignment")
    assert "damaged or incomplete" in page.locator("[data-assignment-body]").inner_text()
    assert watched.off_origin == [] and watched.console_errors == []


def test_roster_page_is_accessible_and_self_contained(browser, tmp_path):
    """The report's HTML roster (charts included) passes axe and loads nothing from anywhere."""
    from tests.unit.receipts.test_report import write_roster

    html = write_roster(tmp_path)
    w = open_watched(browser, html.as_uri())
    w.page.goto(html.as_uri())
    assert w.page.locator("svg[role=img]").count() == 2
    assert serious(w.page) == []
    assert w.off_origin == []
    w.page.context.close()


@pytest.mark.parametrize("text", ["", "abc", 'é ü 中文 🙂 "quotes" \\ back\nslash', "x" * 1000])
def test_browser_checksum_matches_the_reports(watched, site, text):
    page = watched.page
    page.goto(site.url)
    value = {"b": [1, None, True, text], "a": {"z": text, "é": 2}}
    from sopkb.receipts.checksum import canonical

    module = f"{site.url}assets/sopkb/pure/checksum.js"  # the module the receipt pages use
    in_browser = page.evaluate(
        "async ([m, v, t]) => { const c = await import(m); return [c.canonical(v), c.sha256(t)]; }",
        [module, value, text],
    )
    assert in_browser == [canonical(value), hashlib.sha256(text.encode()).hexdigest()]


def test_sign_and_path_progress_work_after_instant_navigation(instant_site):
    """Material's instant navigation swaps pages without a reload; the learning scripts re-run."""
    served, w = instant_site
    page = w.page
    page.goto(f"{served.url}paths/")
    set_learner(page, "Ana Silva")
    page.evaluate("window.__noReload = true")
    page.locator('a[href$="paths/billing-basics/"]').first.click()
    page.locator('[data-path] [data-progress-item][data-id="refund"] a').click()
    page.locator("[data-signoff-sign]").wait_for()
    page.locator("[data-signoff-sign]").click()
    page.locator('[data-signoff][data-state="done"]').wait_for()
    page.go_back()
    page.locator("[data-path]").wait_for()
    page.wait_for_function(
        "() => document.querySelector('[data-path] [data-path-progress-text]').textContent === '1 of 2 done'"
    )
    assert page.evaluate("window.__noReload") is True  # no full page load happened
    assert w.off_origin == [] and w.console_errors == []


def fill_storage(page) -> None:  # noqa: ANN001
    """Fill this origin's local storage to the quota, as years of records or another app might."""
    page.evaluate(
        """() => { const chunk = 'x'.repeat(512 * 1024); let i = 0;
        try { while (true) { localStorage.setItem('filler-' + i++, chunk); } } catch (e) {}
        try { while (true) { localStorage.setItem('f' + i++, 'x'.repeat(64)); } } catch (e) {} }"""
    )


def test_a_full_storage_is_said_out_loud_not_a_silently_lost_result(small_watched, small_site):
    page, site = small_watched.page, small_site
    page.goto(f"{site.url}sops/refund/")
    set_learner(page, "Ana Silva")
    fill_storage(page)
    page.locator("[data-signoff-sign]").click()
    assert "could not be saved" in page.locator("[data-signoff] .sopkb-not-saved").inner_text()
    assert page.locator("[data-signoff]").get_attribute("data-state") != "done"  # not shown as signed
    assert page.locator("[data-not-saved][role=alert]").is_visible()  # and the page says so at the top
    take_quiz(page, f"{site.url}quizzes/refund-basics/", right=True)
    assert "This result could not be saved" in page.locator("[data-quiz-result]").inner_text()
    assert page.locator("[data-not-saved][role=alert]").count() == 1
    assert serious(page) == []
    assert small_watched.console_errors == []
