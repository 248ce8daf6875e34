from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sopkb.loading.yaml_composer import MAX_DEPTH
from sopkb.loading.yaml_reader import LIBYAML, read_yaml

# libyaml (in PyYAML's wheels) and PyYAML's pure-Python parser word syntax errors differently.
UNCLOSED = "did not find expected ',' or ']'" if LIBYAML else "expected ',' or ']', but got ':'"
# ... and the characters YAML refuses (NUL, other controls).
REFUSED = {"libyaml": "control characters are not allowed", "pure": "special characters are not allowed"}
PARSER = "libyaml" if LIBYAML else "pure"
TOO_DEEP = "nesting is deeper than 64 levels; sources never need this much"


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


def test_every_alias_is_refused_text_ones_too(tmp_path):
    """An alias of text is no bomb by nesting, but by number: one big text aliased many times."""
    refused = "YAML aliases (*name) are not allowed in sources; repeat the text instead"
    for text, where in [
        ("a: &x hello\nb: *x\n", "2:1"),
        ("a: &x {k: v}\nb: *x\n", "2:1"),
        ('keywords: [&a "' + "x" * 100_000 + '", ' + "*a, " * 200_000 + "*a]\n", "1:11"),
        ('{"site": &a "' + "y" * 100_000 + '", "answers": {"q": [' + "*a," * 100_000 + "*a]}}\n", "1:100034"),
    ]:
        started = time.monotonic()
        doc, problems = read(tmp_path, text)
        assert time.monotonic() - started < 10
        assert doc is None and [str(p) for p in problems] == [f"x.yaml:{where}: {refused}"], text[:30]


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
    assert [str(p) for p in problems] == ["x.yaml:1:11: file is not UTF-8 text (byte 10)"]


def test_non_utf8_byte_is_located_at_its_line_and_column(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes("id: x\ntitle: café caf".encode() + b"\xe9\n")  # é before it is two bytes, one column
    doc, problems = read_yaml(path, "x.yaml")
    assert doc is None
    assert [str(p) for p in problems] == ["x.yaml:2:16: file is not UTF-8 text (byte 22)"]


def test_several_documents_are_an_error_at_the_second(tmp_path):
    doc, problems = read(tmp_path, "a: 1\n---\nb: 2\n")
    assert doc is None
    assert [str(p) for p in problems] == [
        "x.yaml:2:1: YAML syntax error: expected a single document in the stream "
        "(started at line 1, column 1): but found another document"
    ]
    _, problems = read(tmp_path, "--- first\n--- second\n")
    assert [str(p) for p in problems] == [
        "x.yaml:2:1: YAML syntax error: expected a single document in the stream "
        "(started at line 1, column 5): but found another document"
    ]


def test_a_second_document_is_reported_even_after_a_refused_alias(tmp_path):
    doc, problems = read(tmp_path, "a: &x [1]\nb: *x\n---\nc: 3\n")
    assert doc is None
    assert [str(p) for p in problems] == [
        "x.yaml:3:1: YAML syntax error: expected a single document in the stream "
        "(started at line 1, column 1): but found another document"
    ]


def test_undefined_and_repeated_anchors_are_syntax_errors(tmp_path):
    _, problems = read(tmp_path, "a: 1\nb: *nowhere\n")
    assert [str(p) for p in problems] == ["x.yaml:2:4: YAML syntax error: found undefined alias"]
    _, problems = read(tmp_path, "a: &x 1\nb: &x 2\n")
    assert [str(p) for p in problems] == [
        "x.yaml:2:4: YAML syntax error: found duplicate anchor; first occurrence "
        "(started at line 1, column 4): second occurrence"
    ]


def test_values_a_tag_cannot_construct_stay_text_instead_of_crashing(tmp_path):
    doc, problems = read(tmp_path, "a: !!bool maybe\nb: !!timestamp soon\nc: !!int\nd: !!int 0x1F\n")
    assert problems == []
    assert doc.data == {"a": "maybe", "b": "soon", "c": "", "d": 31}
    assert doc.data["d"].raw == "0x1F"


def test_keys_and_values_of_a_collection_key_are_skipped_but_reading_goes_on(tmp_path):
    doc, problems = read(tmp_path, "? [a, !bad b]\n: {c: !bad d}\ne: 1\ne: 2\nf: 3\n")
    assert [str(p) for p in problems] == [
        "x.yaml:1:1: mapping keys must be plain text",
        "x.yaml:4:1: duplicate key 'e'",
    ]
    assert doc.data == {"e": 1, "f": 3}
    assert doc.positions == {(): (1, 1), ("e",): (3, 4), ("f",): (5, 4)}
    assert doc.key_positions == {("e",): (3, 1), ("f",): (5, 1)}


def test_nul_bytes_are_one_located_problem(tmp_path):
    doc, problems = read(tmp_path, "id: x\ntitle: caf\u00e9 \x00 bar\n")
    assert doc is None
    assert [str(p) for p in problems] == [
        f"x.yaml:2:13: YAML error: unacceptable character #x0000: {REFUSED[PARSER]}"
    ]


# Hostile files are read in a child process: a crash there is a segfault (exit code -11) or a
# traceback on stderr, either of which would take `sopkb report` or `sopkb serve` down with it.
_READ_IN_CHILD = """
import sys
from pathlib import Path
from sopkb.loading import yaml_reader
yaml_reader.LIBYAML = yaml_reader.LIBYAML and sys.argv[1] == "libyaml"
for path in sys.argv[2:]:
    doc, problems = yaml_reader.read_yaml(Path(path), "x.yaml")
    print("no document" if doc is None else f"document of {type(doc.data).__name__}")
    for problem in problems:
        print(problem)
"""
PARSERS = ["libyaml", "pure"] if LIBYAML else ["pure"]


def read_in_child(tmp_path: Path, *contents: str | bytes, parser: str = "libyaml") -> list[str]:
    """What reading each file printed, in one child process."""
    paths = []
    for n, content in enumerate(contents):
        paths.append(tmp_path / f"{n}.yaml")
        paths[-1].write_bytes(content.encode() if isinstance(content, str) else content)
    child = subprocess.run(
        [sys.executable, "-c", _READ_IN_CHILD, parser, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (child.returncode, child.stderr) == (0, "")
    return child.stdout.splitlines()


def nested_block_mapping(levels: int) -> str:
    return "".join("  " * level + "a:\n" for level in range(levels)) + "  " * levels + "end\n"


RECEIPT_START = '{"receipt": 1, "learner": {"name": "Ann"}, "answers": '  # level 65 is its 64th [


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize(
    ("content", "where"),
    [
        pytest.param("[" * 10_000 + "]" * 10_000, "1:65", id="10000-brackets"),
        pytest.param("[" * 200_000, "1:65", id="200000-open-brackets"),  # segfaulted in libyaml's composer
        pytest.param("{a: " * 10_000 + "}" * 10_000, "1:257", id="10000-nested-flow-mappings"),
        pytest.param("- " * 5_000 + "x\n", "1:129", id="line-of-5000-dashes"),
        pytest.param(nested_block_mapping(200), "65:129", id="block-mapping-200-deep"),
        pytest.param("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "1:65", id="one-past-the-limit"),
        pytest.param(nested_block_mapping(MAX_DEPTH + 1), "65:129", id="block-one-past-the-limit"),
        pytest.param(
            RECEIPT_START + "[" * 10_000 + "]" * 10_000 + "}",
            f"1:{len(RECEIPT_START) + 64}",
            id="deep-json-receipt",
        ),
        pytest.param("a: 1\na: " + "[" * 10_000, "2:67", id="deep-inside-a-dropped-value"),
        pytest.param("? " + "[" * 10_000, "1:66", id="deep-inside-a-refused-key"),
    ],
)
def test_hostile_nesting_is_one_located_problem_not_a_crash(tmp_path, content, where, parser):
    assert read_in_child(tmp_path, content, parser=parser) == ["no document", f"x.yaml:{where}: {TOO_DEEP}"]


@pytest.mark.parametrize("parser", PARSERS)
def test_nesting_at_the_limit_reads_fine(tmp_path, parser):
    receipt = RECEIPT_START + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "}"
    assert json.loads(receipt)  # still JSON, as receipts are
    at_the_limit = ["[" * MAX_DEPTH + "]" * MAX_DEPTH, nested_block_mapping(MAX_DEPTH), receipt]
    assert read_in_child(tmp_path, *at_the_limit, parser=parser) == [
        "document of list",
        "document of dict",
        "document of dict",
    ]


@pytest.mark.parametrize("parser", PARSERS)
def test_random_binary_is_one_located_problem(tmp_path, parser):
    rng = random.Random(2024)
    binary = rng.randbytes(4096)
    ascii_noise = "".join(chr(rng.randrange(128)) for _ in range(4096))  # valid UTF-8, full of controls
    assert read_in_child(tmp_path, binary, ascii_noise, parser=parser) == [
        "no document",
        "x.yaml:1:1: file is not UTF-8 text (byte 0)",
        "no document",
        f"x.yaml:1:2: YAML error: unacceptable character #x001e: {REFUSED[parser]}",
    ]
    # Random bytes read as Latin-1 are valid UTF-8 once written: they get past decoding to the parser.
    noise = [rng.randbytes(rng.randrange(1, 2000)).decode("latin-1") for _ in range(30)]
    lines = read_in_child(tmp_path, *noise, parser=parser)
    assert lines[::2] == ["no document"] * len(noise)
    assert all(re.fullmatch(r"x\.yaml:\d+:\d+: YAML (syntax )?error: .+", line) for line in lines[1::2])


def test_what_is_not_a_regular_file_is_never_read(tmp_path):
    """A receipt named on the command line may be a FIFO (opening it would wait forever) or a
    device such as /dev/zero (reading it would never end)."""
    fifo = tmp_path / "receipt.json"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero"), Path("/dev/urandom")):
        doc, problems = read_yaml(path, str(path))
        assert (doc, [str(p) for p in problems]) == (None, [f"{path}:1:1: is not a regular file"])
    doc, problems = read_yaml(tmp_path, "folder")
    assert [str(p) for p in problems] == ["folder:1:1: cannot read file: Is a directory"]


def test_a_huge_file_is_refused_without_reading_it_all(tmp_path):
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as stream:
        stream.truncate(50 * 1024 * 1024)  # sparse: 50 MB that costs nothing to make
    doc, problems = read_yaml(huge, "huge.yaml")
    assert [str(p) for p in problems] == ["huge.yaml:1:1: file is larger than 2,000,000 bytes"]


def test_a_folded_document_keeps_no_positions_yet_locates_as_before(tmp_path):
    """A build holds every SOP's document until the KB is checked: folded, each keeps its text
    compressed and reads it again for its first problem, with the positions of the text it read."""
    text = "id: x\nsteps:\n  - id: greet\n    title: Hi\n  - {id: ask, title: Why}\n"
    plain, _ = read(tmp_path, text)
    path = tmp_path / "x.yaml"
    folded, problems = read_yaml(path, "x.yaml", fold=True)
    assert problems == [] and folded.data == plain.data and folded.blob == plain.blob
    assert folded.positions == {} and folded.key_positions == {}
    path.write_text("moved: on\n\n\n" + text, encoding="utf-8")  # the file changed since: no matter
    for key_path in [("steps", 0, "title"), ("steps", 1, "title"), ("steps", 1, "missing"), ("nothing",)]:
        assert folded.locate(key_path) == plain.locate(key_path)
        assert folded.locate(key_path, key=True) == plain.locate(key_path, key=True)
    assert folded.positions == plain.positions and folded.key_positions == plain.key_positions
    assert str(folded.problem(("steps", 1, "id"), "m")) == str(plain.problem(("steps", 1, "id"), "m"))
