"""The search index as written at build time: words, weights, postings, shards, synonyms."""

from __future__ import annotations

import json
import shutil
from array import array
from pathlib import Path

import pytest
import yaml
from sopkb.cli import main
from sopkb.core.errors import SourceErrors
from sopkb.domain.project import Project
from sopkb.models.synonyms import Synonyms
from sopkb.pipeline import load_knowledge_base
from sopkb.search import index, term_postings
from sopkb.search.fields import WEIGHTS, sop_fields
from sopkb.text.words import as_one_word, compounds, fnv1a, pairs, stem, terms, words

from tests.conftest import REPO

SMALL = REPO / "tests" / "fixtures" / "kb-small"


def test_words_join_apostrophes_and_drop_accents():
    assert words("Driver didn’t knock — the Café's PACKAGE!") == [
        "driver",
        "didnt",
        "knock",
        "the",
        "cafes",
        "package",
    ]
    assert compounds("a follow-up re-delivery, same day") == ["followup", "redelivery"]
    assert as_one_word("Follow-up") == "followup" and as_one_word("porch pirate") is None


@pytest.mark.parametrize(
    ("forms", "meet"),
    [
        (["package", "packages", "packaged"], True),
        (["escalate", "escalated", "escalating", "escalation"], True),
        (["refuse", "refused", "refuses", "refusing"], True),
        (["deliveries", "delivery"], True),
        (["stop", "stopped", "stopping"], True),
        (["manager", "managing"], False),
    ],
)
def test_stemming_brings_word_forms_together(forms, meet):
    assert (len({stem(f) for f in forms}) == 1) is meet


def test_terms_leave_out_stopwords_and_pairs_keep_them():
    assert terms("Where is my package?") == ["packag"]
    assert pairs("where is my package") == ["wher is", "is my", "my packag"]


def test_each_field_outweighs_the_next():
    """The same word once in each field: keywords > title > summary > tags > headings > body."""
    order = list(WEIGHTS)
    scores = []
    for name in order:
        fields = {n: [] for n in order} | {
            name: ["porch"],
            "body": ["filler words here"] if name != "body" else ["porch"],
        }
        scores.append(index.impacts(fields, avg_body=3)["porch"])
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == len(scores)


def test_long_bodies_count_each_mention_less():
    short = index.impacts({"body": ["porch"]}, avg_body=20)["porch"]
    long = index.impacts({"body": ["porch " + "filler " * 60]}, avg_body=20)["porch"]
    assert long < short


def test_postings_keep_the_strongest_and_the_true_document_frequency():
    entries = [(doc, 1 + doc % 250) for doc in range(term_postings.MAX_POSTINGS + 100)]
    encoded = term_postings.encode([d for d, _ in entries], array("B", [i for _, i in entries]))
    assert encoded[0] == len(entries)
    docs, doc = [], 0
    for gap in encoded[1::2]:
        doc += gap
        docs.append(doc)
    kept = dict(zip(docs, encoded[2::2], strict=True))
    assert len(kept) == term_postings.MAX_POSTINGS and docs == sorted(docs)
    assert min(kept.values()) >= max(i for d, i in entries if d not in kept)
    assert all(kept[d] == 1 + d % 250 for d in kept)


def test_every_term_is_in_the_shard_its_longest_known_prefix_names(monkeypatch):
    monkeypatch.setattr(index, "SHARD_BYTES", 300)
    encoded = {f"co{a}{b}x": [1, 0, 9] for a in "uvw" for b in "abcdefgh"} | {
        "co": [1, 0, 9],
        "ca": [1, 0, 9],
    }
    shards = index.split_shards(encoded)
    assert len(shards) > 2
    for term in encoded:
        key = next(term[:n] for n in range(len(term), 0, -1) if term[:n] in shards)
        assert term in shards[key]  # what search.js's keyFor() will look up
    assert sum(len(s) for s in shards.values()) == len(encoded)
    assert all(len(s) == 1 or len(index._json(s)) <= 400 for s in shards.values())


def test_bundled_index_has_every_sop_with_its_summary():
    kb = load_knowledge_base(Project.at(REPO))
    files = index.build_index(kb, index.builtin_synonyms())
    manifest = json.loads(files["search-index/manifest.json"])
    assert manifest["docs"] == len(kb.sops) == 8
    rows = [row for path, text in files.items() if "/d/" in path for row in json.loads(text)]
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (e.sop.title, f"sops/{e.id}/", e.sop.summary) for e in kb.sops
    ]
    assert any("mgr" in group and "manager" in group for group in manifest["synonyms"])
    shard = json.loads(files["search-index/t/po.json"])
    lost = [e.id for e in kb.sops].index("lost-or-stolen-package")
    pair = json.loads(files[f"search-index/p/{fnv1a('porch pirat') % manifest['pairs']}.json"])
    assert _docs(shard["porch"]) == [lost] and _docs(pair["porch pirat"]) == [lost]  # word and phrase
    assert not any(" " in term for path, text in files.items() if "/t/" in path for term in json.loads(text))


def _docs(encoded: list[int]) -> list[int]:
    out, doc = [], 0
    for gap in encoded[1::2]:
        doc += gap
        out.append(doc)
    return out


def test_fields_leave_out_ids_targets_and_review_notes():
    kb = load_knowledge_base(Project.at(REPO))
    sop = kb.by_id["leadership-request"].sop
    fields = sop_fields(sop)
    body = " ".join(fields["body"])
    reviews = [note for step in sop.all_steps() for note in step.review]
    assert reviews and not any(note in body for note in reviews)
    assert "sop:" not in body
    assert sop.all_steps()[0].title in fields["headings"] and sop.all_steps()[0].title not in fields["body"]


def test_fields_take_messages_and_waits_but_not_their_channels_or_durations():
    kb = load_knowledge_base(Project.at(REPO))
    account = kb.by_id["two-step-verification-reset"].sop
    text = sop_fields(account)["body"]
    waits = [s.wait for s in account.all_steps() if s.wait]
    assert waits and all(w.until in text and w.duration not in text for w in waits)
    messages = [m for s in account.all_steps() for m in s.messages]
    assert {m.channel for m in messages} == {"email", "chat", "sms"} and all(m.body in text for m in messages)
    assert not {"email", "chat", "sms"} & set(text)


def test_builtin_synonyms_are_valid_single_words():
    data = yaml.safe_load((REPO / "generator/sopkb/search/builtin_synonyms.yaml").read_text())
    Synonyms.model_validate(data)
    assert index.builtin_synonyms() == data["groups"]


@pytest.fixture
def small_kb(tmp_path) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(SMALL, root)
    return root


def test_a_kbs_own_synonyms_reach_the_index(small_kb):
    (small_kb / "synonyms.yaml").write_text("groups:\n  - [chargeback, reversal, e-mail]\n")
    kb = load_knowledge_base(Project.at(small_kb))
    assert kb.synonyms == [["chargeback", "reversal", "e-mail"]]
    assert main(["build", "-C", str(small_kb)]) == 0
    manifest = json.loads((small_kb / "site" / "search-index" / "manifest.json").read_text())
    assert ["chargeback", "reversal", "email"] in manifest["synonyms"]


def test_bad_synonyms_are_located_errors(small_kb, capsys):
    (small_kb / "synonyms.yaml").write_text("groups:\n  - [refund, money back]\n  - [alone]\n")
    with pytest.raises(SourceErrors) as caught:
        load_knowledge_base(Project.at(small_kb))
    where = str(small_kb / "synonyms.yaml")
    assert [str(p) for p in caught.value.problems] == [
        f"{where}:2:14: groups[0][1]: 'money back' is not one word: synonyms are single words; "
        "put phrases such as 'porch pirate' in an SOP's `keywords`",
        f"{where}:3:5: groups[1]: needs at least 2 item(s) but has 1",
    ]
    assert main(["build", "-C", str(small_kb)]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_material_search_plugin_is_reported_as_redundant(small_kb, capsys):
    config = small_kb / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - sopkb", "  - search\n  - sopkb"))
    assert "- search" in config.read_text()
    assert main(["build", "-C", str(small_kb)]) == 0
    assert "Material's `search` plugin is enabled but unused" in capsys.readouterr().err


def test_fields_leave_out_calls_timeouts_and_addresses_but_keep_what_agents_read(flow_kb):
    body = " ".join(sop_fields(flow_kb.by_id["callback"].sop)["body"])
    for target in ("sop:identity", "fallback", "intranet.example"):
        assert target not in body
    for shown in (
        "Team lead",
        "Tier 2 answers",
        "the customer replies to the offer",
        "Inbound call",
        "Billing SOP",
    ):
        assert shown in body


def test_impacts_from_the_split_counts_are_the_same_to_the_last_bit():
    """`sopkb serve` keeps each SOP's weights from the fields other than the body and adds only the
    body on each save (the average body length moves with every edit): same numbers, bit for bit."""
    import random

    from sopkb.models.sop import Sop
    from sopkb.search.fields import sop_fields
    from sopkb.search.index import body_length, counted_impacts, field_counts, split_counts, split_impacts

    from tests.synthetic_kb import synthetic_sops

    rng = random.Random(15)
    for data in synthetic_sops(40):
        fields = sop_fields(Sop.model_validate(data))
        counts = field_counts(fields)
        for avg in [0.0, 1.0, body_length(fields) * rng.uniform(0.3, 3.0), 12_345.678]:
            assert split_impacts(split_counts(counts), body_length(fields), avg) == counted_impacts(
                counts, body_length(fields), avg
            )
    assert split_counts({"body": {"a": 1}, "title": {"a": 1}}) is None  # body not last: not split
