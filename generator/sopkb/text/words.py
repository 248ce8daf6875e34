"""Words as the search index sees them. `pure/search-text.js` repeats these rules exactly; a browser test
runs both over the same text, because an index term the browser cannot reproduce is never found.
"""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = re.compile(r"['\u2018\u2019`]")
_SEPARATORS = re.compile(r"[\W_]+")
_PLAIN_KEY = re.compile(r"[a-z0-9]+")
_COMPOUND = re.compile(r"[^\W_]+(?:-[^\W_]+)+")

STOPWORDS = frozenset(
    """a about all also am an and any are as at be been being but by can could did do does for from
    get got had has have he her his how i if in into is it its just me my of on or our she so some
    than that the their them then there these they this those to too us very was we were what when
    where which who why will with would you your im ive youre theyre didnt dont doesnt isnt
    wasnt werent cant couldnt wont wouldnt shouldnt havent hasnt not no""".split()
)
"""Words that tell search nothing about which SOP is meant; contractions appear without their
apostrophe, as `words` leaves them."""


def _normalise(text: str) -> str:
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _APOSTROPHES.sub("", text.lower())


def words(text: str) -> list[str]:
    """Lower-case words without accents; an apostrophe joins (didn't → didnt), anything else splits."""
    return [w for w in _SEPARATORS.split(_normalise(text)) if w]


def compounds(text: str) -> list[str]:
    """Hyphenated words joined up, 'follow-up' → 'followup': customers write both."""
    return [m.group().replace("-", "") for m in _COMPOUND.finditer(_normalise(text))]


_stems: dict[str, str] = {}  # a KB's vocabulary is small; stemming each word once is enough


def as_one_word(text: str) -> str | None:
    """The single word `text` is ('Follow-up' → 'followup'), or None when it is a phrase."""
    if len(text.split()) != 1:
        return None
    found = words(text)
    if len(found) == 1:
        return found[0]
    joined = compounds(text)
    return joined[0] if len(joined) == 1 and joined[0] == "".join(found) else None


def stem(word: str) -> str:
    result = _stems.get(word)
    if result is None:
        result = _stems[word] = _stem(word)
    return result


def _stem(word: str) -> str:
    """A deliberately small suffix stripper (plurals, -ing, -ed, -ation, final e): enough for
    'packages'/'package' and 'escalated'/'escalation' to meet, simple enough to mirror in JS."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ing") and len(word) >= 6:
        word = word[:-3]
    elif word.endswith("ed") and len(word) >= 5:
        word = word[:-2]
    elif word.endswith("ation") and len(word) >= 7:
        word = word[:-5] + "ate"
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "aeiouylsz":
        word = word[:-1]
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def terms(text: str) -> list[str]:
    """What the index stores for a text: stems of its words, stopwords left out, and of its
    hyphenated words joined up."""
    found = [_stems.get(w) or stem(w) for w in words(text) if w not in STOPWORDS]
    if "-" in text:
        found += [stem(w) for w in compounds(text)]
    return found


def pairs(text: str) -> list[str]:
    """Consecutive word pairs, stemmed, stopwords kept: the index's phrase terms ('where is')."""
    stems = [stem(w) for w in words(text)]
    return [f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False)]


def file_name(key: str) -> str:
    """A shard's file name: its key when that is plain ASCII letters and digits, else code points."""
    if _PLAIN_KEY.fullmatch(key):
        return key
    return "u" + "-".join(f"{ord(c):x}" for c in key)


def fnv1a(text: str) -> int:
    """32-bit FNV-1a of the UTF-8 bytes: a hash pure/search-text.js computes identically."""
    h = 0x811C9DC5
    for byte in text.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h
