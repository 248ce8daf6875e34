from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from sopkb.loading.yaml_reader import LIBYAML, read_yaml

# libyaml (in PyYAML's wheels) and PyYAML's pure-Python parser word syntax errors differently.
UNCLOSED = "did not find expected ',' or ']'" if LIBYAML else "expected ',' or ']', but got ':'"


def read(tmp_path: Path, text: str):
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    return read_yaml(path, "x.yaml")


def test_positions_of_keys_and_values(tmp_path):
    doc, problems = read(tmp_path, "a: 1\nsteps:\n  - id: greet\n    title: Hi\n")
    assert problems == []
    assert doc.positions[("steps", 0, "title")] == (4, 12)
    assert doc.key_positions[("steps", 0, "title")] == (4, 5)
    assert doc.locate(("steps", 0, "missing")) == (3, 5)  # nearest located ancestor


def test_yaml_1_2_booleans_keep_yes_no_as_text(tmp_path):
    doc, _ = read(tmp_path, "a: Yes\nb: no\nc: true\nd: off\n")
    assert doc.data == {"a": "Yes", "b": "no", "c": True, "d": "off"}


def test_numbers_remember_how_they_were_written(tmp_path):
    doc, _ = read(tmp_path, "version: 1.10\nn: 007\nwhen: 2026-11-01\n")
    assert doc.data["version"].raw == "1.10"
    assert doc.data["n"].raw == "007"
    assert doc.data["when"] == dt.date(2026, 11, 1)


def test_aliases_are_refused_before_they_can_expand(tmp_path):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(20)
    )
    started = time.monotonic()
    doc, problems = read(tmp_path, bomb)
    assert time.monotonic() - started < 1
    assert doc is None
    assert [str(p) for p in problems] == [
        "x.yaml:2:4: YAML aliases (*name) are not allowed in sources; repeat the text instead"
    ]


def test_alias_to_a_scalar_is_harmless_and_mapping_alias_is_refused(tmp_path):
    doc, problems = read(tmp_path, "a: &x hello\nb: *x\n")
    assert problems == [] and doc.data == {"a": "hello", "b": "hello"}
    doc, problems = read(tmp_path, "a: &x {k: v}\nb: *x\n")
    assert doc is None
    assert [str(p) for p in problems] == [
        "x.yaml:2:1: YAML aliases (*name) are not allowed in sources; repeat the text instead"
    ]


def test_python_tags_are_not_constructed(tmp_path):
    doc, problems = read(tmp_path, "a: !!python/object/apply:os.system ['echo hacked']\n")
    assert [str(p) for p in problems] == [
        "x.yaml:1:4: a: unsupported YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' "
        "(sources use plain text, lists and mappings)"
    ]


def test_duplicate_keys_are_reported_where_the_second_one_is(tmp_path):
    _, problems = read(tmp_path, "a: 1\nb: 2\na: 3\n")
    assert [str(p) for p in problems] == ["x.yaml:3:1: duplicate key 'a'"]


def test_syntax_error_says_where_the_open_bracket_started(tmp_path):
    doc, problems = read(tmp_path, "id: x\ntitle: [unclosed\nsummary: y\n")
    assert doc is None
    assert [str(p) for p in problems] == [
        "x.yaml:3:8: YAML syntax error: while parsing a flow sequence (started at line 2, column 8): "
        + UNCLOSED
    ]


def test_impossible_date_is_left_as_text_for_the_schema(tmp_path):
    doc, problems = read(tmp_path, "effective: 2026-02-30\n")
    assert problems == []
    assert doc.data["effective"] == "2026-02-30"


def test_non_utf8_file_is_a_located_problem(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(b"title: caf\xe9\n")
    doc, problems = read_yaml(path, "x.yaml")
    assert doc is None
    assert [str(p) for p in problems] == ["x.yaml:1:1: file is not UTF-8 text (byte 10)"]
