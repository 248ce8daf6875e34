"""List markers typed into the text itself: "1.", "3.1", "a)", "IV.", "Step 2:", "•", "∙", "-".

Word's automatic numbering is not text (read_docx computes it), but a PDF only has text, and
many Word documents have their numbers and bullets typed by hand; both come through here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BULLETS = (
    "•∙·◦▪▫■□●○◆◇❖➢➣➤►▶▸‣⁃✓✔✗–—-*"
    # Word's own bullets live in the private-use area of its Symbol and Wingdings fonts; a PDF
    # made from Word keeps those code points when the font has no better mapping.
    "\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8\uf06e\uf06c\uf0e0\uf0f0"
)

_ROMAN = r"(?:x{0,3}(?:ix|iv|v?i{0,3}))"  # 1 to 39: enough for any list, and "mix." stays a word
_NUMBER = re.compile(
    r"""^(?P<marker>
        (?:step|stage|phase)\s+\d{1,3}[a-z]?\s*[.:)\-–]?        # Step 3:  Stage 2.
      | \(?\d{1,3}\)                                           # 1)  (1)
      | \d{1,3}(?:\.\d{1,3})+\.?                               # 3.1  3.1.2.
      | \d{1,3}\.                                              # 1.
      | \(?[a-z]\)  | [a-z]\.                                  # a)  (a)  a.
      | \(?(?=[ivx])(?-i:"""
    + _ROMAN
    + r"""|"""
    + _ROMAN.upper()
    + r""")[.)]   # iv.  IV)  (iv)
    )(?:\s+|$)""",
    re.IGNORECASE | re.VERBOSE,
)
_BULLET = re.compile("^[" + re.escape(BULLETS) + r"](?:\s+|$)")


@dataclass(frozen=True)
class Marker:
    number: str | None  # "1.", "3.1", "Step 2:"; None for a bullet
    text: str  # the rest of the line, possibly empty (a marker alone on its line)


def split_marker(line: str) -> Marker | None:
    """The list marker a line starts with, or None when it starts with none."""
    line = line.lstrip()
    bullet = _BULLET.match(line)
    if bullet:
        return Marker(None, line[bullet.end() :].strip())
    number = _NUMBER.match(line)
    if number:
        marker = re.sub(r"\s+", " ", number.group("marker"))
        rest = line[number.end() :].strip()
        if rest[:1].isdigit() and marker[-1:].isdigit():
            return None  # "3.1 4" is more likely a figure in a sentence than a list
        return Marker(marker, rest)
    return None
