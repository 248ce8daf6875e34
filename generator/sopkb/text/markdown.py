"""Author text to HTML: Markdown formatting yes, raw HTML never.

markdown-it-py (CommonMark) with `html` off escapes any tag an author types, and its link
validator already refuses `javascript:`-style URLs. Python-Markdown, which MkDocs uses for page
bodies, has no such switch, so author text never reaches it: pages embed the HTML made here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markupsafe import Markup, escape

PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
_MARKDOWN_SYNTAX = re.compile(r"[*_`\[\]<>&\\!{}#|~]|^\s*(?:[-+>]|\d+[.)])\s|\n")
_OFF_ORIGIN = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
_TABLE_DELIMITER = re.compile(
    r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$", re.MULTILINE
)
_ALIGN = re.compile(r"text-align:(left|right|center)")


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


SOP_LINK = "sop:"
SopLinks = Callable[[str, "str | None"], str]
"""`[Verify identity](sop:identity#ask-name)` links to another SOP of the KB (or a step of it). Where
its page is depends on the page the link is on, which this layer does not know: the renderer passes
a `SopLinks`, (SOP id, step id or None) → address. Without one, such a link is shown as its text
(an `<a>` without `href`), never as a link to `sop:…`, which no browser can follow."""


def _render_link_open(self, tokens, idx, options, env) -> str:  # noqa: ANN001
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    if href.startswith(EXTERNAL_LINK):
        token.attrSet("href", f"#{EXTERNAL_ANCHOR}{href[len(EXTERNAL_LINK) :]}")
        token.attrSet("class", "sopkb-ext-link")
    elif href.startswith(SOP_LINK):
        sop_links: SopLinks | None = env.get("sop_links")
        sop_id, hash_sign, step = unquote(href[len(SOP_LINK) :]).partition("#")
        token.attrs.pop("href", None)
        if sop_links is not None:
            token.attrSet("href", sop_links(sop_id, step if hash_sign else None))
        token.attrSet("class", "sopkb-sop-link")
    return self.renderToken(tokens, idx, options, env)


def link_targets(text: str) -> list[str]:
    """Every link target in author Markdown (validation checks the `ext:` and `sop:` ones), as
    written but for the percent-encoding the parser adds to characters a URL may not hold."""
    if "](" not in text and "]:" not in text:
        return []
    found = []
    for token in _parser().parse(text):
        for child in token.children or []:
            if child.type == "link_open":
                found.append(unquote(str(child.attrGet("href") or "")))
    return found


_NUMBER = re.compile(r"[-+−–(#$€£¥\s]*[0-9][-+−–0-9.,:/()%$€£¥\s]*(?:[A-Za-z]{1,3}\.?)?\s*")
LABEL_COLUMNS = 3  # header cells that name a table without a caption; past this, their count


def is_number(text: str) -> bool:
    """Whether a table cell is a number, an amount, a phone number or a date (`$1,250.00`,
    `555-0100`, `10 kWh`, `2026-01-31`): such a cell is never broken across lines."""
    return bool(_NUMBER.fullmatch(plain(text)))


def table_label(columns: list[str]) -> str:
    """A name for a table's scroll region when it has no caption: its first header cells."""
    named = [plain(c) for c in columns[:LABEL_COLUMNS]]
    more = f", … ({len(columns)} columns)" if len(columns) > LABEL_COLUMNS else ""
    return f"Table: {', '.join(named)}{more}"


def _accessible_tables(state) -> None:  # noqa: ANN001 - a markdown-it core rule
    """Tables as the site's tables: header cells say what they head (`scope`), alignment is a
    class (the page policy allows no `style` attribute), numbers are kept whole, and the site's
    table look applies; each table's header cells name its scroll region (`_render_table_open`)."""
    table = None
    for i, token in enumerate(state.tokens):
        if token.type == "table_open":
            table = token
            table.attrSet("class", "sopkb-table")
            table.meta["columns"] = []
        elif token.type in ("th_open", "td_open"):
            align = _ALIGN.search(str(token.attrGet("style") or ""))
            token.attrs.pop("style", None)
            content = state.tokens[i + 1].content if i + 1 < len(state.tokens) else ""
            classes = [f"sopkb-align-{align.group(1)}"] if align else []
            if token.type == "th_open":
                token.attrSet("scope", "col")
                if table is not None:
                    table.meta["columns"].append(content)
            elif is_number(content):
                classes.append("sopkb-num")
            if classes:
                token.attrSet("class", " ".join(classes))


SCROLL_REGION = '<div class="sopkb-table-scroll" role="region" tabindex="0" aria-label="{}">'
"""A table wider than the page scrolls sideways inside this, not the page: a region with a name that
the keyboard can reach (and scroll with the arrow keys). `_content.html.j2` writes the same."""


def _render_table_open(self, tokens, idx, options, env) -> str:  # noqa: ANN001
    label = table_label(tokens[idx].meta.get("columns", []))
    return SCROLL_REGION.format(escapeHtml(label)) + self.renderToken(tokens, idx, options, env)


def _render_table_close(self, tokens, idx, options, env) -> str:  # noqa: ANN001
    return self.renderToken(tokens, idx, options, env) + "</div>"


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.core.ruler.push("sopkb_tables", _accessible_tables)
    md.add_render_rule("text", _render_text)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("table_open", _render_table_open)
    md.add_render_rule("table_close", _render_table_close)
    return md


def _has_table(text: str) -> bool:
    """Whether the text holds a Markdown table: a delimiter row (`|---|---|`) under a header row."""
    if "|" not in text or "\n" not in text:
        return False
    if not any("|" in m.group(0) for m in _TABLE_DELIMITER.finditer(text)):
        return False
    return any(token.type == "table_open" for token in _parser().parse(text))


def table_sizes(text: str) -> list[tuple[int, int]]:
    """(columns, body rows) of each Markdown table in the text, for the check that a table is one
    an agent can read during a call."""
    if not _has_table(text):
        return []
    sizes = []
    columns = rows = 0
    in_body = False
    for token in _parser().parse(text):
        if token.type == "table_open":
            columns, rows = 0, 0
        elif token.type == "th_open":
            columns += 1
        elif token.type in ("tbody_open", "tbody_close"):
            in_body = token.type == "tbody_open"
        elif token.type == "tr_open" and in_body:
            rows += 1
        elif token.type == "table_close":
            sizes.append((columns, rows))
    return sizes


_BLANK_LINE_END = re.compile(r"(\n[ \t]*)\n")


def _without_blank_lines(html: str) -> str:
    """The same HTML with no blank line in it: the newline that ends a blank line becomes `&#10;`,
    which is the same character to the browser, inside `<pre>` too. Pages are cut into HTML blocks
    at blank lines (`build/html_blocks.py`, and Markdown engines generally), so a code block with an
    empty line would otherwise leave its second half to be read as Markdown."""
    while _BLANK_LINE_END.search(html):
        html = _BLANK_LINE_END.sub(r"\1&#10;", html)
    return html


def inline(text: str | None, sop_links: SopLinks | None = None) -> Markup:
    """One line of author text (a bullet, a script line) as inline HTML; a Markdown table in it
    (written as a bullet's text, say) is a table, so the text is rendered as blocks then.
    `sop_links`: where `sop:` links go from the page being rendered (see `SopLinks`)."""
    if not text:
        return Markup("")
    if _has_table(text):
        return block(text, sop_links)
    if not _MARKDOWN_SYNTAX.search(text):
        return Markup(_without_blank_lines(str(escape(text))))
    return Markup(_without_blank_lines(_parser().renderInline(text, {"sop_links": sop_links})))


def block(text: str | None, sop_links: SopLinks | None = None) -> Markup:
    """Author paragraphs (objective, background) as block HTML."""
    if not text:
        return Markup("")
    if not _MARKDOWN_SYNTAX.search(text):
        return Markup(f"<p>{_without_blank_lines(str(escape(text)))}</p>")
    return Markup(_without_blank_lines(_parser().render(text, {"sop_links": sop_links})))


def highlighted(text: str | None) -> Markup:
    """Plain text shown exactly as written, with its `{placeholders}` marked (a subject line)."""
    return Markup(_placeholders(str(escape(text or ""))))


def _inline_plain(tokens, breaks: str = " ") -> str:  # noqa: ANN001 - markdown-it tokens
    out = []
    for token in tokens:
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                out.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                out.append(breaks)
    return "".join(out)


def plain(text: str | None) -> str:
    """Author text with Markdown marks removed, for places that take plain text (copy, SVG, meta)."""
    if not text:
        return ""
    if not _MARKDOWN_SYNTAX.search(text):
        return text
    if _has_table(text):
        inlines = [t for t in _parser().parse(text) if t.type == "inline"]
        return " ".join(filter(None, (_inline_plain([t]) for t in inlines)))
    return _inline_plain(_parser().parseInline(text))


def plain_lines(text: str | None) -> str:
    """Author paragraphs as plain text to paste elsewhere (an email body): Markdown marks removed,
    line breaks and paragraphs kept, list items as `- item`, table rows as cells joined by ` | `."""
    if not text:
        return ""
    lines: list[str] = []
    row: list[str] | None = None  # the cells of the table row being read
    prefix = ""
    for token in _parser().parse(text):
        kind = token.type
        if kind == "tr_open":
            row = []
        elif kind == "tr_close" and row is not None:
            lines.append(" | ".join(row))
            row = None
        elif kind == "inline" and row is not None:
            row.append(_inline_plain([token]))
        elif kind == "list_item_open":
            prefix = "- " if token.markup in ("-", "+", "*") else f"{token.info}{token.markup} "
        elif kind == "inline":
            lines.append(prefix + _inline_plain([token], "\n"))
            prefix = ""
        elif kind in ("fence", "code_block"):
            lines += [token.content.rstrip("\n"), ""]
        elif kind.endswith("_close") and kind in _BLOCK_ENDS and not token.hidden and lines[-1:] != [""]:
            lines.append("")
    return "\n".join(lines).strip("\n")


_BLOCK_ENDS = {"paragraph_close", "bullet_list_close", "ordered_list_close", "table_close", "heading_close"}
