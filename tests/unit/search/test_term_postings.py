"""Postings mended save by save (`search/term_postings.py`) are exactly those gathered from nothing:
an SOP's terms added, dropped or re-weighted, SOPs sharing one object of impacts, synonym groups
over changed members, and many changes at once (gathered again)."""

from __future__ import annotations

import random

from sopkb.search.index import concept
from sopkb.search.term_postings import MAX_POSTINGS, TermPostings, encode

WORDS = [f"w{n}" for n in range(60)]
GROUPS = [["w1", "w2"], ["w3", "w50", "w59"]]


def fresh(found: list[dict[str, int]], groups: list[list[str]]) -> dict[str, list[int]]:
    return TermPostings().encoded(found, groups, concept)


def some_impacts(rng: random.Random) -> dict[str, int]:
    return {word: rng.randint(1, 255) for word in rng.sample(WORDS, rng.randint(0, 25))}


def test_mended_postings_are_those_gathered_from_nothing():
    rng = random.Random(7)
    found = [some_impacts(rng) for _ in range(400)]
    found[10] = found[11]  # two SOPs of the same fields share one object
    kept = TermPostings()
    assert kept.encoded(list(found), GROUPS, concept) == fresh(found, GROUPS)
    for _ in range(60):
        for _ in range(rng.randint(1, 3)):  # a save: one SOP or a few
            found[rng.randrange(len(found))] = some_impacts(rng)
        assert kept.encoded(list(found), GROUPS, concept) == fresh(found, GROUPS)
    found = [some_impacts(rng) for _ in range(400)]  # everything changed: gathered again
    assert kept.encoded(list(found), GROUPS, concept) == fresh(found, GROUPS)
    assert kept.encoded(list(found), GROUPS[:1], concept) == fresh(found, GROUPS[:1])  # other synonyms


def test_a_term_past_the_posting_limit_keeps_its_strongest_as_sops_change():
    found = [{"common": 1 + n % 200} for n in range(MAX_POSTINGS + 50)]
    kept = TermPostings()
    kept.encoded(list(found), [], concept)
    found[3] = {"common": 255, "rare": 9}
    found[4] = {}
    encoded = kept.encoded(list(found), [], concept)
    assert encoded == fresh(found, [])
    assert encoded["common"][0] == MAX_POSTINGS + 49 and encoded["rare"] == [1, 3, 9]
    found[3] = {"common": 1}
    assert "rare" not in kept.encoded(list(found), [], concept)  # a term whose last SOP dropped it


def test_the_strongest_postings_are_those_a_stable_sort_by_impact_keeps():
    """Ties go to the earlier SOP; every impact (1–255) may be the weakest kept, including bytes
    that mean something in a regular expression's class (`[`, `]`, `-`, `^`, `\\`)."""
    rng = random.Random(3)
    cases = [bytes(rng.randint(lo, hi) for _ in range(rng.randint(600, 1500))) for lo, hi in [(1, 255), (1, 3)]]
    cases += [bytes([w] * 450 + [min(255, w + 1)] * 30 + [max(1, w - 1)] * 300) for w in range(1, 256)]
    for impacts in cases:
        docs = list(range(0, 3 * len(impacts), 3))
        by_sort = sorted(sorted(range(len(impacts)), key=lambda i: -impacts[i])[:MAX_POSTINGS])
        encoded = encode(docs, impacts)
        kept, doc = [], 0
        for gap in encoded[1::2]:
            doc += gap
            kept.append(doc)
        assert kept == [docs[i] for i in by_sort] and encoded[2::2] == [impacts[i] for i in by_sort]
