"""Tables, part order and flow lists: each problem located at the row or entry, all at once."""

from __future__ import annotations

import datetime as dt

import pytest
from sopkb.core.errors import SourceErrors
from sopkb.domain.project import Project
from sopkb.loading import yaml_reader
from sopkb.pipeline import load_knowledge_base

from tests.conftest import FIXTURES

TODAY = dt.date(2026, 11, 23)


def report(root, monkeypatch, *, strict: bool = False) -> list[str]:  # noqa: ANN001
    monkeypatch.chdir(root)
    with pytest.raises(SourceErrors) as caught:
        load_knowledge_base(Project.at(root), today=TODAY, strict=strict)
    return caught.value.report().splitlines()


def edited(kb_copy, old: str, new: str):  # noqa: ANN001, ANN201
    root = kb_copy("kb-content")
    source = root / "sops" / "start-service.yaml"
    text = source.read_text()
    assert old in text
    source.write_text(text.replace(old, new))
    return root


def test_the_content_fixture_is_valid_without_a_warning():
    kb = load_knowledge_base(Project.at(FIXTURES / "kb-content"), today=TODAY)
    assert kb.warnings == []


def test_every_row_with_the_wrong_number_of_cells_is_located_at_the_row(kb_copy, monkeypatch):
    root = edited(
        kb_copy,
        '          - [Water, "555-0101", 8am to 6pm]\n',
        '          - [Water, "555-0101"]\n          - [Power, "555-0102", 24 hours, ask first]\n',
    )
    assert report(root, monkeypatch) == [
        "sops/start-service.yaml:35:13: steps[0].tables[0].rows[1]: this row has 2 cells but the table "
        "has 3 columns (Utility, Phone number, Hours): give every row one cell per column",
        "sops/start-service.yaml:36:13: steps[0].tables[0].rows[2]: this row has 4 cells but the table "
        "has 3 columns (Utility, Phone number, Hours): give every row one cell per column",
        "Aborted with 2 errors.",
    ]


def test_order_naming_a_part_twice_or_one_the_step_lacks_is_a_warning_at_the_entry(kb_copy, monkeypatch):
    root = edited(
        kb_copy, "    order:\n      - tables\n      - say\n", "    order: [tables, say, tables, messages]\n"
    )
    assert report(root, monkeypatch, strict=True) == [
        "sops/start-service.yaml:25:26: warning: steps[0].order[2]: 'tables' is listed twice; "
        "the first place counts",
        "sops/start-service.yaml:25:34: warning: steps[0].order[3]: the step has no 'messages'; "
        "remove it from `order`",
        "Aborted: 2 warnings in strict mode.",
    ]


@pytest.mark.parametrize("libyaml", [True, False], ids=["libyaml", "pure-parser"])
def test_a_flow_list_item_that_continues_a_sentence_is_a_warning_at_the_item(kb_copy, monkeypatch, libyaml):
    if libyaml and not yaml_reader.LIBYAML:
        pytest.skip("PyYAML without libyaml")
    monkeypatch.setattr(yaml_reader, "LIBYAML", libyaml)
    root = edited(
        kb_copy,
        "    do:\n      - Send the confirmation email.\n",
        '    do: [Send the email, then end the call., "and quoted on purpose", Then a new item, or]\n',
    )
    warning = (
        "this item starts with {!r}, as if a comma had cut a sentence in two: in a `[a, b]` list every "
        "comma starts a new item; quote the sentence, or write the list one `- ` line per item"
    )
    assert report(root, monkeypatch, strict=True) == [
        f"sops/start-service.yaml:72:26: warning: steps[2].do[1]: {warning.format('then')}",
        f"sops/start-service.yaml:72:88: warning: steps[2].do[4]: {warning.format('or')}",
        "Aborted: 2 warnings in strict mode.",
    ]


def test_block_lists_and_first_items_are_never_flagged(kb_copy):
    root = edited(
        kb_copy,
        "    do:\n      - Send the confirmation email.\n",
        "    do:\n      - Send the email\n      - then end the call.\n    ask: [if they agree, ask for a date]\n",
    )
    kb = load_knowledge_base(Project.at(root), today=TODAY)
    assert kb.warnings == []


def test_a_table_too_big_to_read_during_a_call_is_a_warning_at_its_columns_rows_or_text(kb_copy, monkeypatch):
    wide = ", ".join(f"T{i}" for i in range(13))
    long_rows = "".join(f"          - [R{i}, '555-0{i:03}', 24 hours]\n" for i in range(201))
    markdown = "| " + " | ".join(f"C{i}" for i in range(14)) + " |\n        |" + "--|" * 14 + "\n"
    root = edited(
        kb_copy,
        '          - [Gas, "555-0100", 24 hours]\n          - [Water, "555-0101", 8am to 6pm]\n',
        long_rows + f"      - columns: [{wide}]\n        rows:\n          - [{wide}]\n",
    )
    source = root / "sops" / "start-service.yaml"
    text = source.read_text()
    source.write_text(
        text.replace("        | Speed | Fee |\n        |:------|----:|\n", f"        {markdown}")
    )
    advice = "too many to read during a call"
    assert report(root, monkeypatch, strict=True) == [
        f"sops/start-service.yaml:34:11: warning: steps[0].tables[0].rows: this table has 201 rows, {advice} "
        "(at most 200): split it, or link to the full table",
        f"sops/start-service.yaml:235:18: warning: steps[0].tables[1].columns: this table has 13 columns, {advice} "
        "(at most 12): split it, or link to the full table",
        f"sops/start-service.yaml:244:9: warning: steps[0].notes[0]: this table has 14 columns, {advice} "
        "(at most 12): split it, or link to the full table",
        "Aborted: 3 warnings in strict mode.",
    ]
