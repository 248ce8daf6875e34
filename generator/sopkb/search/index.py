"""The search index as static files: a small manifest, term shards and document buckets.

Sized for a KB of 10,000 SOPs searched on a locked-down desk: a query fetches the manifest,
one shard per word (terms sharing their first letters; where those are split further, a small
directory of the split), one file per word pair, and the few buckets holding the results shown,
never the whole index. A word the index does not know costs one more small file: the
list of known words sharing its first two letters, to find the one the agent meant. Each
posting carries a precomputed impact (BM25F over the weighted fields), so the browser only adds
numbers.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import shutil
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..core.parallel import map_in_processes
from ..domain import urls
from ..domain.knowledge_base import KnowledgeBase
from ..domain.urls import SEARCH_INDEX_DIR
from ..text.words import STOPWORDS, as_one_word, file_name, fnv1a, pairs, stem, terms
from .fields import WEIGHTS, sop_fields
from .term_counts import Counts, TermCounts
from .term_postings import TermPostings

FOLDER = SEARCH_INDEX_DIR
FORMAT = 1
BUCKET = 8  # documents per result file: 10 results cost at most 10 small files
SHARD_BYTES = 16_000  # a first search fetches a few of these, whatever the size of the KB
PAIR_SHARD_BYTES = 8_000
SPELLINGS = 2_000
PHRASE_FIELDS = ("keywords", "title")
"""Word pairs of these fields are indexed too, stopwords included: 'where is my package' then
matches the SOP whose keyword it is, not every SOP that mentions a package."""
K1 = 5.0  # saturation: a keyword match counts ~4x a single body mention, not 8x
BODY_B = 0.75  # length normalisation applies to the body only; the other fields are short


def field_counts(fields: dict[str, list[str]]) -> dict[str, Counter[str]]:
    """How often each term occurs in each field of one SOP."""
    out = {}
    for name, texts in fields.items():
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(terms(text))
            if name in PHRASE_FIELDS:
                counts.update(pairs(text))
        out[name] = counts
    return out


def body_length(fields: dict[str, list[str]]) -> int:
    """In characters: as good a length for BM25's normalisation as words, and far cheaper."""
    return sum(len(text) for text in fields["body"])


def average_body(lengths: list[int]) -> float:
    """The KB's average body length, to three significant figures: BM25's length normalisation
    needs no more, and a save that changes one SOP of thousands then leaves the average, and so
    every other SOP's impacts, as they were (`sopkb serve` keeps them: `TermCounts.impacts`)."""
    return float(f"{sum(lengths) / len(lengths):.3g}") if lengths else 0.0


def impacts(fields: dict[str, list[str]], avg_body: float) -> dict[str, int]:
    """Each term's impact in one SOP, 1–255: BM25F over the weighted fields."""
    return counted_impacts(field_counts(fields), body_length(fields), avg_body)


Split = tuple[dict[str, float], Mapping[str, int]]


def split_counts(counts: Counts) -> Split | None:
    """The part of an SOP's impacts the KB's average body length does not change: each term's
    weight from every field but the body, summed in field order as `counted_impacts` sums them, and
    the body's counts. None when the body is not the last field (the sums would differ in their
    last bits). `sopkb serve` keeps it per SOP: a save then only adds the bodies."""
    names = list(counts)
    if "body" in names and names[-1] != "body":
        return None
    nonbody: dict[str, float] = {}
    for name, field in counts.items():
        if name != "body":
            factor = WEIGHTS[name] / 1.0
            for term, n in field.items():
                nonbody[term] = nonbody.get(term, 0) + factor * n
    return nonbody, counts.get("body", {})


def split_impacts(split: Split, body: int, avg_body: float) -> dict[str, int]:
    """`counted_impacts` from `split_counts`: the same numbers, bit for bit."""
    nonbody, body_counts = split
    norm = 1 - BODY_B + BODY_B * body / avg_body if avg_body else 1.0
    factor = WEIGHTS["body"] / norm
    weighted = {t: w + factor * body_counts[t] if t in body_counts else w for t, w in nonbody.items()}
    for term, n in body_counts.items():
        if term not in nonbody:
            weighted[term] = 0 + factor * n
    return {t: max(1, min(255, round(255 * w / (w + K1)))) for t, w in weighted.items()}


def counted_impacts(counts: Counts, body: int, avg_body: float) -> dict[str, int]:
    """`impacts` from the SOP's `field_counts` and `body_length`."""
    weighted: Counter[str] = Counter()
    for name, field in counts.items():
        norm = 1.0
        if name == "body" and avg_body:
            norm = 1 - BODY_B + BODY_B * body / avg_body
        factor = WEIGHTS[name] / norm
        for term, n in field.items():
            weighted[term] += factor * n
    return {t: max(1, min(255, round(255 * w / (w + K1)))) for t, w in weighted.items()}


@dataclass
class Postings:
    """Every term's postings, encoded: `[df, doc, impact, doc-gap, impact, …]` (see `_encode`)."""

    docs: list[list[str]]  # what a result shows: title, URL, summary, category, in KB order
    words: dict[str, list[int]]  # single terms (and synonym concepts)
    pairs: dict[str, list[int]]  # "word word" phrases of titles and keywords
    synonyms: list[list[str]]  # the stemmed synonym groups, as the browser expands them


def build_index(
    kb: KnowledgeBase, synonym_groups: list[list[str]], jobs: int = 1, kept: TermCounts | None = None
) -> dict[str, str]:
    """Every file of the index, by path relative to the site root. `jobs` > 1 reads the SOPs'
    words in that many forked processes, as page rendering does; `kept`: the SOPs' terms as
    earlier builds counted them, where their fields are unchanged (`term_counts.py`)."""
    postings = _postings(kb, synonym_groups, jobs, kept)
    shards = split_shards(postings.words)
    directories = _directories(shards)
    spellings = _spellings(postings.words)
    pair_files = split_pairs(postings.pairs)
    texts = kept.texts if kept is not None else None  # `sopkb serve`: JSON kept by what it was made of
    files: dict[str, str] = {}

    def add(path: str, value: list | dict) -> None:
        """A file made of the very objects it was made of last save keeps its JSON: the terms and
        encoded postings of a term no save touched, and each SOP's result line, are the same
        objects (`TermPostings`, `TermCounts.each`); writing all 1,600 files of a 10,000-SOP
        index as JSON again was a fifth of what the index cost a save."""
        files[path] = _json(value) if texts is None else texts.get(path, _parts(value), lambda: _json(value))

    if texts is not None:
        texts.start(FORMAT)
    for key, shard in shards.items():
        add(f"{FOLDER}/t/{file_name(key)}.json", shard)
    for n, shard in enumerate(pair_files):
        add(f"{FOLDER}/p/{n}.json", shard)
    for group, keys in directories.items():
        add(f"{FOLDER}/k/{file_name(group)}.json", keys)
    for k, v in spellings.items():
        add(f"{FOLDER}/w/{file_name(k)}.json", v)
    for start in range(0, len(postings.docs), BUCKET):
        add(f"{FOLDER}/d/{start // BUCKET}.json", postings.docs[start : start + BUCKET])
    if texts is not None:
        texts.finish()
    build = hashlib.sha256("".join(files[k] for k in sorted(files)).encode()).hexdigest()[:12]
    manifest = {
        "format": FORMAT,
        "build": build,
        "docs": len(postings.docs),
        "bucket": BUCKET,
        "shards": sorted(k for k in shards if len(k) <= 2 and k not in directories),
        "directories": sorted(directories),
        "pairs": len(pair_files),
        "spellings": sorted(spellings),
        "stopwords": sorted(STOPWORDS),
        "synonyms": postings.synonyms,
    }
    files[f"{FOLDER}/manifest.json"] = _json(manifest)
    return files


def _postings(
    kb: KnowledgeBase, synonym_groups: list[list[str]], jobs: int, kept: TermCounts | None
) -> Postings:
    """Each SOP's term impacts, gathered per term; a synonym group becomes one more term."""
    sops = [e.sop for e in kb.sops]
    fields = kept.fields(sops, sop_fields) if kept is not None else [sop_fields(sop) for sop in sops]
    docs = _each(kept, "docs", sops, lambda sop: [sop.title, urls.sop_url(sop.id), sop.summary, sop.category])
    lengths = _each(kept, "lengths", fields, body_length)
    avg_body = average_body(lengths)
    if kept is not None:
        counts = kept.counts(fields, field_counts, jobs)
    else:
        counts = map_in_processes(field_counts, fields, jobs)
    splits = _each(kept, "splits", counts, split_counts)
    number_of = {id(c): number for number, c in enumerate(counts)}  # SOPs of equal fields share counts

    def impacts_of(sop_counts: Counts) -> dict[str, int]:
        split, body = splits[number_of[id(sop_counts)]], lengths[number_of[id(sop_counts)]]
        return split_impacts(split, body, avg_body) if split else counted_impacts(sop_counts, body, avg_body)

    found = kept.impacts(counts, avg_body, impacts_of) if kept is not None else list(map(impacts_of, counts))
    groups = _stemmed_groups(synonym_groups)
    postings = kept.postings if kept is not None else TermPostings()
    encoded = postings.encoded(found, groups, concept)
    words = {t: v for t, v in encoded.items() if " " not in t}
    return Postings(docs, words, {t: v for t, v in encoded.items() if " " in t}, groups)


def _each(kept: TermCounts | None, what: str, objects: list, work: Callable[[Any], Any]) -> list:
    return kept.each(what, objects, work) if kept is not None else [work(o) for o in objects]


def _directories(shards: dict[str, dict]) -> dict[str, list[str]]:
    """Where a two-letter prefix was split into longer keys: the list of them, so the browser
    fetches the one shard a word is in (and the prefix's own short terms, if any)."""
    directories: dict[str, list[str]] = defaultdict(list)
    for key in shards:
        if len(key) > 2:
            directories[key[:2]].append(key)
    for group, keys in directories.items():
        if group in shards:
            keys.append(group)  # the group's own terms no longer than two characters
        keys.sort()
    return directories


def _spellings(encoded: dict[str, list[int]]) -> dict[str, list[str]]:
    """Known words by their first two letters, most common first, at most SPELLINGS per list:
    what a mistyped word is compared with. A rare word is seldom what was meant."""
    groups: dict[str, list[str]] = defaultdict(list)
    for term in encoded:
        if len(term) >= 3 and not term.isdigit() and not term.startswith("~"):
            groups[term[:2]].append(term)
    return {k: sorted(v, key=lambda t: -encoded[t][0])[:SPELLINGS] for k, v in groups.items()}


def split_pairs(encoded: dict[str, list[int]]) -> list[dict[str, list[int]]]:
    """Word pairs share files by a hash of the pair: they are only ever looked up whole, so no
    list of their keys is needed (a prefix split would list one key per first word)."""
    size = _json_size(encoded)
    count = max(1, -(-size // PAIR_SHARD_BYTES)) if encoded else 0
    files: list[dict[str, list[int]]] = [{} for _ in range(count)]
    for term, value in encoded.items():
        files[fnv1a(term) % count][term] = value
    return files


def split_shards(encoded: dict[str, list[int]]) -> dict[str, dict[str, list[int]]]:
    """Terms grouped by their first two characters; a group over SHARD_BYTES is split again by
    one more character, and so on. A term's shard is the longest of its prefixes that names one,
    which is how search-index.js finds it from the manifest's list of keys."""
    shards: dict[str, dict[str, list[int]]] = {}

    def place(key: str, group: dict[str, list[int]]) -> None:
        size = _json_size(group)
        if size <= SHARD_BYTES or len(group) == 1:
            shards[key] = group
            return
        longer: dict[str, dict[str, list[int]]] = defaultdict(dict)
        for term, value in group.items():
            longer[term[: len(key) + 1]][term] = value
        for sub_key, sub_group in longer.items():
            if sub_key == key:  # the terms no longer than the key itself
                shards[key] = sub_group
            else:
                place(sub_key, sub_group)

    first: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for term, value in encoded.items():
        first[term[:2]][term] = value
    for key, group in first.items():
        place(key, group)
    return shards


def builtin_synonyms() -> list[list[str]]:
    data = yaml.safe_load((Path(__file__).parent / "builtin_synonyms.yaml").read_text(encoding="utf-8"))
    return data["groups"]


def write_index(files: dict[str, str], site_dir: Path) -> None:
    shutil.rmtree(site_dir / FOLDER, ignore_errors=True)
    for path, content in files.items():
        target = site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")


def concept(group: list[str]) -> str:
    """The term standing for a whole synonym group: one fetch finds SOPs using any member."""
    return "~" + group[0]


def _stemmed_groups(groups: list[list[str]]) -> list[list[str]]:
    stemmed = []
    for group in groups:
        normalised = [as_one_word(word) for word in group]
        members = list(dict.fromkeys(stem(w) for w in normalised if w and w not in STOPWORDS))
        if len(members) > 1:
            stemmed.append(members)
    return stemmed


def _json_size(group: dict[str, list[int]]) -> int:
    """About the length of `group` as JSON, without writing it out."""
    return sum(len(t) + 8 + 4 * len(v) for t, v in group.items())


def _parts(value: list | dict) -> tuple:
    """What a file's JSON is made of, object by object: a dict's keys and values, a list's items.
    Never changed in place (a save makes new lists), so the same objects make the same JSON."""
    return tuple(itertools.chain.from_iterable(value.items())) if isinstance(value, dict) else tuple(value)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
