"""PDF reading benchmark: how long `read_pdf` takes per seed PDF (warm, after a first read) and
for a 50-page PDF made of the seeds' pages.

The seed PDFs are LibreOffice's prints of the seed Word documents, as the PDF reader's tests make
them (tests/unit/importing/seed_documents.py, hostile.to_pdf); they are made once into --cache.

    python bench/pdf_bench.py
    python bench/pdf_bench.py --repeat 20 --json
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "generator"))
sys.path.insert(0, str(ROOT))

from sopkb.importing.read_pdf import read_pdf  # noqa: E402

from tests.unit.importing.hostile import to_pdf  # noqa: E402
from tests.unit.importing.seed_documents import SEEDS, write_docx  # noqa: E402


def seed_pdfs(cache: Path) -> list[Path]:
    pdfs = [cache / "pdf" / f"seed_{doc.name}.pdf" for doc in SEEDS]
    if all(p.exists() for p in pdfs):
        return pdfs
    cache.mkdir(parents=True, exist_ok=True)
    docx = [write_docx(doc, cache / f"seed_{doc.name}.docx") for doc in SEEDS]
    with tempfile.TemporaryDirectory() as profile:
        return to_pdf(docx, cache / "pdf", Path(profile))


def long_pdf(sources: list[Path], path: Path, pages: int) -> Path:
    """`pages` pages taken from the sources in turn (the seeds' pages over and over)."""
    import pypdfium2

    if path.exists():
        return path
    out = pypdfium2.PdfDocument.new()
    try:
        while len(out) < pages:
            for source in sources:
                with pypdfium2.PdfDocument(source) as pdf:
                    take = min(len(pdf), pages - len(out))
                    if take:
                        out.import_pages(pdf, list(range(take)))
        out.save(path)
    finally:
        out.close()
    return path


def timed(path: Path, repeat: int) -> float:
    """The fastest of `repeat` reads in milliseconds, after a first read (imports, caches) not
    counted: on a shared machine the fastest run is the one least slowed by the others."""
    read_pdf(path, path.name)
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        read_pdf(path, path.name)
        runs.append((time.perf_counter() - started) * 1000)
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "sopkb-pdf-bench")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    seeds = seed_pdfs(args.cache)
    results = {p.stem: timed(p, args.repeat) for p in seeds}
    big = long_pdf(seeds, args.cache / f"long-{args.pages}.pdf", args.pages)
    results[f"{args.pages} pages"] = timed(big, max(1, args.repeat // 5))
    if args.json:
        print(json.dumps({name: round(ms, 1) for name, ms in results.items()}))
        return
    for name, ms in results.items():
        print(f"{name:>12}: {ms:7.1f} ms")
    per_seed = statistics.mean(results[p.stem] for p in seeds)
    print(f"{'seed mean':>12}: {per_seed:7.1f} ms")


if __name__ == "__main__":
    main()
