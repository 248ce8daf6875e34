"""Import benchmark: how close `sopkb import`'s drafts of the five seeds come to the hand-made
bundled SOPs, in each format a team has them in, and how fast 200 documents import.

Each seed is imported as the plain text extracted from its real document
(tests/fixtures/import/seeds/), as the Word document it was made from (headings in heading styles,
Word's automatic numbering, seed 004's decision tables as real tables; written by
tests/unit/importing/seed_documents.py), and as LibreOffice's PDF and HTML exports of that Word
file. Each draft is compared with the bundled SOP made from the seed by hand: steps, decisions and
script lines (say lines, branch say lines and call-script lines) found vs bundled, sentences
carried (in a field, or listed in a review note), open review points, and the remaining edit: the
lines that differ between the draft's YAML and the bundled file (difflib, both dumped the same
way), as a share of the bundled file's lines.

Then documents are imported — read (several at once, in up to 4 processes), drafted, validated
and dumped, as `sopkb import --dry-run` does — and timed: 200 of a mixed library (every format
above plus the own Markdown and text fixtures, in turn) and 200 of each format alone (aim: 200
under 10 s). CPU time counts the reading processes too. PDF and HTML need
LibreOffice (`soffice`); without it those rows are left out, and the output says so.

    python bench/import_bench.py
    python bench/import_bench.py --documents 1000 --json
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "generator"))
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402
from sopkb.importing.emit import dump  # noqa: E402
from sopkb.importing.run import Target, figures, import_document, read_documents  # noqa: E402

from tests.unit.importing.hostile import SOFFICE, to_pdf  # noqa: E402
from tests.unit.importing.seed_documents import SEEDS, write_docx  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "import"
BUNDLED = {
    "000": "sops/deliveries/missed-delivery-customer-home.yaml",
    "001": "sops/deliveries/lost-or-stolen-package.yaml",
    "002": "sops/tracking/tracking-number-not-on-shiptrack.yaml",
    "003": "sops/general/customer-service-standards.yaml",
    "004": "sops/escalations/leadership-request.yaml",
}


JOBS = min(os.cpu_count() or 1, 4)  # as `sopkb import` reads


def _target(into: Path) -> Target:
    return Target(into, "Imported", lambda folder: "../schemas/sop.schema.json", [], {})


def seed_documents(work: Path) -> dict[str, list[Path]]:
    """The five seeds in each format: {"txt": [...], "docx": [...], "pdf": [...], "html": [...]}."""
    by_format = {"txt": sorted((FIXTURES / "seeds").glob("*.txt"))}
    by_format["docx"] = [write_docx(doc, work / f"seed_{doc.name}.docx") for doc in SEEDS]
    if SOFFICE is not None:
        profile = work / "lo-profile"
        by_format["pdf"] = to_pdf(by_format["docx"], work / "pdf", profile)
        subprocess.run(
            [
                SOFFICE, "--headless", "--norestore", "--nologo",
                f"-env:UserInstallation={profile.as_uri()}",
                "--convert-to", "html:XHTML Writer File:UTF8", "--outdir", str(work / "html"),
                *map(str, by_format["docx"]),
            ],
            check=True, capture_output=True, timeout=300, env={**os.environ, "HOME": str(profile)},
        )  # fmt: skip
        by_format["html"] = [work / "html" / f"{p.stem}.html" for p in by_format["docx"]]
    return by_format


def compare(seed: Path, kind: str, into: Path) -> dict:
    number = next(n for n in BUNDLED if n in seed.name)
    result = import_document(seed, seed.name, _target(into), set())
    (draft,) = result.drafts
    drafted = yaml.safe_load(draft.text)
    bundled = yaml.safe_load((ROOT / BUNDLED[number]).read_text(encoding="utf-8"))
    mine, theirs = figures(drafted), figures(bundled)
    a = dump(drafted, "s").splitlines()
    b = dump(bundled, "s").splitlines()
    changed = sum(
        max(i2 - i1, j2 - j1)
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes()
        if tag != "equal"
    )
    return {
        "seed": number,
        "format": kind,
        "steps": f"{mine['steps']}/{theirs['steps']}",
        "decisions": f"{mine['decisions']}/{theirs['decisions']}",
        "branches": f"{mine['branches']}/{theirs['branches']}",
        "script lines": f"{mine['script lines']}/{theirs['script lines']}",
        "sentences": f"{result.carried}/{result.sentences}",
        "review": mine["review"],
        "edit lines": f"{changed} of {len(b)} ({100 * changed / len(b):.0f} %)",
    }


def timed(sources: list[Path], documents: int, into: Path, work: Path) -> tuple[float, float]:
    """Seconds (wall, CPU) to import `documents` files, taking `sources` in turn under new names.
    CPU time is the steadier figure on a shared, busy machine."""
    work.mkdir()
    files = []
    for n in range(documents):
        source = sources[n % len(sources)]
        copy = work / f"{n:04d}-{source.name}"
        shutil.copy(source, copy)
        files.append(copy)
    started, cpu = time.perf_counter(), _cpu()
    taken: set[str] = set()
    items = [(path, path.name) for path in files]
    for (path, name), read in zip(items, read_documents(items, JOBS), strict=True):
        result = import_document(path, name, _target(into), taken, read)
        assert result.error is None, result.error
    return time.perf_counter() - started, _cpu() - cpu


def _cpu() -> float:
    """This process's CPU time and its finished reading workers'."""
    own, children = os.times(), os.times()
    return own.user + own.system + children.children_user + children.children_system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        into = work / "sops"
        by_format = seed_documents(work)
        rows = [
            compare(seed, kind, into)
            for number in range(len(SEEDS))
            for kind, seeds in by_format.items()
            for seed in seeds[number : number + 1]
        ]
        own = sorted(p for p in FIXTURES.glob("*.*"))
        import_document(by_format["docx"][0], "warm-up", _target(into), set())  # load each reader once
        if "pdf" in by_format:
            import_document(by_format["pdf"][0], "warm-up", _target(into), set())
        mixed = [p for kind in by_format.values() for p in kind] + own
        timings = {"mixed": timed(mixed, args.documents, into, work / "timed-mixed")}
        for kind, seeds in by_format.items():
            timings[kind] = timed(seeds, args.documents, into, work / f"timed-{kind}")
    if args.json:
        print(json.dumps({"seeds": rows, "documents": args.documents, "seconds": timings}, indent=2))
        return
    columns = list(rows[0])
    widths = [max(len(c), *(len(str(r[c])) for r in rows)) for c in columns]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for row in rows:
        print("  ".join(str(row[c]).ljust(w) for c, w in zip(columns, widths, strict=True)))
    if "pdf" not in by_format:
        print("\n(no LibreOffice: the PDF and HTML rows are left out)")
    print(f"\n{args.documents} documents imported (read, drafted, validated, dumped):")
    for kind, (wall, cpu) in timings.items():
        label = "mixed library" if kind == "mixed" else f"all {kind}"
        print(
            f"  {label:<14} {wall:6.2f} s  ({1000 * wall / args.documents:.1f} ms each);"
            f" CPU {cpu:6.2f} s ({1000 * cpu / args.documents:.1f} ms each)"
        )


if __name__ == "__main__":
    main()
