"""What an HTML page's tags and attributes mean to the importer: headings, blocks, lists'
labels, and the chrome (navigation, banners, a wiki's furniture, scripts) that is no part of the
procedure.
"""

from __future__ import annotations

import re

HEADINGS = {f"h{n}": n for n in range(1, 7)}
# Their text is no part of the document (or, for nav, header and footer, a site's, not the SOP's).
CHROME = {
    "script",
    "style",
    "template",
    "noscript",
    "head",
    "title",
    "svg",
    "math",
    "nav",
    "iframe",
    "object",
}
SITE_CHROME = {"header", "footer"}  # a page's banner and footer; inside <main>/<article>, content
CHROME_ROLES = {"navigation", "banner", "contentinfo", "search"}
# A wiki's or intranet's own furniture by its id or class (Confluence, SharePoint, MediaWiki exports):
# who edited the page when, breadcrumbs, sidebars, comments. "header"/"footer" only outside the
# article, like the elements.
CHROME_NAMES = {
    "breadcrumbs", "breadcrumb", "breadcrumb-section", "page-metadata", "page-metadata-banner",
    "sidebar", "navigation", "likes-and-labels-container", "comments-section", "page-comments",
    "printfooter", "catlinks", "mw-navigation", "footer-info",
}  # fmt: skip
SITE_CHROME_NAMES = {"header", "footer", "site-header", "site-footer", "page-header", "page-footer"}
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "form", "hr", "html", "legend", "main", "p",
    "pre", "section", "summary",
}  # fmt: skip
TITLE_CLASSES = {"title", "msotitle"}  # a word processor's Title paragraph: the page's first heading
WORD_LIST_LEVEL = re.compile(r"mso-list:\s*l\d+\s+level(\d+)", re.IGNORECASE)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def is_chrome(tag: str, attributes: dict[str, str], in_landmark: bool) -> bool:
    """Whether the element is no part of the document; `in_landmark`: inside <main> or
    <article>, where a header or footer is the article's own."""
    if tag in CHROME:
        return True
    if tag in SITE_CHROME and not in_landmark:
        return True
    if attributes.get("role", "").lower() in CHROME_ROLES:
        return True
    names = classes(attributes) | {attributes.get("id", "").lower()}
    if names & CHROME_NAMES or (names & SITE_CHROME_NAMES and not in_landmark):
        return True
    return "hidden" in attributes or attributes.get("aria-hidden", "").lower() == "true"


def classes(attributes: dict[str, str]) -> set[str]:
    return set(attributes.get("class", "").lower().split())


def is_list_label(attributes: dict[str, str]) -> bool:
    """LibreOffice's `<span class="ListLabel_20_1">1.</span>`, Word's `<span style="mso-list:Ignore">`."""
    if any(c.startswith("listlabel") for c in classes(attributes)):
        return True
    return "mso-list:ignore" in attributes.get("style", "").lower().replace(" ", "")


def attribute_int(value: str | None) -> int | None:
    """A number attribute (start, value, colspan, rowspan); None when absent or no number."""
    try:
        return int(value.strip()) if value is not None else None
    except ValueError:
        return None


def collapse(text: str) -> str:
    """Whitespace as a browser shows it: each run of it one space, none at the ends."""
    return " ".join(text.split())
