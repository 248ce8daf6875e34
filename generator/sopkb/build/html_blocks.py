"""Keep our own HTML out of Python-Markdown's way.

Generated pages are Markdown whose bodies are HTML blocks we rendered ourselves. Python-Markdown
would re-parse every tag of them (most of the build time at 1,000 SOPs) only to pass them through.
So the plugin hands MkDocs a stub in which each HTML block is a one-word placeholder paragraph,
and puts the blocks back once Markdown is done. Blocks marked `data-search-exclude` (the quick
card, the flowchart) go back only after the search plugin has indexed the page: the index is the
same and the search plugin parses far less.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_PLACEHOLDER = "SOPKBBLOCK{}X"
_PLACEHOLDER_P = re.compile(r"<p>SOPKBBLOCK(\d+)X</p>")
_LATE = re.compile(r"<!--sopkb-late-(\d+)-->")


@dataclass
class Lifted:
    stub: str
    blocks: list[str] = field(default_factory=list)

    def restore_early(self, html: str) -> str:
        """After Markdown: indexed blocks back in place; excluded ones become comments for later."""

        def put(match: re.Match) -> str:
            n = int(match.group(1))
            block = self.blocks[n]
            first_tag = block[: block.find(">") + 1]
            return f"<!--sopkb-late-{n}-->" if "data-search-exclude" in first_tag else block

        return _PLACEHOLDER_P.sub(put, html)

    def restore_late(self, html: str) -> str:
        return _LATE.sub(lambda m: self.blocks[int(m.group(1))], html)


def lift(markdown: str) -> Lifted:
    """Each blank-line-separated chunk that starts with '<' is one of our HTML blocks."""
    lifted = Lifted("")
    chunks = markdown.split("\n\n")
    start = 0
    if markdown.startswith("---\n"):  # front matter stays as it is
        start = 1
    out = chunks[:start]
    for chunk in chunks[start:]:
        if chunk.startswith("<"):
            out.append(_PLACEHOLDER.format(len(lifted.blocks)))
            lifted.blocks.append(chunk)
        else:
            out.append(chunk)
    lifted.stub = "\n\n".join(out)
    return lifted
