"""Nothing anyone types ever runs: authors' fields, learners' names, trainers' links, in Chromium.

The KB of tests/hostile.py has script, event handlers, `javascript:` links and control characters
in every free-text field of every content kind and question kind. Every page is visited and
every interactive part driven (quiz right and wrong in every question kind, drill, guided call,
search, read-and-sign, paths, assignments, certificate); the text must show as text and nothing
may run. Every Content-Security-Policy violation fails the test (conftest), so the policy must
also never be what stopped it.
"""

from __future__ import annotations

import base64
import json
import re

import pytest
from sopkb.build.site_build import build_site

from tests.conftest import FIXTURES
from tests.hostile import HOSTILE_URL, XSS_SHORT, marked, uncovered_fields, write_hostile_kb

from .conftest import open_watched, serve
from .test_learning import set_learner, sign
from .test_quizzes import answer, answer_key, submit_by_keyboard

pytestmark = pytest.mark.browser
RAN = "typeof window.__xss !== 'undefined' || document.querySelectorAll('[onerror], [onload], img[src=x]').length"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    import shutil

    kb = tmp_path_factory.mktemp("hostile") / "kb"
    shutil.copytree(FIXTURES / "kb-small", kb)
    write_hostile_kb(kb)
    out = tmp_path_factory.mktemp("hostile-site") / "site"
    build_site(kb, out)
    server, served = serve(out, kb)
    yield served
    server.shutdown()


@pytest.fixture
def hw(browser, hostile_site):  # noqa: ANN001, ANN201
    w = open_watched(browser, hostile_site.url.rstrip("/"), viewport={"width": 1366, "height": 768})
    yield w
    assert w.page.evaluate(RAN) in (False, 0)
    assert w.dialogs == [] and w.off_origin == [] and w.console_errors == []
    w.page.context.close()


def nothing_ran(page) -> bool:  # noqa: ANN001
    return page.evaluate(RAN) in (False, 0)


def tags_in(page, prefix: str) -> set[str]:  # noqa: ANN001
    """The key paths whose hostile text the page shows as text (`<path> <img src=x onerror=`)."""
    text = page.evaluate("document.body.innerText")
    return set(re.findall(r"(" + re.escape(prefix) + r"[\w.\[\]]*) <img src=x onerror=", text))


def test_the_fixture_fills_every_free_text_field_of_every_model():
    assert uncovered_fields() == set()


def test_every_page_shows_the_markup_as_text_and_runs_nothing(hw, hostile_site):
    page = hw.page
    for path in [*hostile_site.pages(), "404.html"]:
        page.goto(hostile_site.url + path)
        page.wait_for_timeout(30)
        assert nothing_ran(page), path
    page.goto(hostile_site.url + "sops/refund/")
    shown = tags_in(page, "")
    for field in ["title", "summary", "owner", "source", "objective", "scope", "background", "conclusion",
                  "steps[0].title", "steps[0].say[0]", "steps[0].decision.question",
                  "steps[0].decision.branches[0].answer", "steps[0].decision.branches[0].say[0]",
                  "steps[0].verify[1].items[0]", "steps[0].notes[0]", "steps[0].ask[0]",
                  "documentation.dispositions[0].label", "documentation.dispositions[0].when",
                  "call_scripts[0].lines[0].text", "call_scripts[0].situation", "related[0].why",
                  "responsibilities[0].role", "review[0]", "keywords[0]", "tags[0]",
                  "callouts[0].title", "callouts[0].text", "messages[0].title", "messages[0].body",
                  "steps[1].callouts[0].title", "steps[1].callouts[0].text", "steps[1].tables[0].caption",
                  "steps[1].tables[0].columns[0]", "steps[1].tables[0].rows[0][1]", "steps[1].messages[0].title",
                  "steps[1].messages[0].subject", "steps[1].messages[0].body"]:  # fmt: skip
        assert field in shown, field
    chart = " ".join(" ".join(page.locator("svg.sopkb-chart tspan").all_text_contents()).split())
    assert "<img src=x onerror=" in chart and "<script>" in chart  # the flowchart carries it as SVG text
    assert "<img" in page.title() or "‹img" in page.title()
    page.goto(hostile_site.url + "sops/policy/")
    assert {"sections[0].title", "sections[0].intro", "sections[0].steps[0].title"} <= tags_in(
        page, "sections"
    )
    page.goto(hostile_site.url + "paths/billing-basics/")
    assert {"title", "summary", "modules[0].title", "modules[0].intro"} <= tags_in(page, "")


def test_every_question_kind_answered_right_and_wrong_shows_feedback_as_text(hw, hostile_site):
    page = hw.page
    page.goto(hostile_site.url + "quizzes/refund-basics/")
    page.locator("form[data-quiz-form][data-ready]").wait_for()
    kinds = {q["kind"] for q in answer_key(page)["questions"]}
    assert kinds == {"single", "multiple", "say", "true-false", "order"}
    answer(page, right=True)
    submit_by_keyboard(page)
    assert nothing_ran(page)
    assert page.locator(".sopkb-quiz__score").inner_text() == "Passed: 5 of 5 right (100%)"
    multiple = page.locator('fieldset[data-q="q-multiple"] .sopkb-q__feedback').inner_text()
    # the correct choices' own text is repeated in the feedback: the stored XSS of issue #10
    assert "✓ scenarios[0].questions[1].choices[0].text <img src=x onerror=" in multiple
    shown = tags_in(page, "scenarios")
    for q in range(5):
        assert f"scenarios[0].questions[{q}].explanation" in shown, q
    assert "scenarios[0].questions[0].choices[0].feedback" in shown
    assert "scenarios[0].questions[3].if_true" in shown
    order = page.locator('fieldset[data-q="q-order"] .sopkb-q__right-order').inner_text()
    assert "steps[0].title <img src=x" not in order or "<img src=x" in order  # titles, as text
    page.locator("[data-quiz-retake]").click()
    answer(page, right=False)
    submit_by_keyboard(page)
    assert nothing_ran(page)
    assert "scenarios[0].questions[3].if_false" in tags_in(page, "scenarios")
    assert page.locator(".sopkb-quiz__score").inner_text().startswith("Not passed")


def test_drill_and_guided_call_through_the_hand_off_run_nothing(hw, hostile_site):
    page = hw.page
    page.goto(hostile_site.url + "sops/refund/#drill")
    form = page.locator(".sopkb-drill form[data-quiz-form][data-ready]")
    form.wait_for()
    answer(page, right=False)
    submit_by_keyboard(page)
    assert nothing_ran(page)
    page.goto(hostile_site.url + "sops/refund/")
    page.locator("[data-guided-start]").click()
    assert "steps[0].say[0] <img" in page.locator("#guided").inner_text()
    page.keyboard.press("1")  # the first answer has its own words and actions: shown first
    assert "steps[0].decision.branches[0].say[0] <img" in page.locator("#guided").inner_text()
    page.locator("[data-guided-next]").click()
    guided = page.locator("#guided").inner_text()  # the step's callouts, table and message, as text
    for field in ["steps[1].callouts[0].text", "steps[1].tables[0].rows[0][0]", "steps[1].messages[0].body"]:
        assert f"{field} <img src=x onerror=" in guided, field
    assert nothing_ran(page)
    for _ in range(2):
        page.locator("[data-guided-next]").click()
    page.locator("#guided-notes").wait_for()
    notes = page.locator("#guided-notes").input_value()
    assert "steps[0].title <img src=x" in notes and nothing_ran(page)
    page.locator("[data-guided-restart]").click()
    page.keyboard.press("2")  # hands off to the escalation SOP, carrying the path taken
    page.wait_for_url("**/sops/escalation/#guided")
    assert "steps[0].title <img src=x" in page.locator(".sopkb-guided__path").inner_text()
    assert nothing_ran(page)


def test_guided_starts_calls_waits_and_external_procedures_run_nothing(hw, hostile_site):
    page = hw.page
    page.clock.install()
    page.goto(hostile_site.url + "sops/refund/#guided=check")
    page.locator("#guided-current").wait_for()
    card = page.locator(".sopkb-guided__step").inner_text()
    for field in ("steps[1].actor", "steps[1].wait.until", "steps[1].limit.what"):
        assert f"{field} <img src=x" in card, field
    page.locator("[data-timer-toggle]").click()
    page.clock.run_for(31_000)
    page.locator("[data-guided-timeout]").click()
    assert nothing_ran(page)
    page.goto(hostile_site.url + "sops/policy/")
    page.locator("[data-guided-start]").click()
    assert "1. starts[0].when <img src=x" in page.locator("[data-guided-situation]").first.inner_text()
    page.keyboard.press("2")
    page.locator("[data-guided-next]").click()  # the external procedure: its title and address as text
    external = page.locator(".sopkb-guided__external")
    assert "external[0].title <img src=x" in external.inner_text()
    assert external.locator("a").get_attribute("href") == HOSTILE_URL
    page.locator("[data-guided-restart]").click()
    page.keyboard.press("1")
    page.locator("[data-guided-call]").click()  # into the escalation SOP, called from the policy
    page.wait_for_url("**/sops/escalation/#guided")
    assert "called from title <img src=x" in page.locator("[data-guided-called]").inner_text()
    assert nothing_ran(page)


def test_guided_step_from_the_address_is_data_not_a_lookup(hw, hostile_site):
    page = hw.page
    for step in ("constructor", "__proto__", "tostring", "no-such-step"):
        page.goto(f"{hostile_site.url}sops/refund/#guided={step}")
        page.locator("#guided-current").wait_for()
        assert (
            page.locator("#guided-current").inner_text().startswith("Step steps[0].number <img")
        )  # the start
        assert hw.console_errors == []


def test_search_shows_markup_as_text(hw, hostile_site):
    page = hw.page
    page.goto(hostile_site.url)
    for query in ("onerror", "script window", "img src", "constructor", "__proto__ tostring"):
        page.locator(".md-search__input").fill("")
        page.locator(".md-search__input").click()
        page.keyboard.type(query)
        page.wait_for_timeout(250)
        assert nothing_ran(page), query
    page.locator(".md-search__input").fill("")
    page.keyboard.type("onerror")
    page.locator(".md-search-result__item").first.wait_for()
    assert "<img src=x" in page.locator(".md-search-result__list").inner_text()
    assert hw.console_errors == []


HOSTILE_NAME = '<img src=x onerror="window.__xss=9">\u202eAna\x1b[2J'


def test_a_hostile_learner_name_is_text_everywhere(hw, hostile_site):
    page = hw.page
    site = hostile_site.url
    page.goto(f"{site}learning/")
    set_learner(page, HOSTILE_NAME)
    sign(page, f"{site}sops/refund/")
    assert HOSTILE_NAME in page.locator("[data-signoff-status]").inner_text()
    for path in ("learning/", "paths/", "paths/billing-basics/", "sops/policy/", "learning/assignment/"):
        page.goto(site + path)
        assert page.locator("[data-learner-box] strong").first.inner_text() == HOSTILE_NAME
        assert nothing_ran(page), path
    page.goto(f"{site}quizzes/refund-basics/")  # a result saved under the name, shown on the listing
    answer(page, right=True)
    submit_by_keyboard(page)
    page.goto(f"{site}quizzes/")
    assert page.locator('[data-quiz-id="refund-basics"] [data-quiz-state]').inner_text().startswith("Passed")
    assert nothing_ran(page)


def link(site: str, spec: object, raw: str | None = None) -> str:
    data = raw if raw is not None else json.dumps(spec)
    encoded = base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")
    return f"{site}learning/assignment/#a={encoded}"


def spec(**fields: object) -> dict:
    return {"v": 1, "title": "T", "cohort": None, "due": None, "trainer": None, "path": "billing-basics",
            "quizzes": [], "created": "2026-11-20", **fields}  # fmt: skip


def test_every_field_of_an_assignment_link_is_text(hw, hostile_site):
    page = hw.page
    site = hostile_site.url
    page.goto(f"{site}learning/")
    set_learner(page, "Ana")
    hostile = spec(title="title " + XSS_SHORT, cohort="cohort " + XSS_SHORT[:90], trainer="trainer " + XSS_SHORT[:80],
                   due="2026-12-01", quizzes=["refund-basics", "constructor"])  # fmt: skip
    page.goto(link(site, hostile))
    page.locator("[data-assignment-summary]").wait_for()
    assert page.locator("[data-assignment-title]").inner_text() == hostile["title"]
    meta = page.locator("[data-assignment-meta]").inner_text()
    assert hostile["cohort"] in meta and hostile["trainer"] in meta
    items = page.locator("[data-assignment-item]").evaluate_all(
        "els => els.map(e => e.dataset.assignmentItem)"
    )
    assert items[-1] == "quiz:constructor"  # a quiz id like a prototype key is just a missing quiz
    assert "No longer on this site" in page.locator('[data-assignment-item="quiz:constructor"]').inner_text()
    assert nothing_ran(page)
    assert hw.console_errors == [
        "Failed to load resource: the server responded with a status of 404 (File not found)"
    ]
    hw.console_errors.clear()  # that 404 is how a quiz no longer on the site is recognised
    page.goto(f"{site}learning/")  # the saved assignment is listed from storage, as text
    assert page.locator("[data-my-assignment]").inner_text().startswith(hostile["title"])
    assert nothing_ran(page)


@pytest.mark.parametrize(
    ("label", "make", "message"),
    [
        ("markup in the path id", lambda s: link(s, spec(path="<img src=x onerror=alert(1)>")), "damaged"),
        (
            "a prototype key",
            lambda s: link(
                s, None, raw='{"v":1,"title":"T","quizzes":["refund-basics"],"__proto__":{"polluted":1}}'
            ),
            "damaged",
        ),
        ("constructor key", lambda s: link(s, spec(constructor="x")), "damaged"),
        ("an unknown field", lambda s: link(s, spec(extra=1)), "damaged"),
        ("a number for the title", lambda s: link(s, spec(title=42)), "damaged"),
        ("a list, not a mapping", lambda s: link(s, ["refund-basics"]), "damaged"),
        ("not JSON", lambda s: link(s, None, raw="{nope"), "damaged"),
        (
            "not UTF-8",
            lambda s: (
                s + "learning/assignment/#a=" + base64.urlsafe_b64encode(b'{"v":1,"title":"\xff"}').decode()
            ),
            "damaged",
        ),
        ("an id that is not an id", lambda s: link(s, spec(quizzes=["../../etc/passwd"])), "damaged"),
        ("a date that is not a date", lambda s: link(s, spec(due="<b>soon</b>")), "damaged"),
        ("a date that does not exist", lambda s: link(s, spec(due="9999-99-99")), "damaged"),
        ("the 30th of February", lambda s: link(s, spec(created="2026-02-30")), "damaged"),
        ("markup in the creation date", lambda s: link(s, spec(created=XSS_SHORT)), "damaged"),
        ("a format version from the future", lambda s: link(s, spec(v=2)), "damaged"),
        ("a title of 10,000 characters", lambda s: link(s, spec(title="x" * 10_000)), "damaged"),
        ("50,000 quizzes", lambda s: link(s, spec(quizzes=[f"q-{i}" for i in range(50_000)])), "too long"),
        ("201 quizzes", lambda s: link(s, spec(quizzes=[f"q{i}" for i in range(201)])), "at most 200"),
    ],
)
def test_a_broken_or_crafted_assignment_link_is_a_message_never_a_hang(
    hw, hostile_site, label, make, message
):
    page = hw.page
    fetches = []
    page.on("request", lambda r: fetches.append(r.url) if "/learning/data/" in r.url else None)
    page.goto(make(hostile_site.url))
    alert = page.locator("[data-assignment-body] [role=alert]")
    alert.wait_for(timeout=5000)
    assert message in alert.inner_text(), label
    assert fetches == [], label  # nothing was fetched for a link that was refused
    assert page.evaluate("({}).polluted") is None and nothing_ran(page)
    page.goto(make(hostile_site.url).replace("/assignment/", "/certificate/"))
    page.locator("[data-certificate-body] [role=alert]").wait_for(timeout=5000)


def test_the_policy_stops_what_a_slip_would_let_in(hw, hostile_site):
    """Defence in depth: even markup put into the page by a script does not run."""
    page = hw.page
    page.goto(hostile_site.url + "sops/refund/")
    page.evaluate(
        """() => {
      const box = document.createElement('div');
      box.innerHTML = '<img src=x onerror="window.__xss=1"><a href="javascript:window.__xss=2">x</a>';
      document.body.appendChild(box);
      const s = document.createElement('script'); s.textContent = 'window.__xss = 3'; document.body.appendChild(s);
      box.querySelector('a').click();
    }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert len(hw.csp_violations) >= 2  # the handler and the script were blocked, and reported
    blocked = [e for e in hw.console_errors if "Content Security Policy" in e]
    assert blocked and all("Content Security Policy" in e or "404" in e for e in hw.console_errors)
    hw.csp_violations.clear()  # expected here; anywhere else a violation fails the test
    hw.console_errors.clear()  # the blocks above, and the 404 of the injected image's address
    page.evaluate("document.querySelectorAll('img[src=x]').forEach(e => e.parentNode.remove())")


def test_marked_text_names_its_field():
    assert marked("steps[0].title").startswith("steps[0].title <img src=x onerror=")


def test_a_roster_of_hostile_receipts_runs_nothing(browser, tmp_path):
    """The trainer opens the report from disk: every receipt field in it stays text."""
    import subprocess
    import sys

    from tests.unit.receipts.test_report import KB, hostile_receipt

    receipt = tmp_path / "hostile.json"
    receipt.write_text(json.dumps(hostile_receipt(), ensure_ascii=False))
    out = tmp_path / "out"
    subprocess.run([sys.executable, "-m", "sopkb.cli", "-C", str(KB), "report", str(receipt), "--output", str(out)],
                   check=True, capture_output=True)  # fmt: skip
    roster = (out / "roster.html").as_uri()
    w = open_watched(browser, roster)
    w.page.goto(roster)
    text = w.page.locator("main").inner_text()
    assert "learner <img src=x" in text and "cohort <img src=x" in text
    assert nothing_ran(w.page) and w.dialogs == [] and w.off_origin == []
    w.page.context.close()


DOCS_PAGE = """---
title: '<script>window.__xss="title"</script>Notes'
description: '"><script>window.__xss="description"</script>'
---

# Notes

<!-- <meta http-equiv="Content-Security-Policy" content="script-src *"> -->
<script>window.__xss = "inline"</script>
<img src=x onerror="window.__xss='handler'">
<a href="javascript:window.__xss='link'" id="js-link">a link</a>
"""


def test_no_inline_script_runs_whoever_wrote_it_and_the_themes_own_still_work(browser, tmp_path):
    """A hand-written docs/ page may hold raw HTML (MkDocs allows it) and front matter that a theme
    template prints unescaped: the policy allows no inline script at all, so none of it runs, and
    it cannot be switched off by a page mentioning a policy of its own. Material's own scripts,
    loaded from files, still work (the colour scheme a reader picks is kept across pages)."""
    import shutil

    kb = tmp_path / "kb"
    shutil.copytree(FIXTURES / "kb-small", kb)
    (kb / "docs" / "notes.md").write_text(DOCS_PAGE)
    (kb / "mkdocs.yml").write_text(
        (kb / "mkdocs.yml")
        .read_text()
        .replace(
            "theme:\n",
            "theme:\n  palette:\n    - scheme: default\n      toggle: {icon: material/brightness-7, name: Dark}\n    - scheme: slate\n      toggle: {icon: material/brightness-4, name: Light}\n",
            1,
        )
    )
    build_site(kb, kb / "site")
    for html in (kb / "site").rglob("*.html"):
        text = html.read_text()
        assert text.count('http-equiv="Content-Security-Policy"') >= 1
        assert "script-src 'self';" in text and "sha256" not in text, html
    server, served = serve(kb / "site", kb)
    try:
        w = open_watched(browser, served.url.rstrip("/"))
        page = w.page
        page.goto(served.url + "notes/")
        page.locator("#js-link").click()
        page.wait_for_timeout(200)
        assert page.evaluate("typeof window.__xss") == "undefined"
        assert {v.split(" ")[0] for v in w.csp_violations} >= {"script-src-elem", "script-src-attr"}
        w.csp_violations.clear()  # each blocked as it should be; any other violation fails the test
        w.console_errors.clear()
        page.goto(served.url)
        page.locator("label[title='Dark']").first.click()
        page.goto(served.url + "sops/refund/")
        assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"  # __md_get/__md_set
        assert w.console_errors == [] and w.csp_violations == []
        w.page.context.close()
    finally:
        server.shutdown()
