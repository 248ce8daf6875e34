"""The bundled sources: valid, editor-schema-linked, and faithful to the seed documents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError
from sopkb.domain.project import Project
from sopkb.models.json_schema import MODELS, schema_path, schema_text
from sopkb.models.timing import DURATION_PATTERN, Wait
from sopkb.pipeline import load_knowledge_base
from sopkb.validation.schema import PATTERN_MEANINGS

from tests.conftest import FIXTURES, REPO

SEEDS = FIXTURES / "seeds"  # the five source documents, as extracted
SOPS = sorted((REPO / "sops").rglob("*.yaml"))
QUIZZES = sorted((REPO / "quizzes").rglob("*.yaml"))
SEED_FOR = {
    "000": "missed-delivery-customer-home",
    "001": "lost-or-stolen-package",
    "002": "tracking-number-not-on-shiptrack",
    "003": "customer-service-standards",
    "004": "leadership-request",
}


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_committed_json_schemas_are_current(kind):
    path = schema_path(kind)
    assert path.read_text(encoding="utf-8") == schema_text(kind), (
        f"run: sopkb schema --kind {kind} --output {path}"
    )


def _patterns(node) -> set[str]:  # noqa: ANN001 - a JSON Schema
    if isinstance(node, dict):
        own = {node["pattern"]} if isinstance(node.get("pattern"), str) else set()
        return own.union(*(_patterns(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_patterns(v) for v in node))
    return set()


def test_every_pattern_a_field_must_match_has_its_own_message():
    """A pattern the models enforce says what it means; the duration's (in the schema for editors)
    is checked by its own validator, which says what a duration looks like."""
    patterns = set().union(*(_patterns(model.model_json_schema()) for model in MODELS.values()))
    assert patterns - {DURATION_PATTERN} == set(PATTERN_MEANINGS)
    assert DURATION_PATTERN in patterns
    with pytest.raises(ValidationError) as caught:
        Wait(duration="5 fortnights", until="Tier 2 answers")
    [error] = caught.value.errors()
    assert error["type"] == "value_error"  # not `string_pattern_mismatch`, which reads as an id's message


@pytest.mark.parametrize("path", SOPS + QUIZZES, ids=lambda p: p.name)
def test_each_source_points_editors_at_the_schema(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match, first
    kind = "quiz" if path in QUIZZES else "sop"
    assert (path.parent / match.group(1)).resolve() == schema_path(kind).resolve()


WRITTEN = {"two-step-verification-reset", "disputed-charge", "power-outage"}
"""Examples written for the bundled KB (accounts, billing, outages), using the format's newer parts."""


def test_bundled_kb_is_valid_with_the_converted_seeds_and_the_written_examples():
    kb = load_knowledge_base(Project.at(REPO))
    assert sorted(kb.by_id) == sorted({*SEED_FOR.values(), *WRITTEN})
    for sop_id in WRITTEN:  # never passed off as converted from a source document
        assert kb.by_id[sop_id].sop.source.startswith("Written for the bundled KB")


def _normalise(text: str) -> str:
    text = text.replace("’", "'").replace("“", '"').replace("”", '"').replace("\u2019", "'")
    return re.sub(r"\s+", " ", text).strip().casefold()


def _seed_bullets(seed: Path) -> list[str]:
    """Every instruction line of a seed: '∙' bullets (000-002), '-' items (003)."""
    text = seed.read_text(encoding="utf-8")
    text = text.replace("∙\n", "∙ ").replace(" ∙\n", " ∙ ")
    bullets = [b.strip() for line in text.splitlines() for b in line.split("∙")[1:] if b.strip()]
    if not bullets:
        lines = text.splitlines()
        bullets = [lines[i + 1].strip() for i, line in enumerate(lines[:-1]) if line.strip() == "-"]
    return bullets


@pytest.mark.parametrize("seed_id", ["000", "001", "002", "003"])
def test_every_seed_instruction_survives_word_for_word(seed_id):
    seed = next(SEEDS.glob(f"{seed_id}_*.txt"))
    source = _normalise(
        " ".join(
            _flatten(
                yaml.safe_load(
                    (REPO / "sops")
                    .joinpath(next(p for p in SOPS if p.stem == SEED_FOR[seed_id]))
                    .read_text(encoding="utf-8")
                )
            )
        )
    )
    bullets = _seed_bullets(seed)
    assert len(bullets) >= 9
    # "If …:" conditions become branch answers, shown on the page as "If <answer>"
    conditions = [re.sub(r"^if (.*):$", r"\1", _normalise(b)) for b in bullets]
    missing = [b for b, c in zip(bullets, conditions, strict=True) if c not in source]
    assert missing == []


def test_seed_004_surviving_text_is_kept_and_reconstruction_is_marked():
    data = yaml.safe_load(next(p for p in SOPS if p.stem == "leadership-request").read_text(encoding="utf-8"))
    text = _normalise(" ".join(_flatten(data)))
    for fragment in [
        "Occasionally, an irate customer may request to speak with leadership or require special handling",
        "Follow the appropriate SOP/Process and Stop",
        "(How to create a case in salesforce)",
        "Customer Request Type:",
        "Case Description:",
        "Agent will WARM TRANSFER to the “Phone-HO Tier 2” Skill and wait for 30 seconds to respond",
        "Agent will Warm Transfer to the “Resolution Lead” Skill and wait for 30 seconds to respond.",
        "Gather the following Information based on the customer's concern",
        "Claiming Fraud",
        "Promises from the Installer",
        "Sales Representative",
        "Contract",
        "System",
        "Any promises made by the installer is the installer's responsibility. Provide the customer with the "
        "installer's contact information.",
        "We take your concerns seriously and we will be investigating your concerns. We also highly recommend you "
        "calling your installer and notifying them of your concerns. As we are partnered with your installer, but "
        "they do not work for Everbright.",
        "If requested by the customer: Provide the Installer's Information",
    ]:
        assert _normalise(fragment) in text, fragment
    assert data["status"] == "needs-review"
    steps_with_review = [
        s["id"]
        for s in data["steps"]
        if s.get("review") or any(b.get("review") for b in (s.get("decision") or {}).get("branches", []))
    ]
    assert len(steps_with_review) >= 7


def _flatten(node) -> list[str]:
    if isinstance(node, dict):
        return [s for v in node.values() for s in _flatten(v)]
    if isinstance(node, list):
        return [s for v in node for s in _flatten(v)]
    return [str(node)]


def test_every_sop_has_a_real_scenario_quiz():
    kb = load_knowledge_base(Project.at(REPO))
    for sop_id in SEED_FOR.values():
        written = [q.quiz for q in kb.quizzes_for[sop_id]]
        assert written, sop_id
        assert any(len(q.scenarios) >= 2 and len(q.questions()) >= 6 for q in written), sop_id
        assert kb.drill_for[sop_id].quiz.questions(), sop_id
        kinds = {question.kind for quiz in written for question in quiz.questions()}
        assert len(kinds) >= 3, (sop_id, kinds)
