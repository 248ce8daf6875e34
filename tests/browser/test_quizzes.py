"""Quizzes in Chromium: scoring, feedback links, keyboard ordering, retake, persistence, changes."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest
from sopkb.build.site_build import build_site

from .conftest import axe_violations, open_watched, serve

pytestmark = pytest.mark.browser
QUIZ = "missed-delivery-practice"


def answer_key(page) -> dict:  # noqa: ANN001
    return json.loads(page.locator("form[data-quiz-form] .sopkb-quiz-key").text_content())


def put_in_order_by_keyboard(page, fieldset, order: list[str]) -> None:  # noqa: ANN001
    """Selection sort with the Move up buttons, pressed with the keyboard only."""
    for target, item in enumerate(order):
        while True:
            items = fieldset.locator(".sopkb-order li").evaluate_all("els => els.map(e => e.dataset.item)")
            position = items.index(item)
            if position == target:
                break
            fieldset.locator(f'li[data-item="{item}"] button[data-move="up"]').focus()
            page.keyboard.press("Enter")


def answer(page, right: bool) -> None:  # noqa: ANN001
    for q in answer_key(page)["questions"]:
        fieldset = page.locator(f'fieldset[data-q="{q["id"]}"]')
        if q["kind"] == "order":
            order = q["correct"] if right else list(reversed(q["correct"]))
            put_in_order_by_keyboard(page, fieldset, order)
            continue
        values = (
            q["correct"] if right else [v for v in (q.get("feedback") or {}) if v not in q["correct"]][:1]
        )
        for value in values:
            box = fieldset.locator(f'input[value="{value}"]')
            box.focus()
            page.keyboard.press("Space")


def submit_by_keyboard(page) -> None:  # noqa: ANN001
    page.locator("form[data-quiz-form] button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.locator("[data-quiz-result]:not([hidden])").wait_for()


def take_quiz(page, url: str, right: bool) -> int:  # noqa: ANN001
    """Open the quiz, answer every question right or wrong, submit by keyboard; its size."""
    page.goto(url)
    answer(page, right=right)
    submit_by_keyboard(page)
    return len(answer_key(page)["questions"])


def test_right_answers_pass_with_100_percent(watched, site):
    page = watched.page
    total = take_quiz(page, f"{site.url}quizzes/{QUIZ}/", right=True)
    assert page.locator(".sopkb-quiz__score").inner_text() == f"Passed: {total} of {total} right (100%)"
    assert page.locator('fieldset[data-result="correct"]').count() == total
    assert page.evaluate(
        "document.activeElement.hasAttribute('data-quiz-result')"
    )  # focus moves to the result
    page.wait_for_function("() => document.querySelector('#sopkb-live').textContent.startsWith('Passed.')")
    violations = [
        v["id"] for v in axe_violations(page) if v["impact"] in ("serious", "critical")
    ]
    assert violations == []
    assert watched.off_origin == [] and watched.console_errors == []


def test_wrong_answers_fail_and_every_feedback_link_resolves(watched, site):
    page = watched.page
    total = take_quiz(page, f"{site.url}quizzes/{QUIZ}/", right=False)
    assert page.locator(".sopkb-quiz__score").inner_text() == f"Not passed: 0 of {total} right (0%)"
    assert page.locator('fieldset[data-result="incorrect"]').count() == total
    links = page.locator(".sopkb-q__review a").evaluate_all("els => els.map(a => a.href)")
    assert len(links) >= total
    for link in sorted(set(links)):
        url, _, anchor = link.partition("#")
        html = urllib.request.urlopen(url).read().decode()
        assert f'id="{anchor}"' in html, link
    assert watched.console_errors == []


def choice_orders(page) -> list[list[str]]:  # noqa: ANN001
    return page.locator(".sopkb-choices, .sopkb-order").evaluate_all(
        "boxes => boxes.map(b => Array.from(b.querySelectorAll('input, li')).map(e => e.value || e.dataset.item))"
    )


def test_retake_reshuffles_and_clears(watched, site):
    page = watched.page
    page.goto(f"{site.url}quizzes/{QUIZ}/")
    answer(page, right=True)
    submit_by_keyboard(page)
    before = choice_orders(page)
    page.locator("[data-quiz-retake]").click()
    after = choice_orders(page)
    assert all(a != b for a, b in zip(before, after, strict=True) if len(a) > 1)
    assert page.locator("input:checked").count() == 0
    assert page.locator(".sopkb-q__feedback:not([hidden])").count() == 0
    assert page.locator("[data-quiz-result]").is_hidden()


def test_result_survives_reload_and_shows_in_listings(watched, site):
    page = watched.page
    page.goto(f"{site.url}quizzes/{QUIZ}/")
    answer(page, right=True)
    submit_by_keyboard(page)
    page.reload()
    assert page.locator("[data-quiz-status]").inner_text() == "Your best: Passed · best 100% (1 attempt)."
    page.goto(f"{site.url}quizzes/")
    assert page.locator(f'[data-quiz-id="{QUIZ}"] [data-quiz-state]').inner_text() == "Passed · best 100%"
    assert (
        page.locator('[data-quiz-id="drill-lost-or-stolen-package"] [data-quiz-state]').inner_text()
        == "Not started"
    )
    assert page.locator('[data-quiz-id="drill-lost-or-stolen-package"] a').get_attribute("href") == (
        "../sops/lost-or-stolen-package/#drill"
    )
    page.goto(f"{site.url}sops/missed-delivery-customer-home/")
    assert (
        page.locator(f'.sopkb-practice [data-quiz-id="{QUIZ}"] [data-quiz-state]').inner_text()
        == "Passed · best 100%"
    )


def test_every_bundled_quiz_can_be_passed(watched, site):
    page = watched.page
    quiz_ids = page.context.request.get(f"{site.url}quizzes/").text()
    ids = sorted(set(part.split('"')[0] for part in quiz_ids.split('data-quiz-id="')[1:]))
    assert len(ids) == 16  # eight written quizzes and eight drills
    links = page.context.request.get(f"{site.url}quizzes/").text()
    for quiz_id in ids:
        href = links.split(f'data-quiz-id="{quiz_id}"')[1].split('href="')[1].split('"')[0]
        page.goto(urllib.parse.urljoin(f"{site.url}quizzes/", href))
        assert page.locator("form[data-quiz-form]").count() == 1
        answer(page, right=True)
        submit_by_keyboard(page)
        assert page.locator("[data-quiz-result]").get_attribute("data-passed") == "true", quiz_id
    assert watched.console_errors == [] and watched.off_origin == []


def test_changed_quiz_is_recognised_and_never_misscored(browser, instant_kb):
    root, _ = instant_kb
    build_site(root, root / "site")
    server, served = serve(root / "site", root)
    try:
        w = open_watched(browser, served.url.rstrip("/"))
        page = w.page
        page.goto(f"{served.url}quizzes/refund-basics/")
        answer(page, right=True)
        submit_by_keyboard(page)
        old = answer_key(page)["fingerprint"]
        quiz = root / "quizzes" / "refund-basics.yaml"
        quiz.write_text(
            quiz.read_text()
            .replace('{text: "No", feedback:', '{text: "No", correct: true, feedback:')
            .replace('{text: "Yes", correct: true,', '{text: "Yes",')
        )
        build_site(root, root / "site")
        page.reload()
        assert answer_key(page)["fingerprint"] != old
        assert (
            page.locator("[data-quiz-status]")
            .inner_text()
            .startswith("This quiz has changed since your last attempt (best 100% on the earlier version).")
        )
        page.goto(f"{served.url}quizzes/")
        assert page.locator('[data-quiz-id="refund-basics"] [data-quiz-state]').inner_text() == (
            "Changed since your last attempt"
        )
        page.goto(f"{served.url}quizzes/refund-basics/")
        answer(page, right=True)  # by the new key
        submit_by_keyboard(page)
        assert page.locator(".sopkb-quiz__score").inner_text() == "Passed: 5 of 5 right (100%)"
        record = json.loads(page.evaluate("localStorage.getItem('sopkb.quiz.refund-basics')"))
        assert record["fingerprint"] == answer_key(page)["fingerprint"] and record["attempts"] == 1
        page.context.close()
    finally:
        server.shutdown()


def test_quiz_works_after_instant_navigation(instant_site):
    served, w = instant_site
    page = w.page
    page.goto(f"{served.url}quizzes/")
    page.evaluate("window.__noReload = true")
    page.locator('a[href$="quizzes/refund-basics/"]').click()
    page.wait_for_url("**/quizzes/refund-basics/")
    page.locator("form[data-quiz-form][data-ready]").wait_for()
    assert page.evaluate("window.__noReload === true")  # the page was swapped in, not reloaded
    answer(page, right=True)
    submit_by_keyboard(page)
    assert page.locator(".sopkb-quiz__score").inner_text() == "Passed: 5 of 5 right (100%)"
    assert w.console_errors == [] and w.off_origin == []


def test_print_hides_controls(watched, site):
    page = watched.page
    page.goto(f"{site.url}quizzes/{QUIZ}/")
    page.emulate_media(media="print")
    assert page.locator(".sopkb-quiz__actions").is_hidden()
    assert page.locator(".sopkb-order__buttons").first.is_hidden()
    assert page.locator("fieldset[data-q]").first.is_visible()


def test_unanswered_is_wrong_not_an_error(watched, site):
    page = watched.page
    page.goto(f"{site.url}quizzes/{QUIZ}/")
    page.locator("form[data-quiz-form] button[type=submit]").click()
    assert page.locator(".sopkb-q__verdict").first.inner_text() in ("✗ Not answered", "✗ Not quite")
    assert urllib.parse.urlparse(page.url).path.endswith(f"/quizzes/{QUIZ}/")  # no navigation on submit
    assert watched.console_errors == []


def test_drill_at_the_end_of_the_sop_page(watched, site):
    page = watched.page
    page.goto(f"{site.url}sops/leadership-request/#drill")
    form = page.locator("#drill ~ .sopkb-drill form[data-quiz-form]")
    assert form.count() == 1
    answer(page, right=False)
    submit_by_keyboard(page)
    hrefs = page.locator(".sopkb-q__review a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
    assert hrefs and all(h.startswith("#step-") for h in hrefs)
    for href in set(hrefs):
        assert page.locator(href).count() == 1
    page.emulate_media(media="print")
    assert page.locator(".sopkb-drill").is_hidden()
    assert watched.console_errors == [] and watched.off_origin == []


def test_a_choice_focused_before_the_quiz_script_runs_keeps_the_focus(browser, site):
    """On a slow desk a learner can be in the quiz before quiz.js shuffles the choices; moving the
    focused choice used to drop the focus to the page (and a shortcut key then opened search)."""
    w = open_watched(browser, site.url.rstrip("/"))
    page = w.page
    held = []
    page.route("**/assets/sopkb/quiz.js", lambda route: held.append(route))  # held back until released
    page.goto(f"{site.url}quizzes/{QUIZ}/", wait_until="commit")
    while not held:
        page.wait_for_timeout(20)
    choice = page.locator("form[data-quiz-form] input[type=radio]").nth(2)
    choice.focus()
    focused = choice.get_attribute("id")
    before = page.locator("form[data-quiz-form] .sopkb-choice input").evaluate_all(
        "els => els.map(e => e.id)"
    )
    held[0].continue_()
    page.locator("form[data-quiz-form][data-ready]").wait_for()
    after = page.locator("form[data-quiz-form] .sopkb-choice input").evaluate_all("els => els.map(e => e.id)")
    assert after != before  # the script did move the choices
    assert page.evaluate("document.activeElement.id") == focused
    page.keyboard.press("/")  # a shortcut key typed in a choice stays with the choice
    assert page.evaluate("document.activeElement.id") == focused
    assert w.console_errors == [] and w.off_origin == []
    page.context.close()
