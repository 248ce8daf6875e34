"""Every link in the README and in documentation/ leads somewhere.

A relative link must name a file or folder of the repository; with an `#anchor`, the target must
be a Markdown file with a heading whose GitHub slug is that anchor. External links are not
fetched (tests run offline): they only have to be well-formed http(s) addresses. Links inside
code spans and fenced code blocks are examples, not links, and are skipped, as GitHub does.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

REPO = Path(__file__).resolve().parent.parent
DOCUMENTS = [REPO / "README.md", *sorted((REPO / "documentation").rglob("*.md"))]

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.M)
_HTML_ANCHOR = re.compile(r"<a\s+(?:[^>]*\s)?(?:id|name)=[\"']([^\"']+)[\"']", re.I)
_INLINE = re.compile(r"!?\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*(<[^>\n]*>|[^\s()]*)(?:\s+\"[^\"\n]*\")?\s*\)")
_FULL_REFERENCE = re.compile(r"!?\[((?:[^\[\]]|\[[^\[\]]*\])+)\]\[([^\[\]]*)\]")
_DEFINITION = re.compile(r"^ {0,3}\[([^\[\]]+)\]:[ \t]*(<[^>\n]*>|\S+)", re.M)
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>]*)>")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_MARKDOWN_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")


def without_code(text: str) -> str:
    """The text with fenced code blocks and code spans blanked out (line numbers kept)."""
    lines, fence = [], None
    for line in text.split("\n"):
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)
            lines.append("")
        elif fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            lines.append("")
        else:
            lines.append(line)
    prose = "\n".join(lines)
    return _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), prose)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: the text as shown (links reduced to their text), lower-case,
    every character but letters, digits, marks, `_`, `-` and spaces dropped, spaces turned to `-`."""
    shown = _MARKDOWN_LINK.sub(r"\1", heading)
    shown = re.sub(r"<[^>]+>", "", shown).strip().lower()
    kept = "".join(
        ch
        for ch in shown
        if ch.isalnum() or ch in "-_ " or unicodedata.category(ch) in ("Mn", "Mc", "Me", "Pc")
    )
    return kept.replace(" ", "-")


def anchors(text: str) -> set[str]:
    """Every anchor a Markdown text offers: heading slugs (repeats numbered `-1`, `-2`, … as
    GitHub numbers them) and explicit `<a id=…>` / `<a name=…>`."""
    seen: dict[str, int] = {}
    found = set()
    lines = without_code(text).split("\n")
    for number, line in enumerate(text.split("\n")):
        if not lines[number].strip():  # inside a fence: never a heading
            continue
        match = _HEADING.match(line)
        if match:
            base = slug(match.group(2))
            found.add(f"{base}-{seen[base]}" if base in seen else base)
            seen[base] = seen.get(base, 0) + 1
    found.update(_HTML_ANCHOR.findall(without_code(text)))
    return found


@cache
def _anchors_of(path: Path) -> frozenset[str]:
    return frozenset(anchors(path.read_text(encoding="utf-8")))


def links(text: str) -> list[tuple[int, str]]:
    """(line number, target) of every link: inline links and images, autolinks, and the targets
    of reference definitions; a reference (`[text][label]`, `[label][]`) naming no definition
    comes back as `<undefined reference [label]>`."""
    prose = without_code(text)
    defined = {label.strip().lower() for label, _ in _DEFINITION.findall(prose)}
    found: list[tuple[int, str]] = []

    def line_of(offset: int) -> int:
        return prose.count("\n", 0, offset) + 1

    for match in _INLINE.finditer(prose):
        found.append((line_of(match.start()), match.group(2)))
    for match in _FULL_REFERENCE.finditer(prose):
        label = (match.group(2) or match.group(1)).strip().lower()
        if label not in defined:
            found.append((line_of(match.start()), f"<undefined reference [{label}]>"))
    for match in _DEFINITION.finditer(prose):
        found.append((line_of(match.start()), match.group(2)))
    for match in _AUTOLINK.finditer(prose):
        found.append((line_of(match.start()), match.group(1)))
    return sorted(found, key=lambda item: item[0])


def problems(text: str, source: Path, root: Path = REPO) -> list[str]:
    """What is wrong with each link of `text`, read as the file `source` inside `root`."""
    out = []
    for line, target in links(text):
        where = f"{source.relative_to(root)}:{line}: {target}"
        target = target[1:-1] if target.startswith("<") and target.endswith(">") else target
        if target.startswith("undefined reference ["):
            out.append(f"{where}: no definition for this reference")
            continue
        if _SCHEME.match(target):
            parts = urlsplit(target)
            if parts.scheme not in ("http", "https"):
                out.append(f"{where}: only http(s) links may leave the repository")
            elif not parts.netloc or re.search(r"\s", target):
                out.append(f"{where}: not a well-formed address")
            continue
        path, _, anchor = target.partition("#")
        if not path and not anchor:
            out.append(f"{where}: empty link")
            continue
        if path.startswith("/"):
            out.append(f"{where}: write links relative to this file, not from /")
            continue
        if not path:
            if unquote(anchor) not in anchors(text):
                out.append(f"{where}: no heading in this file has this anchor")
            continue
        resolved = (source.parent / unquote(path)).resolve()
        if not resolved.is_relative_to(root.resolve()):
            out.append(f"{where}: leads outside the repository")
        elif not resolved.exists():
            out.append(f"{where}: no such file or folder")
        elif anchor:
            if resolved.suffix.lower() != ".md" or not resolved.is_file():
                out.append(f"{where}: an #anchor needs a Markdown file")
            elif unquote(anchor) not in _anchors_of(resolved):
                out.append(f"{where}: {resolved.name} has no heading with this anchor")
    return out


def test_the_documents_are_found():
    names = {p.relative_to(REPO).as_posix() for p in DOCUMENTS}
    assert {"README.md", "documentation/index.md"} <= names
    assert len(names) > 10


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_link_resolves(document: Path):
    assert problems(document.read_text(encoding="utf-8"), document) == []


def test_slugs_follow_github():
    assert slug("Choices, and why") == "choices-and-why"
    assert slug("The `sopkb` command line") == "the-sopkb-command-line"
    assert slug("What moving to another engine would take") == "what-moving-to-another-engine-would-take"
    assert slug("Search at scale: 10,000 SOPs") == "search-at-scale-10000-sops"
    assert slug("See [the index](index.md) — twice") == "see-the-index--twice"
    assert slug("Déjà vu_2") == "déjà-vu_2"
    assert anchors("# A\n\n## A\n\n```\n# Not a heading\n```\n## A\n") == {"a", "a-1", "a-2"}


def test_broken_links_are_reported(tmp_path: Path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "guide.md").write_text("# Guide\n\n## Two words\n", encoding="utf-8")
    source = tmp_path / "docs" / "index.md"
    text = "\n".join(
        [
            "# Index",
            "[fine](guide.md#two-words) and [here](#index) and [folder](../docs/)",
            "[missing file](gone.md) and [missing anchor](guide.md#three-words)",
            "[out](../../elsewhere.md) [absolute](/docs/guide.md) [ref][nowhere]",
            "[defined][g] and [here too](#nowhere)",
            "",
            "[g]: guide.md#nope",
            "<https://example.org/page> [odd](ftp://example.org) [broken](https://)",
            "`[in code](gone.md)`",
            "```",
            "[in a fence](gone.md)",
            "```",
        ]
    )
    assert problems(text, source, tmp_path) == [
        "docs/index.md:3: gone.md: no such file or folder",
        "docs/index.md:3: guide.md#three-words: guide.md has no heading with this anchor",
        "docs/index.md:4: ../../elsewhere.md: leads outside the repository",
        "docs/index.md:4: /docs/guide.md: write links relative to this file, not from /",
        "docs/index.md:4: <undefined reference [nowhere]>: no definition for this reference",
        "docs/index.md:5: #nowhere: no heading in this file has this anchor",
        "docs/index.md:7: guide.md#nope: guide.md has no heading with this anchor",
        "docs/index.md:8: ftp://example.org: only http(s) links may leave the repository",
        "docs/index.md:8: https://: not a well-formed address",
    ]


_REPO_PATH = re.compile(
    r"`((?:generator|site_templates|tests|bench|scripts|documentation)/[\w./-]*?\.(?:py|j2|js|sh|md|yaml|json|html|css))`"
)


def named_files(text: str) -> list[str]:
    """Repository files the prose names in code spans (`generator/sopkb/domain/urls.py`): module
    moves are where documentation goes stale first."""
    return _REPO_PATH.findall(text)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_file_named_in_the_docs_exists(document: Path):
    missing = [name for name in named_files(document.read_text(encoding="utf-8")) if not (REPO / name).exists()]
    assert missing == []


def test_a_file_that_moved_is_reported():
    text = "See `generator/sopkb/addresses.py` and `generator/sopkb/domain/urls.py`."
    assert [n for n in named_files(text) if not (REPO / n).exists()] == ["generator/sopkb/addresses.py"]
