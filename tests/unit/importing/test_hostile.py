"""Hostile sources: text that looks like YAML, odd file names, huge lines. Each comes out as
safe, quoted YAML that sopkb reads back to the very same text, in a draft that validates."""

from __future__ import annotations

import pytest
from sopkb.importing.blocks import Block, Where
from sopkb.importing.check import problems_of
from sopkb.importing.draft import draft_document
from sopkb.importing.emit import dump
from sopkb.importing.read_text import text_blocks
from sopkb.loading.yaml_reader import read_yaml_text

YAMLISH = [
    "key: value",
    "- [a, b]",
    "&anchor text",
    "*alias",
    "!!python/object/apply:os.system ['echo pwned']",
    "{x: 1}",
    "1.5e5",
    "2026-01-01",
    "yes",
    "null",
    "# not a comment",
    "%YAML 1.2",
    "--- document start",
    "'single' and \"double\" quotes",
    "| literal",
]


def draft_of(text: str, name: str = "hostile.txt") -> dict:
    (draft,) = draft_document(text_blocks(text, name), name, category="Imported", known=[], taken=set())
    return draft.data


def test_yaml_looking_lines_round_trip_as_the_same_text():
    text = "Hostile procedure\nProcedure:\n" + "".join(f"{n}. Step {n}\n∙ {line}\n" for n, line in enumerate(YAMLISH, 1))
    data = draft_of(text)
    assert problems_of(data, "x.yaml", set()) == []
    written = dump(data, "../schemas/sop.schema.json")
    doc, problems = read_yaml_text(written, "x.yaml")
    assert problems == [] and doc.data == data
    assert [s["do"][0] for s in data["steps"]] == YAMLISH
    assert "!!python" not in written.replace("'!!python", "")  # only ever inside a quoted string


@pytest.mark.parametrize("value", YAMLISH + ["tab\there", "bell\x07", "line\nbreak", "\u202eevil", "x" * 5000])
def test_any_text_in_any_field_loads_back_unchanged(value):
    data = {"id": "x", "title": value, "steps": [{"id": "a", "title": value, "do": [value]}], "review": [value]}
    doc, problems = read_yaml_text(dump(data, "s.json"), "x.yaml")
    assert problems == [] and doc.data == data


def test_a_file_name_with_newlines_and_yaml_in_it():
    name = "evil\nname: [x]\n&a.txt"
    data = draft_of("1. Greet the customer.\n2. Close.\n", name)
    assert data["source"] == name and data["title"] == "Evil name: [x] &a"
    assert problems_of(data, "x.yaml", set()) == []
    doc, _ = read_yaml_text(dump(data, "s.json"), "x.yaml")
    assert doc.data["source"] == name


def test_a_huge_line_stays_whole_and_the_title_short():
    sentence = "Write down what the customer says about the account, word for word. "
    data = draft_of("Big\nProcedure:\n1. " + sentence * 3000 + "\n")
    assert problems_of(data, "x.yaml", set()) == []
    (step,) = data["steps"]
    assert len(step["title"]) < 80 and step["do"] == [(sentence * 3000).strip()]


def test_markdown_links_in_the_source_cannot_point_into_the_kb():
    blocks = [
        Block("heading", "Links", Where("x.md", line=1), level=1),
        Block("item", "See [the refund SOP](sop:nowhere) and [this](javascript:alert(1)).", Where("x.md", line=2), number="1."),
        Block("item", "Close.", Where("x.md", line=3), number="2."),
    ]
    (draft,) = draft_document(blocks, "x.md", category="Imported", known=[], taken=set())
    from sopkb.importing.check import valid_draft

    checked, problems = valid_draft(draft.data, "x.yaml", set())
    assert problems == [] and problems_of(checked, "x.yaml", set()) == []
    step = checked["steps"][0]
    assert "[the refund SOP]\\(sop:nowhere)" in step["title"] + " ".join(map(str, step.get("do", [])))
    assert "Imported as a plain step" not in " ".join(step.get("review", []))  # the text stays as it was


def test_many_steps_and_deep_numbering_are_bounded():
    text = "Deep\n" + "".join(f"{'.'.join(['1'] * (n % 8 + 1))} Item {n}\n" for n in range(2000))
    data = draft_of(text)
    assert problems_of(data, "x.yaml", set()) == []
