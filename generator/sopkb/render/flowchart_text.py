"""How much room a flowchart's text takes, and how it breaks into lines.

Kept apart from the shapes because it is the one place that knows about glyphs: every box, badge,
mark and arrow label is sized from these estimates, and the layout, the shapes and the overlap
check must all agree on them. Measured, not rendered: widths come from an average glyph advance
(wide glyphs count double), which keeps layout free of fonts and browsers and deterministic.
"""

from __future__ import annotations

import unicodedata

CHAR_PX = 7.0  # average advance of the UI font at 13 px; wide glyphs count double
LABEL_SCALE = 12 / 13  # labels are set at 12 px
BADGE_SCALE = 11 / 13  # the actor badge is set at 11 px
MARK_BOLD = 1.12  # the mark's letters are bold: wider than the average advance says
LABEL_LINE = 15  # a line of arrow label (12 px)
LABEL_ASCENT, LABEL_DESCENT = 11, 4  # a label line's extent above and below its baseline


def text_width(text: str) -> float:
    if text.isascii():
        return len(text) * CHAR_PX
    return sum(CHAR_PX * (2 if unicodedata.east_asian_width(c) in "WF" else 1) for c in text)


def mark_width(text: str) -> float:
    """The change mark's pill: its bold text at 11 px, 7 px either side (the text is centred in it)."""
    return text_width(text) * BADGE_SCALE * MARK_BOLD + 14


def label_width(text: str) -> float:
    return text_width(text) * LABEL_SCALE


def label_height(lines: int) -> float:
    return (lines - 1) * LABEL_LINE + LABEL_ASCENT + LABEL_DESCENT


def wrap(text: str, width_px: float, max_lines: int = 4, scale: float = 1.0) -> list[str]:
    """Greedy word wrap by estimated width; over-long words are cut; the last line ends in '…'."""
    width_px = width_px / scale
    lines: list[str] = []
    current = ""
    for word in text.split():
        while text_width(word) > width_px:  # a word wider than the box: hard-break it
            cut = _fitting(word, width_px)
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{current} {word}".strip()
        if text_width(candidate) <= width_px:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and text_width(last + "…") > width_px:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines or [""]


def cut_words(text: str, lines: list[str]) -> list[bool]:
    """For each line `wrap` made of `text`, whether it goes on with a word cut at the line before
    (a word too long for the width), rather than after a space."""
    words = " ".join(text.split())
    out, pos = [], 0
    for n, line in enumerate(lines):
        cut = n > 0 and 0 < pos < len(words) and words[pos] != " "
        pos += (0 if cut or n == 0 else 1) + len(line)
        out.append(cut)
    return out


def _fitting(word: str, width_px: float) -> int:
    """How many leading characters of `word` fit in the width (at least one)."""
    used, n = 0.0, 0
    for n, char in enumerate(word):
        used += text_width(char)
        if used > width_px:
            return max(1, n)
    return len(word)


def wrap_label(text: str, width_px: float) -> list[str]:
    """An arrow's label, whole: the layout makes room for every line."""
    return wrap(text, width_px, max_lines=99, scale=LABEL_SCALE)
