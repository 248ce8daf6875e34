"""Synthetic SOPs for the tests and the benchmarks, with text that behaves like real text for search.

One copy for both: tests import it as `tests.synthetic_kb`, and the scripts in `bench/` put the
repository on their path to do the same.

Words follow a Zipf distribution over a vocabulary of real contact-centre words (the frequent
ones) and generated words (the long tail), so an index has the term counts and posting lengths
of a real KB of that size: a few words in nearly every SOP, most words in a handful.
"""

from __future__ import annotations

import itertools
import random

COMMON = """customer order package delivery driver tracking refund address account agent case
supervisor update schedule warehouse invoice carrier route return label damage replacement verify
confirm explain record escalate follow reassure apologise check status system note callback
payment card charge billing subscription plan upgrade downgrade cancel renewal contract email
phone chat message ticket complaint request inquiry policy exception approval manager team
store product item stock warranty repair technician appointment visit installation device
router modem signal outage network password login reset identity security fraud dispute
credit balance discount coupon promotion voucher loyalty points membership claim insurance
courier depot locker pickup collection postcode region international customs duty fee
weight size fragile signature proof photo evidence investigation timeline deadline priority
urgent standard express overnight weekend holiday hours queue transfer hold survey feedback""".split()
SYLLABLES = [c + v for c in "bcdfghklmnprstvz" for v in ("a", "e", "i", "o", "u", "ai", "or", "en")]
CATEGORIES = [f"Category {i:02d}" for i in range(20)]


class Text:
    """Deterministic Zipf-distributed words: the same seed gives the same KB."""

    def __init__(self, rng: random.Random, vocabulary: int = 20_000):
        tail = ("".join(p) for n in (2, 3) for p in itertools.product(SYLLABLES, repeat=n))
        rare = [w for w in dict.fromkeys(itertools.islice(tail, vocabulary * 2)) if w not in COMMON]
        rng.shuffle(rare)  # the long tail in no alphabetical order
        self.words = (COMMON + rare)[:vocabulary]
        self.rng = rng
        self.cumulative = list(
            itertools.accumulate(1 / (rank + 1) ** 1.05 for rank in range(len(self.words)))
        )

    def words_(self, n: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=n)

    def sentence(self, n: int = 10) -> str:
        return " ".join(self.words_(n)).capitalize() + "."

    def phrase(self, n: int) -> str:
        return " ".join(self.words_(n))


def synthetic_sop(i: int, text: Text) -> dict:
    """About 10 steps, 2 decisions and a call script: the shape of the bundled SOPs."""
    n_steps = 10
    ids = [f"step-{k}" for k in range(n_steps)]
    steps = []
    for k, sid in enumerate(ids):
        step: dict = {
            "id": sid,
            "title": text.phrase(4).capitalize(),
            "do": [text.sentence() for _ in range(2)],
            "say": [text.sentence(14)],
        }
        if k in (3, 6):
            step["decision"] = {
                "question": text.phrase(6).capitalize() + "?",
                "branches": [
                    {"answer": "Yes", "goto": ids[k + 1]},
                    {"answer": "No", "say": [text.sentence(8)], "goto": ids[k + 2]},
                ],
            }
        steps.append(step)
    return {
        "id": f"sop-{i:05d}",
        "title": f"SOP {i}: {text.phrase(5)}",
        "summary": text.sentence(14),
        "category": CATEGORIES[i % len(CATEGORIES)],
        "tags": text.words_(2),
        "keywords": [text.phrase(3) for _ in range(5)],
        "status": "approved",
        "owner": "Bench team",
        "version": "1.0",
        "effective": "2026-01-01",
        "review_by": "2099-01-01",
        "source": "Synthetic",
        "objective": text.sentence(25),
        "steps": steps,
        "documentation": {
            "dispositions": [{"label": "Resolved", "code": "RES"}],
            "record": [text.sentence()],
        },
        "call_scripts": [
            {
                "id": "sample",
                "title": "Sample call",
                "lines": [
                    {
                        "speaker": "agent" if j % 2 else "customer",
                        "step": ids[min(j, n_steps - 1)],
                        "text": text.sentence(12),
                    }
                    for j in range(8)
                ],
            }
        ],
    }


def synthetic_sops(n: int, seed: int | None = None) -> list[dict]:
    rng = random.Random(n if seed is None else seed)
    text = Text(rng)
    return [synthetic_sop(i, text) for i in range(n)]
