"""The browser code never hands text to an API that parses HTML, except the one marked place.

Author, learner, trainer and receipt text reaches the page's scripts from fields, the address,
storage and files; all of it must go in as text. The only HTML the scripts turn into DOM is what
the build rendered (safe Markdown), through `setBuiltHtml` in sopkb.js, and each call of it is
listed here with where its HTML comes from, so a new one is a reviewed decision.
"""

from __future__ import annotations

import re
from pathlib import Path

ASSETS = Path(__file__).resolve().parents[1] / "site_templates" / "theme" / "assets" / "sopkb"
HTML_SINKS = re.compile(
    r"\.innerHTML\s*[+]?=|\.outerHTML\s*[+]?=|insertAdjacentHTML|DOMParser|createContextualFragment"
    r"|document\.write|\.srcdoc\b|\bnew Function\b|\beval\s*\(|setTimeout\(\s*[\"']|setHTMLUnsafe|parseHTMLUnsafe"
)
BUILT_HTML_CALLS = {
    # built(): a question's feedback and explanation, from the quiz's answer key in the page
    (
        "quiz.js",
        "function built(tag, className, html) { return window.sopkb.setBuiltHtml(el(tag, className), html); }",
    ),
    # htmlList(): a step's do/ask/verify/say lists, from the guided-call data in the page
    (
        "guided.js",
        'items.forEach(function (html) { ul.appendChild(window.sopkb.setBuiltHtml(el("li"), html)); });',
    ),
}


def scripts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(ASSETS.glob("*.js"))}


def test_the_only_html_sink_is_setBuiltHtml():
    found = [
        (name, n, line.strip())
        for name, text in scripts().items()
        for n, line in enumerate(text.splitlines(), 1)
        if HTML_SINKS.search(line)
    ]
    assert found == [("sopkb.js", found[0][1], "element.innerHTML = html;")], found


def test_every_setBuiltHtml_call_is_a_reviewed_one():
    calls = {
        (name, line.strip())
        for name, text in scripts().items()
        for line in text.splitlines()
        if "setBuiltHtml(" in line and "function setBuiltHtml" not in line and name != "sopkb.js"
    }
    assert calls == BUILT_HTML_CALLS


def test_the_built_html_callers_take_it_from_the_pages_own_data():
    """quiz.js and guided.js parse their data from elements the build wrote into the page."""
    text = scripts()
    assert 'JSON.parse(form.querySelector(".sopkb-quiz-key").textContent)' in text["quiz.js"]
    assert 'JSON.parse(section.querySelector(".sopkb-guided-data").textContent)' in text["guided.js"]


def test_the_scan_finds_each_kind_of_sink():
    """The pattern above is what the first test relies on: it must recognise every sink."""
    for line in [
        "box.innerHTML = text;",
        "box.innerHTML += text;",
        "a.outerHTML = b;",
        "el.insertAdjacentHTML('beforeend', x);",
        "new DOMParser().parseFromString(x, 'text/html');",
        "range.createContextualFragment(x);",
        "document.write(x);",
        "frame.srcdoc = x;",
        "new Function(x)();",
        "eval(x);",
        "setTimeout('go()', 1);",
        "el.setHTMLUnsafe(x);",
    ]:
        assert HTML_SINKS.search(line), line
    for line in ["box.textContent = text;", "var innerHTMLish = 1;", "el.value = x;"]:
        assert not HTML_SINKS.search(line), line
