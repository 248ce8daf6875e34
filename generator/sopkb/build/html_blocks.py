"""Keep our own HTML out of Python-Markdown's way.

Generated pages are Markdown whose bodies are HTML blocks we rendered ourselves. Python-Markdown
would re-parse every tag of them (most of the build time at 1,000 SOPs) only to pass them through.
So the plugin hands MkDocs a stub in which each HTML block is a one-word placeholder paragraph,
and puts the blocks back once Markdown is done. Blocks marked `data-search-exclude` (the quick
card, the flowchart) go back only after the search plugin has indexed the page: the index is the
same and the search plugin parses far less.

MkDocs reads every page before it writes any, so the blocks of every page wait in memory at once:
they are kept compressed (a seventh of their size; about 0.5 s per 1,000 SOP pages), each page's
as soon as it is rendered (`lift_page`, in the render workers), and the plugin lets go of them once
they are back in the page.
"""

from __future__ import annotations

import hashlib
import marshal
import re
import zlib
from dataclasses import dataclass

from ..render.pages import Page

_PLACEHOLDER = "SOPKBBLOCK{}X"
_PLACEHOLDER_P = re.compile(r"<p>SOPKBBLOCK(\d+)X</p>")
_LATE = re.compile(r"<!--sopkb-late-(\d+)-->")


def pack(text: str) -> bytes:
    """Text kept for later, compressed: HTML shrinks to a seventh at the fastest level."""
    return zlib.compress(text.encode("utf-8"), 1)


def unpack(packed: bytes) -> str:
    return zlib.decompress(packed).decode("utf-8")


def _pack(blocks: list[str]) -> bytes:
    return zlib.compress(marshal.dumps(blocks), 1)


@dataclass(frozen=True)
class Lifted:
    stub: str
    packed: bytes = _pack([])  # the blocks, compressed: see `blocks`

    @property
    def blocks(self) -> list[str]:
        """The HTML blocks in stub order (unpacked anew on each use: hold on to the list, not this)."""
        return marshal.loads(zlib.decompress(self.packed))

    def restore_early(self, html: str) -> str:
        """After Markdown: indexed blocks back in place; excluded ones become comments for later."""
        blocks = self.blocks

        def put(match: re.Match) -> str:
            n = int(match.group(1))
            block = blocks[n]
            first_tag = block[: block.find(">") + 1]
            return f"<!--sopkb-late-{n}-->" if "data-search-exclude" in first_tag else block

        return _PLACEHOLDER_P.sub(put, html)

    def restore_late(self, html: str) -> str:
        if not _LATE.search(html):
            return html
        blocks = self.blocks
        return _LATE.sub(lambda m: blocks[int(m.group(1))], html)


@dataclass(frozen=True)
class LiftedPage(Page):
    """A generated page as the plugin hands it to MkDocs: `content` is the stub. `digest`: of its
    Markdown before lifting (`markdown_digest`), what its HTML is kept by (`page_cache.py`);
    `placed`: its kept HTML is in the new site already (linked by a render worker), so neither
    its stub nor its blocks came back."""

    lifted: Lifted = Lifted("")
    digest: bytes = b""
    placed: bool = False


def lift(markdown: str) -> Lifted:
    """Each blank-line-separated chunk that starts with '<' is one of our HTML blocks."""
    blocks: list[str] = []
    chunks = markdown.split("\n\n")
    start = 0
    if markdown.startswith("---\n"):  # front matter stays as it is
        start = 1
    out = chunks[:start]
    for chunk in chunks[start:]:
        if chunk.startswith("<"):
            out.append(_PLACEHOLDER.format(len(blocks)))
            blocks.append(chunk)
        else:
            out.append(chunk)
    return Lifted("\n\n".join(out), _pack(blocks))


def lift_page(page: Page, digest: bytes | None = None) -> LiftedPage:
    """The page with its blocks lifted: what the plugin keeps of it from rendering on."""
    lifted = lift(page.content)
    return LiftedPage(page.path, lifted.stub, page.files, lifted, digest or markdown_digest(page))


def placed_page(page: Page, digest: bytes) -> LiftedPage:
    """A page whose kept HTML a render worker linked into the site: its files, not its Markdown."""
    return LiftedPage(page.path, "", page.files, digest=digest, placed=True)


def markdown_digest(page: Page) -> bytes:
    """The stub and blocks are made from the Markdown alone: its digest stands for both."""
    digest = hashlib.sha256(page.path.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(page.content.encode("utf-8", "surrogateescape"))
    return digest.digest()
