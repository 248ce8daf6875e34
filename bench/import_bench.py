"""Import benchmark: how close `sopkb import`'s drafts of the five seeds come to the hand-made
bundled SOPs, and how fast 200 documents import.

For each seed text (tests/fixtures/import/seeds/, plain text extracted from real documents) the
draft is compared with the bundled SOP made from it by hand: steps, decisions and script lines
(say lines, branch say lines and call-script lines) found vs bundled, sentences carried (in a
field, or listed in a review note), open review points, and the remaining edit: the lines that
differ between the draft's YAML and the bundled file (difflib, both dumped the same way), as a
share of the bundled file's lines. Then 200 documents (the seeds and the own fixtures, repeated
under other names) are imported — read, drafted, validated and dumped, as `sopkb import
--dry-run` does — and timed (aim: under 10 s).

    python bench/import_bench.py
    python bench/import_bench.py --documents 1000 --json
"""

from __future__ import annotations

import argparse
import difflib
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "generator"))

import yaml  # noqa: E402
from sopkb.importing.emit import dump  # noqa: E402
from sopkb.importing.run import Target, figures, import_document  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "import"
BUNDLED = {
    "000": "sops/deliveries/missed-delivery-customer-home.yaml",
    "001": "sops/deliveries/lost-or-stolen-package.yaml",
    "002": "sops/tracking/tracking-number-not-on-shiptrack.yaml",
    "003": "sops/general/customer-service-standards.yaml",
    "004": "sops/escalations/leadership-request.yaml",
}


def _target(into: Path) -> Target:
    return Target(into, "Imported", lambda folder: "../schemas/sop.schema.json", [], {})


def compare(seed: Path, into: Path) -> dict:
    result = import_document(seed, seed.name, _target(into), set())
    (draft,) = result.drafts
    drafted = yaml.safe_load(draft.text)
    bundled = yaml.safe_load((ROOT / BUNDLED[seed.name[:3]]).read_text(encoding="utf-8"))
    mine, theirs = figures(drafted), figures(bundled)
    a = dump(drafted, "s").splitlines()
    b = dump(bundled, "s").splitlines()
    changed = sum(
        max(i2 - i1, j2 - j1)
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes()
        if tag != "equal"
    )
    return {
        "seed": seed.name[:3],
        "steps": f"{mine['steps']}/{theirs['steps']}",
        "decisions": f"{mine['decisions']}/{theirs['decisions']}",
        "script lines": f"{mine['script lines']}/{theirs['script lines']}",
        "sentences": f"{result.carried}/{result.sentences}",
        "review": mine["review"],
        "edit lines": f"{changed} of {len(b)} ({100 * changed / len(b):.0f} %)",
    }


def timed(documents: int, into: Path, work: Path) -> float:
    sources = sorted((FIXTURES / "seeds").glob("*.txt")) + sorted(p for p in FIXTURES.glob("*.*"))
    files = []
    for n in range(documents):
        source = sources[n % len(sources)]
        copy = work / f"{n:04d}-{source.name}"
        shutil.copy(source, copy)
        files.append(copy)
    started = time.perf_counter()
    taken: set[str] = set()
    for path in files:
        result = import_document(path, path.name, _target(into), taken)
        assert result.error is None, result.error
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        into, work = Path(tmp) / "sops", Path(tmp) / "in"
        work.mkdir()
        rows = [compare(seed, into) for seed in sorted((FIXTURES / "seeds").glob("*.txt"))]
        seconds = timed(args.documents, into, work)
    if args.json:
        print(
            json.dumps({"seeds": rows, "documents": args.documents, "seconds": round(seconds, 2)}, indent=2)
        )
        return
    columns = list(rows[0])
    widths = [max(len(c), *(len(str(r[c])) for r in rows)) for c in columns]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for row in rows:
        print("  ".join(str(row[c]).ljust(w) for c, w in zip(columns, widths, strict=True)))
    print(
        f"\n{args.documents} documents imported (read, drafted, validated, dumped) in {seconds:.2f} s "
        f"({1000 * seconds / args.documents:.1f} ms each)"
    )


if __name__ == "__main__":
    main()
