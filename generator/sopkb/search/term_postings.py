"""Each term's postings (the SOPs it is in, with its impact in each) and their encoding, kept
between saves of `sopkb serve` and mended where a save changed an SOP's impacts.

Gathering every SOP's impacts into postings and encoding every term again was a third of what the
search index still cost a save at 10,000 SOPs, though one save changes one SOP's terms. A save
now takes the SOPs whose impacts are new objects (`TermCounts.impacts` hands back the same object
for an unchanged SOP), removes their old postings and adds their new ones, and encodes again only
the terms they touched; a synonym group they touched is mended at those SOPs alone. A build starts
from nothing through the same code, so the index is the same, file for file, either way.

Postings are held as arrays (a document number and a one-byte impact each): about 5 bytes a
posting rather than the 70 of a tuple in a list, for the millions of postings of a big KB.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import islice

MAX_POSTINGS = 500
"""A term found in more SOPs keeps its 500 strongest: past that it cannot decide a ranking."""
REMADE_PAST = 0.05
"""Past this share of SOPs changed (a new day, a rename, the first build), gathering from nothing
is quicker than mending."""

Impacts = Mapping[str, int]  # one SOP's: term → impact (1–255)


class TermPostings:
    def __init__(self) -> None:
        self._found: list[Impacts] = []  # each SOP's impacts, in KB order, as last gathered
        self._groups: list[list[str]] | None = None
        self._docs: dict[str, array] = {}  # term → the numbers of the SOPs it is in, ascending
        self._impacts: dict[str, array] = {}  # term → its impact in each of them
        self._encoded: dict[str, list[int]] = {}

    def encoded(
        self, found: list[Impacts], groups: list[list[str]], concept_of: Callable[[list[str]], str]
    ) -> dict[str, list[int]]:
        """Every term's encoded postings, in term order, for the SOPs' impacts `found` (in KB
        order) and the stemmed synonym `groups`, each also a term (`concept_of(group)`)."""
        mended = self._mend(found) if groups == self._groups else None
        every = mended is None
        changed, new = self._gather(found) if mended is None else mended
        self._found, self._groups = found, groups
        for group in groups:
            if every or not changed.isdisjoint(group):
                term = concept_of(group)
                if every:
                    self._set(term, union((self._docs.get(m, ()), self._impacts.get(m, ())) for m in group))
                else:
                    self._mend_group(term, group, new)
                changed.add(term)
        for term in changed:
            if self._docs.get(term):
                self._encoded[term] = encode(self._docs[term], self._impacts[term])
            else:  # no SOP has it now
                for kept in (self._docs, self._impacts, self._encoded):
                    kept.pop(term, None)
        return {term: self._encoded[term] for term in sorted(self._encoded)}

    def _gather(self, found: list[Impacts]) -> tuple[set[str], list[int]]:
        """From nothing: every term changed (and every SOP)."""
        self._docs, self._impacts, self._encoded = {}, {}, {}
        for number, impacts in enumerate(found):
            for term, impact in impacts.items():
                if term not in self._docs:
                    self._docs[term], self._impacts[term] = array("l"), array("B")
                self._docs[term].append(number)
                self._impacts[term].append(impact)
        return set(self._docs), list(range(len(found)))

    def _mend(self, found: list[Impacts]) -> tuple[set[str], list[int]] | None:
        """The terms whose postings changed, mended in place, and the numbers of the SOPs whose
        impacts changed; None when gathering is quicker."""
        if len(found) != len(self._found):
            return None
        new = [n for n, (was, now) in enumerate(zip(self._found, found, strict=True)) if was is not now]
        if len(new) > max(16, REMADE_PAST * len(found)):
            return None
        changed: set[str] = set()
        for number in new:
            for term in self._found[number]:
                docs = self._docs[term]
                at = bisect_left(docs, number)
                del docs[at], self._impacts[term][at]
            for term, impact in found[number].items():
                docs = self._docs.setdefault(term, array("l"))
                at = bisect_left(docs, number)
                docs.insert(at, number)
                self._impacts.setdefault(term, array("B")).insert(at, impact)
            changed |= self._found[number].keys() | found[number].keys()
        return changed, new

    def _mend_group(self, term: str, group: list[str], numbers: list[int]) -> None:
        """A synonym group's postings (`union`) mended at the SOPs `numbers` only: a group of
        common words is in every SOP, and its union over 10,000 SOPs was a fifth of a save's index."""
        docs, impacts = self._docs.setdefault(term, array("l")), self._impacts.setdefault(term, array("B"))
        for number in numbers:
            best = max(self._impact(member, number) for member in group)
            at = bisect_left(docs, number)
            if at < len(docs) and docs[at] == number:
                if best:
                    impacts[at] = best
                else:
                    del docs[at], impacts[at]
            elif best:
                docs.insert(at, number)
                impacts.insert(at, best)

    def _impact(self, term: str, number: int) -> int:
        """The term's impact in SOP `number`; 0 when it is not there."""
        docs = self._docs.get(term)
        if not docs:
            return 0
        at = bisect_left(docs, number)
        return self._impacts[term][at] if at < len(docs) and docs[at] == number else 0

    def _set(self, term: str, postings: tuple[array, array]) -> None:
        self._docs[term], self._impacts[term] = postings


def encode(docs: Sequence[int], impacts: Sequence[int]) -> list[int]:
    """[df, doc, impact, doc-gap, impact, …]: the strongest postings (the earlier SOP first where
    impacts tie), in document order, gaps for size."""
    df = len(docs)
    if df > MAX_POSTINGS:
        strongest = _strongest(bytes(impacts), MAX_POSTINGS)
        docs, impacts = [docs[i] for i in strongest], [impacts[i] for i in strongest]
    out = [df] * (1 + 2 * len(docs))
    out[1::2] = [b - a for a, b in zip([0, *docs], docs, strict=False)]
    out[2::2] = impacts
    return out


def _strongest(impacts: bytes, k: int) -> list[int]:
    """The positions of the `k` strongest impacts, the earlier first where they tie, in order: as
    a stable sort by impact would pick them, found by the impacts' counts and two scans in C (a
    save at 10,000 SOPs encodes a few hundred terms found in every SOP)."""
    counts = Counter(impacts)
    above = 0  # how many are stronger than `weakest`, the weakest impact kept
    for weakest in range(255, 0, -1):
        if above + counts.get(weakest, 0) >= k:
            break
        above += counts.get(weakest, 0)
    stronger = []
    if weakest < 255:  # bytes stronger than `weakest`: the class of bytes from weakest + 1 to 255
        pattern = b"[" + re.escape(bytes([weakest + 1])) + b"-\xff]"
        stronger = [m.start() for m in re.finditer(pattern, impacts)]
    tied = re.finditer(re.escape(bytes([weakest])), impacts)
    return sorted(stronger + [m.start() for m in islice(tied, k - above)])


def union(postings: Iterable[tuple[Sequence[int], Sequence[int]]]) -> tuple[array, array]:
    """A synonym group's postings: each SOP any member is in, with the member's best impact."""
    best: dict[int, int] = {}
    for docs, impacts in postings:
        for doc, impact in zip(docs, impacts, strict=True):
            best[doc] = max(impact, best.get(doc, 0))
    ordered = sorted(best.items())
    return array("l", [doc for doc, _ in ordered]), array("B", [impact for _, impact in ordered])
