"""A Content-Security-Policy for every page, so one slip in escaping can never run anything.

Author, learner and trainer text is escaped where it enters a page; the policy is the second
line. Scripts run only from the site's own files: no inline script at all, so no `<script>`,
event handler or `javascript:` URL that reaches a page can run, whoever wrote it and however it
got there (a source field, a hand-written page in `docs/`, front matter printed by a theme
template). Material's few inline scripts are loaded from files instead (the partials in
`site_templates/theme/partials/javascripts/`). Nothing loads from another origin. A `<meta>`
policy is used because a static site is served by web servers we do not configure.
"""

from __future__ import annotations

import base64
import hashlib
import re

_INLINE_STYLE = re.compile(rb"<style(?:\s[^>]*)?>(?P<body>.*?)</style>", re.S | re.I)
_INLINE_SCRIPT = re.compile(rb"\A<script>(?P<body>.*)</script>\Z", re.S)
_CHARSET = re.compile(rb"<meta\s+charset=[^>]*>", re.I)
_HEAD = re.compile(rb"<head(?:\s[^>]*)?>", re.I)

MARKER = b'<meta http-equiv="Content-Security-Policy"'
SITE_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",  # Material's icons are data: SVGs in its stylesheet
        "font-src 'self'",
        "connect-src 'self'",  # search and learning data are fetched from the site itself
        "manifest-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)


def content_hash(body: bytes) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode("ascii")


def with_policy(html: str) -> str:
    """The page with the site's policy first in `<head>`, before anything it governs.

    Always inserted, even if the page already mentions one: a page's text must never be able to
    switch its own policy off (a second `<meta>` policy could only narrow it further)."""
    return _insert(html.encode("utf-8"), SITE_POLICY)


def with_standalone_policy(html: str) -> str:
    """For a report opened from disk (the roster): it may use its own inline styles, nothing else;
    no script at all, no request anywhere."""
    data = html.encode("utf-8")
    styles = [f"'{content_hash(m.group('body'))}'" for m in _INLINE_STYLE.finditer(data)]
    rules = ["default-src 'none'", "base-uri 'none'", "form-action 'none'"]
    if styles:
        rules.insert(1, "style-src " + " ".join(styles))
    return _insert(data, "; ".join(rules))


def allow_injected_script(page: bytes, script: bytes) -> bytes:
    """`mkdocs serve` adds its live-reload script to each page as it serves it: allow exactly that
    script (given as MkDocs added it, `<script>…</script>`), by its hash, in the page's policy."""
    match = _INLINE_SCRIPT.match(script)
    if match is None:
        return page
    allowed = f"script-src 'self' '{content_hash(match.group('body'))}'".encode("ascii")
    policy = MARKER + b' content="' + SITE_POLICY.encode("ascii")
    return page.replace(policy, policy.replace(b"script-src 'self'", allowed), 1)


def _insert(data: bytes, rules: str) -> str:
    """The policy right after the charset declaration: it covers only what comes after it."""
    meta = MARKER + b' content="' + rules.encode("ascii") + b'">'
    anchor = _CHARSET.search(data) or _HEAD.search(data)
    at = anchor.end() if anchor else 0
    return (data[:at] + meta + data[at:]).decode("utf-8")
