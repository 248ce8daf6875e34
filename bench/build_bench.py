"""Build-time and page-size benchmark: sopkb vs plain Material on the same content.

For each N it writes N synthetic SOPs (about 10 steps, 2 decisions and a call script each, in
20 categories) into a temporary KB and builds it with `sopkb build`; then it writes the same
text as N plain Markdown pages in 20 nav sections with `navigation.prune` and builds that with
`mkdocs build`. It reports wall time, site size and mean HTML size per SOP page.

    python bench/build_bench.py               # N = 100 and 1000
    python bench/build_bench.py --sizes 100   # quicker
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository: the KB generator is the tests'
from tests.synthetic_kb import CATEGORIES, synthetic_sops  # noqa: E402


def plain_markdown(sop: dict) -> str:
    """The same words as a hand-written wiki page: what plain Material would be given."""
    out = [
        f"# {sop['title']}",
        "",
        sop["summary"],
        "",
        "## Objective",
        "",
        sop["objective"],
        "",
        "## Procedure",
        "",
    ]
    for n, step in enumerate(sop["steps"], 1):
        out += [f"### {n}. {step['title']}", ""] + [f"- {d}" for d in step["do"]] + [""]
        out += [f"> Say: {line}" for line in step["say"]] + [""]
        for b in step.get("decision", {}).get("branches", []):
            out += [f"- **If {b['answer']}** → {b['goto']}"]
        out.append("")
    out += ["## Sample call", ""] + [
        f"- **{ln['speaker']}**: {ln['text']}" for ln in sop["call_scripts"][0]["lines"]
    ]
    return "\n".join(out) + "\n"


THEME = """theme:
  name: material
  font: false
  features: [navigation.prune]
"""


def write_sopkb(root: Path, sops: list[dict]) -> None:
    (root / "sops").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(
        f"site_name: Bench\ndocs_dir: docs\n{THEME}plugins:\n  - sopkb\n"
        "markdown_extensions: [admonition, attr_list, {toc: {permalink: true}}]\n"
    )
    for sop in sops:
        (root / "sops" / f"{sop['id']}.yaml").write_text(json.dumps(sop), encoding="utf-8")  # JSON is YAML


def write_plain(root: Path, sops: list[dict]) -> None:
    docs = root / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n")
    nav: dict[str, list[str]] = {c: [] for c in CATEGORIES}
    for sop in sops:
        folder = docs / sop["category"].replace(" ", "-").lower()
        folder.mkdir(exist_ok=True)
        (folder / f"{sop['id']}.md").write_text(plain_markdown(sop), encoding="utf-8")
        nav[sop["category"]].append(f"{folder.name}/{sop['id']}.md")
    nav_yaml = "nav:\n  - index.md\n" + "".join(
        f"  - {json.dumps(c)}:\n" + "".join(f"    - {p}\n" for p in pages) for c, pages in nav.items()
    )
    (root / "mkdocs.yml").write_text(
        f"site_name: Plain\n{THEME}plugins:\n  - search\n"
        "markdown_extensions: [admonition, attr_list, {toc: {permalink: true}}]\n" + nav_yaml
    )


def timed(cmd: list[str], cwd: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"build failed in {cwd}:\n{result.stderr[-3000:]}")
    return elapsed


def measure(site: Path, page_glob: str) -> dict:
    pages = [p.stat().st_size for p in site.glob(page_glob)]
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return {"pages": len(pages), "site_bytes": total, "mean_page_bytes": round(statistics.mean(pages))}


def run(n: int, workdir: Path) -> dict:
    sops = synthetic_sops(n)
    ours, plain = workdir / f"sopkb-{n}", workdir / f"plain-{n}"
    write_sopkb(ours, sops)
    write_plain(plain, sops)
    t_plain = timed([sys.executable, "-m", "mkdocs", "build", "-q"], plain)
    t_ours = timed([sys.executable, "-m", "sopkb.cli", "build"], ours)
    return {
        "n": n,
        "sopkb": {"seconds": round(t_ours, 2), **measure(ours / "site", "sops/*/index.html")},
        "plain_material": {
            "seconds": round(t_plain, 2),
            **measure(plain / "site", "category-*/*/index.html"),
        },
        "time_ratio": round(t_ours / t_plain, 2),
        "learning": learning_sizes(ours / "site"),
    }


def learning_sizes(site: Path) -> dict:
    """What the learning pages cost: the pages themselves (flat) and the data they fetch."""
    data = site / "learning" / "data"
    return {
        "pages_bytes_max": max(
            (site / page / "index.html").stat().st_size
            for page in (
                "learning",
                "learning/assign",
                "learning/assignment",
                "learning/certificate",
                "paths",
            )
        ),
        "catalog_bytes": (data / "catalog.json").stat().st_size,
        "quiz_file_bytes_max": max(p.stat().st_size for p in (data / "quiz").glob("*.json")),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sopkb-bench-") as tmp:
        results = [run(n, Path(tmp)) for n in args.sizes]
    print(
        f"{'N':>6} | {'sopkb s':>8} | {'plain s':>8} | {'ratio':>5} | {'sopkb KB/page':>13} | "
        f"{'plain KB/page':>13} | {'sopkb site MB':>13} | {'plain site MB':>13}"
    )
    for r in results:
        s, p = r["sopkb"], r["plain_material"]
        print(
            f"{r['n']:>6} | {s['seconds']:>8} | {p['seconds']:>8} | {r['time_ratio']:>5} | "
            f"{s['mean_page_bytes'] / 1024:>13.1f} | {p['mean_page_bytes'] / 1024:>13.1f} | "
            f"{s['site_bytes'] / 2**20:>13.1f} | {p['site_bytes'] / 2**20:>13.1f}"
        )
    for r in results:
        learning = r["learning"]
        print(
            f"N={r['n']}: learning pages at most {learning['pages_bytes_max'] / 1024:.1f} KB; "
            f"trainer's quiz catalog {learning['catalog_bytes'] / 1024:.1f} KB; "
            f"largest per-quiz file {learning['quiz_file_bytes_max']} B"
        )
    if len(results) > 1:
        first, last = results[0]["sopkb"], results[-1]["sopkb"]
        growth = last["mean_page_bytes"] / first["mean_page_bytes"] - 1
        print(f"sopkb per-page size change from N={results[0]['n']} to N={results[-1]['n']}: {growth:+.1%}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
