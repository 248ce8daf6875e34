"""Author text to HTML: Markdown formatting yes, raw HTML never.

markdown-it-py (CommonMark) with `html` off escapes any tag an author types, and its link
validator already refuses `javascript:`-style URLs. Python-Markdown, which MkDocs uses for page
bodies, has no such switch, so author text never reaches it: pages embed the HTML made here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markupsafe import Markup, escape

PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
_MARKDOWN_SYNTAX = re.compile(r"[*_`\[\]<>&\\!{}#|~]|^\s*(?:[-+>]|\d+[.)])\s|\n")
_OFF_ORIGIN = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


def _placeholders(html_text: str) -> str:
    return PLACEHOLDER.sub(lambda m: f'<span class="sopkb-ph">{m.group(0)}</span>', html_text)


def _render_text(self, tokens, idx, options, env) -> str:  # noqa: ANN001 - markdown-it rule signature
    return _placeholders(escapeHtml(tokens[idx].content))


def _render_image(self, tokens, idx, options, env) -> str:  # noqa: ANN001
    """Only same-origin images: a remote image would be a request off the site's origin."""
    token = tokens[idx]
    src = token.attrGet("src") or ""
    alt = self.renderInlineAsText(token.children or [], options, env)
    if _OFF_ORIGIN.match(str(src)):
        return f'<span class="sopkb-blocked-image">[image not shown: {escapeHtml(alt)}]</span>'
    return f'<img src="{escapeHtml(str(src))}" alt="{escapeHtml(alt)}" loading="lazy">'


EXTERNAL_LINK = "ext:"
EXTERNAL_ANCHOR = "ext-"
"""`[Billing SOP](ext:billing)` names a procedure outside the KB listed in the SOP's `external`: the
link goes to its entry in the page's list (`#ext-billing`), which says where it is; leaving the
site is the reader's choice there, never a link's."""


def _render_link_open(self, tokens, idx, options, env) -> str:  # noqa: ANN001
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    if href.startswith(EXTERNAL_LINK):
        token.attrSet("href", f"#{EXTERNAL_ANCHOR}{href[len(EXTERNAL_LINK) :]}")
        token.attrSet("class", "sopkb-ext-link")
    return self.renderToken(tokens, idx, options, env)


def link_targets(text: str) -> list[str]:
    """Every link target in author Markdown, as written (validation checks the `ext:` ones)."""
    if "](" not in text and "]:" not in text:
        return []
    found = []
    for token in _parser().parse(text):
        for child in token.children or []:
            if child.type == "link_open":
                found.append(str(child.attrGet("href") or ""))
    return found


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.add_render_rule("text", _render_text)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("link_open", _render_link_open)
    return md


_BLANK_LINE_END = re.compile(r"(\n[ \t]*)\n")


def _without_blank_lines(html: str) -> str:
    """The same HTML with no blank line in it: the newline that ends a blank line becomes `&#10;`,
    which is the same character to the browser, inside `<pre>` too. Pages are cut into HTML blocks
    at blank lines (`build/html_blocks.py`, and Markdown engines generally), so a code block with an
    empty line would otherwise leave its second half to be read as Markdown."""
    while _BLANK_LINE_END.search(html):
        html = _BLANK_LINE_END.sub(r"\1&#10;", html)
    return html


def inline(text: str | None) -> Markup:
    """One line of author text (a bullet, a script line) as inline HTML."""
    if not text:
        return Markup("")
    if not _MARKDOWN_SYNTAX.search(text):
        return Markup(_without_blank_lines(str(escape(text))))
    return Markup(_without_blank_lines(_parser().renderInline(text)))


def block(text: str | None) -> Markup:
    """Author paragraphs (objective, background) as block HTML."""
    if not text:
        return Markup("")
    if not _MARKDOWN_SYNTAX.search(text):
        return Markup(f"<p>{_without_blank_lines(str(escape(text)))}</p>")
    return Markup(_without_blank_lines(_parser().render(text)))


def plain(text: str | None) -> str:
    """Author text with Markdown marks removed, for places that take plain text (copy, SVG, meta)."""
    if not text:
        return ""
    if not _MARKDOWN_SYNTAX.search(text):
        return text
    tokens = _parser().parseInline(text)
    out = []
    for token in tokens:
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                out.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                out.append(" ")
    return "".join(out)
