"""Agent search through the site's real search box, in Chromium: relevance, keyboard, results."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from sopkb.domain.project import Project
from sopkb.pipeline import load_knowledge_base
from sopkb.text.words import fnv1a, stem, words

from .conftest import REPO, axe_violations, open_watched

pytestmark = pytest.mark.browser
QUERIES = yaml.safe_load((REPO / "tests" / "search" / "agent_queries.yaml").read_text())
RESULTS = "#sopkb-search-results"


def search(page, query: str, shortcut: str = "/") -> list[str]:  # noqa: ANN001
    """Type `query` as an agent does (shortcut, clear, type); the SOP ids shown, best first."""
    page.keyboard.press(shortcut)
    page.keyboard.press("Control+a")
    page.keyboard.press("Backspace")
    page.keyboard.type(query)
    page.wait_for_function(  # the final ranking, not the first one shown while a pair is fetched
        """q => { const list = document.getElementById('sopkb-search-results');
                  return list.getAttribute('data-query') === q && list.getAttribute('aria-busy') === 'false'; }""",
        arg=query,
    )
    return page.eval_on_selector_all(
        f"{RESULTS} a", "links => links.map(a => a.pathname.split('/').filter(Boolean).pop())"
    )


def test_relevance_of_agent_queries(watched, site):
    """The issue's targets: the right SOP first for ≥ 95% of queries, in the top 3 for all."""
    page = watched.page
    page.goto(site.url)
    total = len([q for qs in QUERIES.values() for q in qs])
    first, top3, misses = 0, 0, []
    for sop_id, queries in QUERIES.items():
        for query in queries:
            shown = search(page, query)
            rank = shown.index(sop_id) + 1 if sop_id in shown else None
            first += rank == 1
            top3 += rank is not None and rank <= 3
            if rank != 1:
                misses.append((query, sop_id, rank))
            page.keyboard.press("Escape")
    print(
        f"\nrelevance: {first}/{total} first ({first / total:.0%}), {top3}/{total} in the top 3; misses {misses}"
    )
    assert total >= 40 and set(QUERIES) == {e.sop.id for e in load_knowledge_base(Project.at(REPO)).sops}
    assert first / total >= 0.95, misses
    assert top3 == total, misses
    assert watched.console_errors == [] and watched.off_origin == []


def test_the_query_set_is_in_the_customers_words_not_the_sops():
    """Many queries use a word found nowhere in the SOP's text (its procedure, scripts, title and
    summary): they must be found through its keywords, synonyms, stemming and typo correction.
    Some use a word absent even from the keywords."""
    kb = load_knowledge_base(Project.at(REPO))

    def strangers(text: str, queries: list[str]) -> list[str]:
        known = set(words(text)) | {stem(w) for w in words(text)}
        return [q for q in queries if any(w not in known and stem(w) not in known for w in words(q))]

    not_in_text, not_even_in_keywords = [], []
    for sop_id, queries in QUERIES.items():
        entry = kb.by_id[sop_id]
        data = yaml.safe_load(entry.source.read_text(encoding="utf-8"))
        keywords = " ".join(data.pop("keywords"))
        text = json.dumps(data, default=str)
        not_in_text += strangers(text, queries)
        not_even_in_keywords += strangers(text + " " + keywords, queries)
    total = sum(len(q) for q in QUERIES.values())
    print(
        f"\n{len(not_in_text)}/{total} queries use a word absent from their SOP's text; "
        f"{len(not_even_in_keywords)} a word absent even from its keywords: {not_even_in_keywords}"
    )
    assert len(not_in_text) >= total / 2
    assert len(not_even_in_keywords) >= 15


def test_python_and_browser_agree_on_words(watched, site):
    """An index term the browser cannot reproduce from what the agent types is never found."""
    page = watched.page
    page.goto(site.url)
    text = " ".join(p.read_text(encoding="utf-8") for p in (REPO / "sops").rglob("*.yaml"))
    text += " Café naïve résumé didn’t O'Brien 2nd 24/7 ﬁle İstanbul straße ½ x² re-delivery"
    expected = {w: stem(w) for w in words(text)}
    module = f"{site.url}assets/sopkb/pure/search-text.js"  # the module search.js uses
    actual = page.evaluate(
        """async ([m, text]) => { const s = await import(m), out = {};
                     s.words(text).forEach(w => { out[w] = s.stem(w); }); return out; }""",
        [module, text],
    )
    assert actual == expected
    assert len(expected) > 500
    sample = list(expected)[:200] + ["porch pirat", "straße über", "wher is"]
    hashes = page.evaluate(
        "async ([m, terms]) => { const s = await import(m); return terms.map(t => s.fnv1a(t)); }",
        [module, sample],
    )
    assert hashes == [fnv1a(t) for t in sample]


@pytest.mark.parametrize(
    ("query", "sop_id"),
    [
        ("pakage stolen", "lost-or-stolen-package"),  # a letter missing
        ("trakcing number", "tracking-number-not-on-shiptrack"),  # two letters swapped
        ("supervsior", "leadership-request"),  # a long word, two slips
        ("driver didnt knock", "missed-delivery-customer-home"),
        ("driver didn't knock", "missed-delivery-customer-home"),
        ("mgr", "leadership-request"),
        ("porch pir", "lost-or-stolen-package"),  # still typing
        ("PORCH PIRATES", "lost-or-stolen-package"),  # capitals, plural
    ],
)
def test_typos_variants_and_half_typed_words(watched, site, query, sop_id):
    page = watched.page
    page.goto(site.url)
    assert search(page, query)[0] == sop_id


def test_results_show_summary_and_mark_the_words_found(watched, site):
    page = watched.page
    page.goto(site.url + "sops/customer-service-standards/")
    search(page, "porch pirate")
    first = page.locator(f"{RESULTS} li").first
    kb = load_knowledge_base(Project.at(REPO))
    sop = kb.by_id["lost-or-stolen-package"].sop
    assert first.locator("h1").inner_text() == sop.title
    assert first.locator("p").first.inner_text() == sop.summary
    assert first.locator(".sopkb-search-category").inner_text() == sop.category
    assert "stolen" in first.locator("h1 mark").all_inner_texts()  # a synonym of 'pirate'
    meta = page.locator("#sopkb-search-meta").inner_text()
    assert re.match(r"\d+ SOPs? match", meta)


def test_the_count_is_of_the_sops_matching_every_word(watched, site):
    """"N SOPs match" counts what has every word typed: the SOPs matching only some of them are
    listed below, but counted apart (before, a two-word query "matched" nearly every SOP)."""
    page = watched.page
    page.goto(site.url)
    kb = load_knowledge_base(Project.at(REPO))
    with_porch = [e.id for e in kb.sops if "porch" in e.source.read_text(encoding="utf-8").lower()]
    shown = search(page, "porch delivery")
    assert with_porch == ["lost-or-stolen-package"] and shown[0] == "lost-or-stolen-package"
    assert len(shown) > 2  # "delivery" alone is in most SOPs
    meta = page.locator("#sopkb-search-meta").inner_text()
    assert meta == f"1 SOP matches all the words; {len(shown) - 1} more match some of them. Enter opens the first."
    page.wait_for_function(
        "() => document.getElementById('sopkb-live').textContent.startsWith('1 SOP matches all the words;')"
    )
    shown = search(page, "xylophone porch")
    assert shown == ["lost-or-stolen-package"]
    assert page.locator("#sopkb-search-meta").inner_text().startswith(
        "No SOP matches all the words; 1 matches some of them."
    )
    shown = search(page, "delivery")  # one word: every SOP listed has it
    assert page.locator("#sopkb-search-meta").inner_text() == f"{len(shown)} SOPs match. Enter opens the first."


def test_keyboard_only_from_any_page(watched, site):
    page = watched.page
    page.goto(site.url + "sops/tracking-number-not-on-shiptrack/")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "sopkb-search-input"
    page.keyboard.type("wants a manager")
    page.wait_for_function(
        "() => document.getElementById('sopkb-search-results').getAttribute('data-query') === 'wants a manager'"
    )
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('md-search-result__link')")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "sopkb-search-input"
    page.keyboard.press("Enter")  # opens the top result
    page.wait_for_url("**/sops/leadership-request/")
    assert page.locator("h1").first.inner_text().startswith("Leadership request")
    page.keyboard.press("s")  # Material's other search key works too
    assert page.evaluate("document.activeElement.id") == "sopkb-search-input"
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.id") != "sopkb-search-input"
    assert watched.console_errors == [] and watched.off_origin == []


def test_shortcut_keys_leave_form_fields_alone(watched, site):
    page = watched.page
    page.goto(site.url + "quizzes/")
    page.locator("main a[href*='quizzes/']").first.click()
    choice = page.locator("form[data-quiz-form] input").first
    choice.focus()
    for key in ("/", "s", "f"):
        page.keyboard.press(key)
        assert page.evaluate("document.activeElement.tagName") == "INPUT"
        assert page.evaluate("document.activeElement.id") != "sopkb-search-input"


def test_enter_before_results_arrive_still_opens_the_top_result(watched, site):
    page = watched.page
    page.goto(site.url)
    page.keyboard.press("/")
    page.keyboard.insert_text("porch pirate")  # one input event, then Enter at once
    page.keyboard.press("Enter")
    page.wait_for_url("**/sops/lost-or-stolen-package/")


def test_no_match_says_so_and_announces_it(watched, site):
    page = watched.page
    page.goto(site.url)
    assert search(page, "xylophone quartz") == []
    message = page.locator("#sopkb-search-meta").inner_text()
    assert message.startswith("No SOP matches “xylophone quartz”")
    page.wait_for_function(
        "() => document.getElementById('sopkb-live').textContent.startsWith('No SOP matches')"
    )


def test_query_in_the_address_opens_with_results(watched, site):
    page = watched.page
    page.goto(site.url + "?q=wants+a+manager")
    page.wait_for_function("() => document.getElementById('sopkb-search-results').getAttribute('data-query')")
    assert page.locator(f"{RESULTS} a").first.get_attribute("href").endswith("/sops/leadership-request/")


def test_a_page_load_fetches_only_the_manifest(watched, site):
    """Nothing of the index but its small manifest is fetched until the agent types."""
    page = watched.page
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if "/search-index/" in r.url else None)
    page.goto(site.url + "sops/lost-or-stolen-package/")
    page.wait_for_load_state("networkidle")
    assert [u.split("/search-index/")[1] for u in fetched] == ["manifest.json"]
    search(page, "porch pirate")
    parts = {u.split("/search-index/")[1].split("/")[0] for u in fetched}
    assert parts == {"manifest.json", "t", "p", "d"}  # word shards, a word-pair file, result buckets


def test_rebuilt_index_is_never_mixed_with_a_cached_one(watched, site):
    """Every index file is fetched with the build's hash, so a browser cache cannot mix builds."""
    page = watched.page
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if "/search-index/" in r.url else None)
    page.goto(site.url)
    search(page, "porch pirate")
    build = json.loads((site.root / "search-index" / "manifest.json").read_text())["build"]
    assert all(u.endswith(f"?v={build}") for u in fetched if "manifest.json" not in u)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_open_with_results_is_accessible(browser, site, scheme):
    w = open_watched(
        browser, site.url.rstrip("/"), color_scheme=scheme, viewport={"width": 1366, "height": 768}
    )
    page = w.page
    page.goto(site.url + "sops/lost-or-stolen-package/")
    search(page, "porch pirate")
    results = axe_violations(page)
    serious = [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in results
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
    assert page.locator(f"{RESULTS} a").first.is_visible()
    w.page.context.close()


def _close_search_label(page):  # noqa: ANN001, ANN202
    """The label that closes search: its magnifier, back arrow and hidden name, with their boxes."""
    return page.evaluate(
        """() => { const label = document.querySelector('.md-search__form label[for=__search]');
                   const box = (e) => { const r = e.getBoundingClientRect();
                                        return {x: r.x, y: r.y, w: r.width, h: r.height, shown: e.checkVisibility()}; };
                   const form = label.closest('form');
                   return {form: box(form), parts: Array.from(label.children).map(e => [e.tagName.toLowerCase(), box(e)])}; }"""
    )


@pytest.mark.parametrize("opened", [False, True])
def test_no_stray_back_arrow_under_the_search_box_on_a_laptop(browser, site, opened):
    """At 1366 x 768 the close-search back arrow (a phone's control) showed under the search box,
    with its name "Close search" beside it: only the magnifier shows, inside the box."""
    w = open_watched(browser, site.url.rstrip("/"), viewport={"width": 1366, "height": 768})
    page = w.page
    page.goto(site.url + "sops/lost-or-stolen-package/")
    if opened:
        search(page, "porch pirate")
    label = _close_search_label(page)
    kinds = [kind for kind, _ in label["parts"]]
    assert kinds == ["svg", "svg", "span"]  # magnifier, arrow, name
    (_, magnifier), (_, arrow), (_, name) = label["parts"]
    assert magnifier["shown"] and not arrow["shown"]
    assert name["w"] <= 1 and name["h"] <= 1  # read by screen readers, never seen
    form = label["form"]
    assert form["y"] <= magnifier["y"] and magnifier["y"] + magnifier["h"] <= form["y"] + form["h"]
    live = page.locator("#sopkb-live")
    if opened:  # the polite live region is off-screen too
        assert live.bounding_box()["width"] <= 1
    w.page.context.close()


def test_search_is_usable_on_a_phone(browser, site):
    w = open_watched(browser, site.url.rstrip("/"), viewport={"width": 390, "height": 844}, has_touch=True)
    page = w.page
    page.goto(site.url)
    page.locator("label.md-header__button[for=__search]").click()
    assert page.evaluate("document.activeElement.id") == "sopkb-search-input"
    page.keyboard.type("porch pirate")
    link = page.locator(f"{RESULTS} a").first
    link.wait_for()
    assert link.is_visible()
    (_, magnifier), (_, arrow), (_, name) = _close_search_label(page)["parts"]
    assert arrow["shown"] and not magnifier["shown"] and round(name["w"], 3) <= 1  # the phone's way back (1 px, hidden; layout floats can add 1e-6)
    link.click()
    page.wait_for_url("**/sops/lost-or-stolen-package/")
    w.page.context.close()


def test_search_works_after_instant_navigation(instant_site):
    served, w = instant_site
    page = w.page
    page.goto(served.url)
    page.evaluate("window.__noReload = true")
    page.locator(".md-content a[href*='categories/']").first.click()
    page.wait_for_url("**/categories/**")
    assert page.evaluate("window.__noReload === true")
    shown = search(page, "refund")
    assert shown and shown[0] == "refund"
    page.keyboard.press("Enter")
    page.wait_for_url("**/sops/refund/")
    assert w.console_errors == [] and w.off_origin == []


def test_search_index_of_the_small_kb_finds_its_own_sops(small_site, browser):
    w = open_watched(browser, small_site.url.rstrip("/"))
    page = w.page
    page.goto(small_site.url)
    kb = load_knowledge_base(Project.at(Path(small_site.kb_dir)))
    for entry in kb.sops:
        assert search(page, entry.sop.title)[0] == entry.id
    w.page.context.close()


def test_a_late_answer_to_an_older_query_never_leaves_the_results_busy(watched, site):
    """Fast typing: an older search whose index files arrive after the newest search has finished
    must not mark the results busy again (screen readers would hear "busy" for good)."""
    page = watched.page
    # hold back the index files of words starting with "p" (the older query) for 1.5 s
    page.add_init_script(
        """(() => { const fetch0 = window.fetch;
          window.fetch = (url, options) => /\\/search-index\\/t\\/p/.test(String(url))
            ? new Promise(done => setTimeout(done, 1500)).then(() => fetch0(url, options))
            : fetch0(url, options); })();"""
    )
    page.goto(site.url)
    page.keyboard.press("/")
    page.keyboard.type("porch pirate")  # a word pair, so its search has a second stage
    page.keyboard.press("Control+a")
    page.keyboard.type("wants a manager")
    page.wait_for_function(
        "() => document.getElementById('sopkb-search-results').getAttribute('data-query') === 'wants a manager'"
    )
    page.wait_for_timeout(2500)  # the held-back files have arrived and the older search has finished
    results = page.locator("#sopkb-search-results")
    assert (results.get_attribute("data-query"), results.get_attribute("aria-busy")) == (
        "wants a manager",
        "false",
    )
    assert watched.console_errors == []
