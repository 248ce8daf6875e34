"""Source-reading benchmark: the event-driven composer in yaml_reader vs the node composer it replaced.

The reader is on the hot path of every build (10,000-SOP KBs read 10,000 files), so replacing
libyaml's C composer plus a recursive Python walk (`_convert`) with a Python composer driven by
parse events must not make reading slower. The old functions are kept here, verbatim but for
names, so the comparison can be rerun after either changes; the two must give the same result on
every file timed, which is checked first.

It times the bundled SOPs (`sops/**/*.yaml`), one synthetic SOP written as block YAML and as JSON
(how bench/build_bench.py writes its KBs), and one big synthetic file just under the size limit.

    python bench/read_bench.py              # best of 5 rounds
    python bench/read_bench.py --rounds 9   # steadier numbers
    python bench/read_bench.py --pure       # both with PyYAML's pure-Python parser (no libyaml)
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "generator"))
sys.path.insert(0, str(ROOT))  # the repository: the tests share the KB generator
from sopkb.core.errors import Problem  # noqa: E402 - a script beside the package it measures
from sopkb.core.key_path import KeyPath, format_key_path  # noqa: E402
from sopkb.loading import yaml_reader  # noqa: E402
from sopkb.loading.document import Document  # noqa: E402
from sopkb.loading.yaml_reader import MAX_SOURCE_BYTES, read_yaml  # noqa: E402
from sopkb.loading.yaml_scalars import Integer, Number  # noqa: E402

from tests.synthetic_kb import synthetic_sops  # noqa: E402

# --- The reader before the event composer (yaml_reader.py at 7c20df8) -------------------------


class OldAliasRefused(yaml.YAMLError):
    def __init__(self, mark: yaml.Mark):
        self.problem_mark = mark
        super().__init__("YAML aliases (*name) are not allowed in sources; repeat the text instead")


class _OldResolver(Resolver):
    pass


_OldResolver.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in [
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("int", r"^[-+]?[0-9]+$", list("-+0123456789")),
    ("float", r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$", list("-+0123456789.")),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("timestamp", r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", list("0123456789")),
]:
    _OldResolver.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), _first)


class _OldLoader(Reader, Scanner, Parser, Composer, SafeConstructor, _OldResolver):
    def __init__(self, stream: str):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        _OldResolver.__init__(self)

    def compose_node(self, parent, index):  # noqa: ANN001
        if self.check_event(AliasEvent):
            raise OldAliasRefused(self.peek_event().start_mark)
        return super().compose_node(parent, index)


if yaml_reader.LIBYAML:
    from yaml.cyaml import CParser

    class _OldFastLoader(CParser, SafeConstructor, _OldResolver):
        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            SafeConstructor.__init__(self)
            _OldResolver.__init__(self)


def old_read_yaml(path: Path, display_path: str) -> tuple[Document | None, list[Problem]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(display_path, 1, 1, f"cannot read file: {exc.strerror}")]
    if len(raw) > MAX_SOURCE_BYTES:
        return None, [Problem(display_path, 1, 1, f"file is larger than {MAX_SOURCE_BYTES:,} bytes")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(display_path, 1, 1, f"file is not UTF-8 text (byte {exc.start})")]
    loader = _OldFastLoader(text) if yaml_reader.LIBYAML else _OldLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        context = exc.context or ""
        if exc.context_mark is not None and exc.problem_mark is not None and exc.context:
            context += f" (started at line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1})"
        message = ": ".join(filter(None, [context, exc.problem])) or str(exc)
        return None, [Problem(display_path, line, column, f"YAML syntax error: {message}")]
    except OldAliasRefused as exc:
        mark = exc.problem_mark
        return None, [Problem(display_path, mark.line + 1, mark.column + 1, str(exc))]
    except yaml.YAMLError as exc:
        return None, [Problem(display_path, 1, 1, f"YAML error: {exc}")]
    finally:
        loader.dispose()
    doc = Document(display_path, None)
    problems: list[Problem] = []
    if node is None:
        doc.data = {}
        return doc, problems
    try:
        doc.data = _old_convert(node, (), doc, loader, problems, set())
    except OldAliasRefused as exc:
        mark = exc.problem_mark
        return None, [Problem(display_path, mark.line + 1, mark.column + 1, str(exc))]
    return doc, problems


_STR_TAG = "tag:yaml.org,2002:str"
_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp")
}


def _old_convert(
    node: Node, key_path: KeyPath, doc: Document, loader: Any, problems: list[Problem], seen: set[int]
) -> Any:
    if isinstance(node, (MappingNode, SequenceNode)):
        if id(node) in seen:
            line, column = doc.key_positions.get(key_path) or doc.locate(key_path[:-1])
            raise OldAliasRefused(yaml.Mark(doc.file, 0, line - 1, column - 1, None, None))
        seen.add(id(node))
    doc.positions[key_path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if node.tag not in _PLAIN_TAGS:
        problems.append(
            doc.problem(
                key_path, f"unsupported YAML tag {node.tag!r} (sources use plain text, lists and mappings)"
            )
        )
        return None
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                problems.append(doc.problem(key_path, "mapping keys must be plain text"))
                continue
            key = key_node.value
            if key in result:
                line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                problems.append(
                    Problem(doc.file, line, column, f"duplicate key {key!r}", format_key_path(key_path))
                )
                continue
            child = (*key_path, key)
            doc.key_positions[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _old_convert(value_node, child, doc, loader, problems, seen)
        return result
    if isinstance(node, SequenceNode):
        return [
            _old_convert(item, (*key_path, i), doc, loader, problems, seen)
            for i, item in enumerate(node.value)
        ]
    if node.tag == _STR_TAG:
        return node.value
    try:
        value = loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as exc:
        problems.append(doc.problem(key_path, f"cannot read value: {exc.problem}"))
        return None
    except (ValueError, OverflowError):
        return node.value
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return Integer(value, node.value)
    if isinstance(value, float):
        return Number(value, node.value)
    return value


# --- The benchmark -----------------------------------------------------------------------------


def _shape(value: Any) -> Any:
    """Data with its types (and how numbers were written), so equal-looking results really are."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(item) for item in value]
    return (type(value).__name__, value, getattr(value, "raw", None))


def _result(reader: Any, path: Path) -> Any:
    doc, problems = reader(path, path.name)
    return [str(p) for p in problems], doc and (_shape(doc.data), doc.positions, doc.key_positions)


def best_per_file(readers: list[Any], paths: list[Path], rounds: int, budget: float) -> list[float]:
    """Best-of-rounds seconds per file for each reader, in alternating rounds so load affects both.

    Each round reads every file enough times to take about `budget` seconds.
    """
    started = time.perf_counter()
    for path in paths:
        readers[0](path, path.name)
    passes = max(1, round(budget / max(time.perf_counter() - started, 1e-6)))
    best = [float("inf")] * len(readers)
    for _ in range(rounds):
        for i, reader in enumerate(readers):
            started = time.perf_counter()
            for _ in range(passes):
                for path in paths:
                    reader(path, path.name)
            best[i] = min(best[i], (time.perf_counter() - started) / (passes * len(paths)))
    return best


def corpora(workdir: Path) -> dict[str, list[Path]]:
    """The bundled SOPs, one synthetic SOP as YAML and as JSON, and one big file."""
    sop = synthetic_sops(1, seed=7)[0]
    block, as_json = workdir / "synthetic.yaml", workdir / "synthetic.json"
    block.write_text(yaml.safe_dump(sop, sort_keys=False, allow_unicode=True), encoding="utf-8")
    as_json.write_text(json.dumps(sop, indent=2), encoding="utf-8")
    big = workdir / "big.yaml"
    sops = synthetic_sops(400, seed=7)
    while len(text := yaml.safe_dump({"sops": sops}, sort_keys=False)) > MAX_SOURCE_BYTES:
        sops = sops[: len(sops) * 9 // 10]
    big.write_text(text, encoding="utf-8")
    return {
        "bundled SOPs": sorted(ROOT.glob("sops/**/*.yaml")),
        "synthetic SOP (YAML)": [block],
        "synthetic SOP (JSON)": [as_json],
        f"big file ({len(sops)} SOPs)": [big],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--budget", type=float, default=0.4, help="seconds per round per reader")
    parser.add_argument("--pure", action="store_true", help="PyYAML's pure-Python parser for both")
    args = parser.parse_args()
    if args.pure:
        yaml_reader.LIBYAML = False  # read at each call, by both readers
    using = "libyaml" if yaml_reader.LIBYAML else "pure-Python parser"
    print(f"PyYAML {yaml.__version__}, {using}; best of {args.rounds} rounds")
    with tempfile.TemporaryDirectory() as tmp:
        for name, paths in corpora(Path(tmp)).items():
            for path in paths:
                if _result(old_read_yaml, path) != _result(read_yaml, path):
                    raise SystemExit(f"old and new readers disagree on {path}")
            size = sum(path.stat().st_size for path in paths) / len(paths)
            old, new = best_per_file([old_read_yaml, read_yaml], paths, args.rounds, args.budget)
            print(
                f"{name:26} {len(paths):2} file(s), {size / 1024:7.1f} KB each:"
                f"  old {old * 1e3:8.3f} ms/file   new {new * 1e3:8.3f} ms/file   new/old {new / old:.2f}"
            )


if __name__ == "__main__":
    main()
