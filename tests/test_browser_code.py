"""The browser code never hands text to an API that parses HTML, except the one marked place.

Author, learner, trainer and receipt text reaches the page's scripts from fields, the address,
storage and files; all of it must go in as text. The only HTML the scripts turn into DOM is what
the build rendered (safe Markdown), through `setBuiltHtml` in core.js, and each call of it is
listed here with where its HTML comes from, so a new one is a reviewed decision. Every script
under assets/sopkb is scanned, modules in subfolders and Material's moved inline scripts too.
"""

from __future__ import annotations

import re
from pathlib import Path

ASSETS = Path(__file__).resolve().parents[1] / "site_templates" / "theme" / "assets" / "sopkb"
HTML_SINKS = re.compile(
    r"\.innerHTML\s*[+]?=|\.outerHTML\s*[+]?=|insertAdjacentHTML|DOMParser|createContextualFragment"
    r"|document\.write|\.srcdoc\b|\bnew Function\b|\beval\s*\(|setTimeout\(\s*[\"']|setHTMLUnsafe|parseHTMLUnsafe"
)
SINK_MODULE = "core.js"
BUILT_HTML_CALLS = {
    # built(): a question's feedback and explanation, from the quiz's answer key in the page
    (
        "quiz.js",
        "function built(tag, className, html) { return setBuiltHtml(el(tag, { class: className }), html); }",
    ),
    # htmlList(): a step's do/ask/verify/say lists, from the guided-call data in the page
    (
        "guided-parts.js",
        'return el("ul", {}, ...items.map((html) => setBuiltHtml(el("li"), html)));',
    ),
    # what changed since the version a learner signed, or an earlier version on the page's list: from the
    # SOP's file of changes, rendered by the build with author text escaped (render/history.py sop_data,
    # the `diff_list` macro of _history.html.j2), fetched by changes-since.js
    ("signoff.js", "setBuiltHtml(changes, html);"),
    ("earlier-versions.js", "setBuiltHtml(area, html);"),
}
IMPORTS_OF_THE_SINK = re.compile(r'^import \{ (?:[\w$]+, )*setBuiltHtml(?:, [\w$]+)* \} from "\./core\.js";$')


def scripts() -> dict[str, str]:
    """Every script under assets/sopkb, by its path there (`pure/checksum.js`)."""
    return {
        p.relative_to(ASSETS).as_posix(): p.read_text(encoding="utf-8") for p in sorted(ASSETS.rglob("*.js"))
    }


def test_every_script_is_scanned():
    names = set(scripts())
    assert {"sopkb.js", "core.js", "quiz.js", "guided.js", "search.js", "pure/checksum.js"} <= names
    assert any(name.startswith("material/") for name in names)


def test_the_only_html_sink_is_setBuiltHtml():
    found = [
        (name, n, line.strip())
        for name, text in scripts().items()
        for n, line in enumerate(text.splitlines(), 1)
        if HTML_SINKS.search(line)
    ]
    assert found == [(SINK_MODULE, found[0][1], "element.innerHTML = html;")], found
    assert "export function setBuiltHtml(element, html) {" in scripts()[SINK_MODULE]


def test_every_setBuiltHtml_call_is_a_reviewed_one():
    calls = {
        (name, line.strip())
        for name, text in scripts().items()
        for line in text.splitlines()
        if "setBuiltHtml(" in line and "function setBuiltHtml" not in line and name != SINK_MODULE
    }
    assert calls == BUILT_HTML_CALLS


def test_setBuiltHtml_reaches_other_modules_only_by_its_own_name():
    """An alias, a re-export or a hand-over of the function would hide its calls from the test above."""
    mentions = [
        (name, line.strip())
        for name, text in scripts().items()
        for line in text.splitlines()
        if "setBuiltHtml" in line and name != SINK_MODULE
    ]
    unreviewed = [m for m in mentions if m not in BUILT_HTML_CALLS and not IMPORTS_OF_THE_SINK.match(m[1])]
    assert unreviewed == []
    assert {name for name, line in mentions if IMPORTS_OF_THE_SINK.match(line)} == {
        "quiz.js",
        "guided-parts.js",
        "signoff.js",
        "earlier-versions.js",
    }
    assert not [m for m in mentions if re.search(r"setBuiltHtml\s+as\b", m[1])]


def test_no_script_shares_state_through_a_global():
    """Modules share code by import; nothing hangs off window for another script to change."""
    found = [
        (name, line.strip())
        for name, text in scripts().items()
        if not name.startswith("material/")
        for line in text.splitlines()
        if re.search(r"\bwindow\.sopkb|\bwindow\.[A-Za-z_$][\w$]*\s*=[^=]", line)
    ]
    assert found == []


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


def test_the_import_rule_recognises_only_a_plain_import():
    assert IMPORTS_OF_THE_SINK.match('import { announce, el, setBuiltHtml } from "./core.js";')
    for line in [
        'import { setBuiltHtml as put } from "./core.js";',
        'import { setBuiltHtml } from "./elsewhere.js";',
        'export { setBuiltHtml } from "./core.js";',
    ]:
        assert not IMPORTS_OF_THE_SINK.match(line), line
