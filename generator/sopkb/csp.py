"""A Content-Security-Policy for every page, so one slip in escaping can never run anything.

Author, learner and trainer text is escaped where it enters a page; the policy is the second
line. Scripts run only from the site's own files, plus the theme's few inline scripts, each
allowed by the hash of its exact text, computed here from the finished page (Material writes
a different `__md_scope` line at each folder depth). No inline event handler, `javascript:`
URL or injected `<script>` can run; nothing loads from another origin. A `<meta>` policy is
used because a static site is served by web servers we do not configure.
"""

from __future__ import annotations

import base64
import hashlib
import re

_INLINE_STYLE = re.compile(rb"<style(?:\s[^>]*)?>(?P<body>.*?)</style>", re.S | re.I)
_INLINE_SCRIPT = re.compile(rb"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.S | re.I)
_DATA_TYPE = re.compile(rb"""\btype\s*=\s*["']?application/(?:ld\+)?json""", re.I)
_SRC = re.compile(rb"\bsrc\s*=", re.I)
_CHARSET = re.compile(rb"<meta\s+charset=[^>]*>", re.I)
_HEAD = re.compile(rb"<head(?:\s[^>]*)?>", re.I)
_SCRIPT_SRC = re.compile(rb"(<meta http-equiv=\"Content-Security-Policy\" content=\"[^\"]*script-src 'self')")

MARKER = b'<meta http-equiv="Content-Security-Policy"'


def policy(script_hashes: list[str]) -> str:
    scripts = " ".join(["'self'", *(f"'{h}'" for h in script_hashes)])
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {scripts}",
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


def inline_script_hashes(html: bytes) -> list[str]:
    """Hashes of the scripts the browser would run inline (data blocks such as `__config` are not run)."""
    hashes = []
    for match in _INLINE_SCRIPT.finditer(html):
        attrs = match.group("attrs")
        if _SRC.search(attrs) or _DATA_TYPE.search(attrs):
            continue
        digest = content_hash(match.group("body"))
        if digest not in hashes:
            hashes.append(digest)
    return hashes


def with_policy(html: str) -> str:
    """The page with its policy as the first thing in `<head>` after the charset, before any script."""
    data = html.encode("utf-8")
    if MARKER in data:
        return html
    return _insert(data, policy(inline_script_hashes(data)))


def with_standalone_policy(html: str) -> str:
    """For a report opened from disk (the roster): it may use its own inline styles, nothing else;
    no script at all, no request anywhere."""
    data = html.encode("utf-8")
    styles = [f"'{content_hash(m.group('body'))}'" for m in _INLINE_STYLE.finditer(data)]
    rules = ["default-src 'none'", "base-uri 'none'", "form-action 'none'"]
    if styles:
        rules.insert(1, "style-src " + " ".join(styles))
    return _insert(data, "; ".join(rules))


def _insert(data: bytes, rules: str) -> str:
    """The policy right after the charset declaration: it covers only what comes after it."""
    meta = MARKER + b' content="' + rules.encode("ascii") + b'">'
    anchor = _CHARSET.search(data) or _HEAD.search(data)
    at = anchor.end() if anchor else 0
    return (data[:at] + meta + data[at:]).decode("utf-8")


def allow_last_inline_script(html: bytes) -> bytes:
    """`mkdocs serve` appends its live-reload script to each page as it serves it; allow exactly
    that script, so the preview keeps the published site's policy and still reloads."""
    scripts = [m for m in _INLINE_SCRIPT.finditer(html) if not _SRC.search(m.group("attrs"))]
    if not scripts:
        return html
    digest = content_hash(scripts[-1].group("body")).encode("ascii")
    return _SCRIPT_SRC.sub(lambda m: m.group(1) + b" '" + digest + b"'", html, count=1)
