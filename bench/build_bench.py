"""Build-time, memory and page-size benchmark: sopkb vs plain Material on the same content.

Two workloads, each at N SOPs in 20 categories (folders):

- `synthetic`: N synthetic SOPs (tests/synthetic_kb.py: about 10 steps, 2 decisions and a call
  script each, Zipf-distributed words);
- `leadership`: the richest bundled SOP, sops/escalations/leadership-request.yaml, cloned N times
  with new ids and distinct titles, each clone's `related` pointing at the next clone.

For each it builds the KB with `sopkb build` (cold: no build cache, and no compiled templates in
the user's cache folder; then three times again with nothing edited, the median reported, each
after the old site the build hands to a process of its own is gone), then writes
the same text as N plain Markdown pages (headings and nested lists) in 20 nav sections with
`navigation.prune` and builds that with `mkdocs build`. Each build runs in its own child process,
so its wall time, CPU time (the build and its workers) and peak resident memory (the largest
single process) are its own. The result is a Markdown table, with the load average at the start
of each build (the reference machine has 2 cores shared with other work).

    python bench/build_bench.py                                  # synthetic, N = 100 and 1000
    python bench/build_bench.py --workload leadership --sizes 100 1000
    python bench/build_bench.py --workload both --sizes 100      # quicker
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the repository: the KB generator is the tests'
from tests.synthetic_kb import synthetic_sops  # noqa: E402

LEADERSHIP = REPO / "sops" / "escalations" / "leadership-request.yaml"
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's: 10,000 clones in seconds

# Runs one build as its own child and reports, as JSON on stdout, what that child and its
# descendants used: RUSAGE_CHILDREN of this wrapper is exactly the build's.
MEASURE = r"""
import json, os, resource, subprocess, sys, time
load = os.getloadavg()[0]
started = time.perf_counter()
result = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - started
used = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"returncode": result.returncode, "stderr": result.stderr[-3000:],
    "wall": wall, "cpu": used.ru_utime + used.ru_stime, "maxrss_kb": used.ru_maxrss, "load": load}))
"""


# ---------------------------------------------------------------- the workloads


def leadership_clones(n: int, source: Path = LEADERSHIP) -> list[dict]:
    """`source` cloned n times: new ids, distinct titles, 20 categories; every reference valid.

    Step ids stay (they are local to an SOP); `sop:<own id>` references anywhere in the text follow
    the new id; `related` entries point at the next clone (none when n == 1)."""
    original = yaml.safe_load(source.read_text(encoding="utf-8"))
    old_id = original["id"]
    own_ref = re.compile(rf"\bsop:{re.escape(old_id)}\b")
    clones = []
    for i in range(n):
        new_id = f"{old_id}-{i:05d}"
        sop = _map_strings(copy.deepcopy(original), lambda s, new=new_id: own_ref.sub(f"sop:{new}", s))
        sop["id"] = new_id
        sop["title"] = f"{original['title']} {i:04d}"
        sop["category"] = f"{original['category']} {i % 20:02d}"
        if "related" in sop:
            target = f"{old_id}-{(i + 1) % n:05d}"
            sop["related"] = [{**r, "sop": target} for r in sop["related"][:1]] if n > 1 else []
        clones.append(sop)
    return clones


def _map_strings(value, change: Callable[[str], str]):
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list):
        return [_map_strings(v, change) for v in value]
    if isinstance(value, dict):
        return {k: _map_strings(v, change) for k, v in value.items()}
    return value


def workload_sops(workload: str, n: int, clone: Path = LEADERSHIP) -> list[dict]:
    return synthetic_sops(n) if workload == "synthetic" else leadership_clones(n, clone)


# ---------------------------------------------------------------- the same text as plain Markdown


def synthetic_markdown(sop: dict) -> str:
    """The synthetic SOP's words as a hand-written wiki page (the original plain side, kept so the
    synthetic figures stay comparable with earlier runs)."""
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


DEFAULT_ORDER = ("callouts", "do", "say", "ask", "verify", "tables", "messages", "notes")
PART_LABELS = {"do": "Do", "say": "Say", "ask": "Ask", "verify": "Verify", "notes": "Notes"}


def _lines(text: str, indent: int) -> list[str]:
    """Markdown text as lines, the continuation lines indented to stay inside a list item."""
    first, *rest = str(text).strip().splitlines() or [""]
    pad = " " * indent
    return [first] + [pad + line if line.strip() else "" for line in rest]


def _bullet(text: str, depth: int) -> list[str]:
    pad = "    " * depth
    first, *rest = _lines(text, len(pad) + 4)
    return [f"{pad}- {first}", *rest]


def _items(items: Iterable, depth: int) -> list[str]:
    """`do`/`verify`-style items: a Markdown line or {text, items} for sub-bullets."""
    out: list[str] = []
    for item in items:
        if isinstance(item, dict):
            out += _bullet(item["text"], depth) + _items(item.get("items", []), depth + 1)
        else:
            out += _bullet(item, depth)
    return out


def _callout(callout: dict) -> list[str]:
    kind = callout["kind"]
    admonition = {"internal": "info", "compliance": "danger"}.get(kind, kind)
    title = kind.capitalize() + (f" · {callout['title']}" if callout.get("title") else "")
    return [f'!!! {admonition} "{title}"', ""] + ["    " + line for line in _lines(callout["text"], 0)] + [""]


def _table(table: dict) -> list[str]:
    def cell(text) -> str:
        return " ".join(str(text).split()).replace("|", "\\|")

    out = [f"**{table['caption']}**", ""] if table.get("caption") else []
    out += ["| " + " | ".join(cell(c) for c in table["columns"]) + " |"]
    out += ["|" + "---|" * len(table["columns"])]
    out += ["| " + " | ".join(cell(c) for c in row) + " |" for row in table["rows"]]
    return out + [""]


def _message(message: dict, level: str) -> list[str]:
    name = message["channel"].capitalize() + (f": {message['title']}" if message.get("title") else "")
    out = [f"{level} {name}", ""]
    if message.get("subject"):
        out += [f"**Subject:** {message['subject']}", ""]
    return out + [str(message["body"]).strip(), ""]


def _goto(goto: str, titles: dict[str, str]) -> str:
    if goto == "end":
        return "end of the call"
    if goto in titles:
        return f"step “{titles[goto]}”"
    return goto  # sop:<id>[#step] or ext:<id>, as written


def _step(step: dict, number: str, titles: dict[str, str]) -> list[str]:
    out = [f"### {number}. {step['title']}", ""]
    if step.get("actor"):
        out += [f"*Done by: {step['actor']}*", ""]
    order = list(step.get("order", []))
    order += [p for p in DEFAULT_ORDER if p not in order]
    for part in order:
        value = step.get(part)
        if not value:
            continue
        if part == "callouts":
            for callout in value:
                out += _callout(callout)
        elif part == "tables":
            for table in value:
                out += _table(table)
        elif part == "messages":
            for message in value:
                out += _message(message, "####")
        else:
            out += [f"- **{PART_LABELS[part]}**"] + _items(value, 1) + [""]
    if step.get("wait"):
        wait = step["wait"]
        line = f"- **Wait** {wait['duration']} until {wait['until']}"
        if wait.get("timeout"):
            line += f"; if not, go to {_goto(wait['timeout'], titles)}"
        out += [line, ""]
    if step.get("limit"):
        out += [f"- **Time limit** {step['limit']['duration']}: {step['limit']['what']}", ""]
    if step.get("call"):
        out += [f"- **Do the procedure** {_goto(step['call'], titles)}, then come back here", ""]
    if step.get("decision"):
        decision = step["decision"]
        out += [f"- **{decision['question']}**"]
        for branch in decision["branches"]:
            out += [f"    - **If {branch['answer']}** → {_goto(branch['goto'], titles)}"]
            if branch.get("do"):
                out += ["        - Do"] + _items(branch["do"], 3)
            if branch.get("say"):
                out += ["        - Say"] + _items(branch["say"], 3)
            if branch.get("review"):
                out += ["        - Review"] + _items(branch["review"], 3)
        out.append("")
    if step.get("next"):
        out += [f"- **Next:** {_goto(step['next'], titles)}", ""]
    if step.get("review"):
        out += ["- **To review**"] + _items(step["review"], 1) + [""]
    return out


def plain_markdown(sop: dict, pages: dict[str, tuple[str, str]] | None = None) -> str:
    """Any SOP's words as a hand-written wiki page: headings, nested lists, admonitions, tables.

    Written from the source's dict, not from sopkb's models, as a wiki author would copy it out.
    `pages` maps other SOPs' ids to (title, relative link) for `related`."""
    pages = pages or {}
    out = [f"# {sop['title']}", "", str(sop["summary"]).strip(), ""]
    facts = [
        ("Category", sop.get("category")),
        ("Tags", ", ".join(sop.get("tags", []))),
        ("Keywords", ", ".join(sop.get("keywords", []))),
        ("Status", sop.get("status")),
        ("Owner", sop.get("owner")),
        ("Version", sop.get("version")),
        ("Effective", sop.get("effective")),
        ("Review by", sop.get("review_by")),
        ("Source", sop.get("source")),
    ]
    out += [f"- **{name}:** {value}" for name, value in facts if value] + [""]
    for key, heading in (("background", "Background"), ("objective", "Objective"), ("scope", "Scope")):
        if sop.get(key):
            out += [f"## {heading}", "", str(sop[key]).strip(), ""]
    if sop.get("responsibilities"):
        out += ["## Responsibilities", ""]
        for r in sop["responsibilities"]:
            out += [f"- **{r['role']}**"] + _items(r["duties"], 1)
        out.append("")
    for callout in sop.get("callouts", []):
        out += _callout(callout)
    sections = sop.get("sections") or [{"title": "Procedure", "steps": sop.get("steps", [])}]
    steps = [step for section in sections for step in section["steps"]]
    titles = {s["id"]: s["title"] for s in steps}
    numbers = {s["id"]: str(s.get("number") or i) for i, s in enumerate(steps, 1)}
    if sop.get("starts"):
        out += ["## Where to start", ""]
        out += [f"- **{s['when']}** → {_goto(s['step'], titles)}" for s in sop["starts"]] + [""]
    for section in sections:
        out += [f"## {section['title']}", ""]
        if section.get("intro"):
            out += [str(section["intro"]).strip(), ""]
        for step in section["steps"]:
            out += _step(step, numbers[step["id"]], titles)
    if sop.get("conclusion"):
        out += ["## Conclusion", "", str(sop["conclusion"]).strip(), ""]
    documentation = sop.get("documentation") or {}
    if documentation:
        out += ["## Documentation", ""]
        for d in documentation.get("dispositions", []):
            code = f" (`{d['code']}`)" if d.get("code") else ""
            out += [f"- **Disposition:** {d['label']}{code}" + (f" — {d['when']}" if d.get("when") else "")]
        if documentation.get("record"):
            out += ["- **Record**"] + _items(documentation["record"], 1)
        if documentation.get("review"):
            out += ["- **To review**"] + _items(documentation["review"], 1)
        out.append("")
    if sop.get("call_scripts"):
        out += ["## Call scripts", ""]
        for script in sop["call_scripts"]:
            out += [f"### {script['title']}", ""]
            if script.get("situation"):
                out += [f"*{str(script['situation']).strip()}*", ""]
            for line in script["lines"]:
                who = line["speaker"].capitalize()
                out += _bullet(f"**{who}** ({titles.get(line['step'], line['step'])}): {line['text']}", 0)
            out.append("")
    if sop.get("messages"):
        out += ["## Messages", ""]
        for message in sop["messages"]:
            out += _message(message, "###")
    if sop.get("related"):
        out += ["## Related", ""]
        for r in sop["related"]:
            title, link = pages.get(r["sop"], (r["sop"], None))
            name = f"[{title}]({link})" if link else title
            out += _bullet(name + (f" — {r['why']}" if r.get("why") else ""), 0)
        out.append("")
    if sop.get("external"):
        out += ["## Outside this knowledge base", ""]
        for e in sop["external"]:
            where = e.get("url") or e.get("identifier") or ""
            out += [f"- **{e['title']}**" + (f": {where}" if where else "")]
        out.append("")
    if sop.get("review"):
        out += ["## To review", ""] + _items(sop["review"], 0) + [""]
    if sop.get("changes"):
        out += ["## Changes", ""]
        out += [f"- **{c['version']}** ({c['date']}): {c['summary']}" for c in sop["changes"]] + [""]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- writing the two sites

THEME = """theme:
  name: material
  font: false
  features: [navigation.prune]
"""
EXTENSIONS = {
    "synthetic": "markdown_extensions: [admonition, attr_list, {toc: {permalink: true}}]\n",
    # the bundled KB's (mkdocs.yml): the converter writes tables
    "leadership": "markdown_extensions: [admonition, attr_list, tables, {toc: {permalink: true}}]\n",
}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def write_sopkb(root: Path, sops: list[dict], workload: str) -> None:
    (root / "sops").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(
        f"site_name: Bench\ndocs_dir: docs\n{THEME}plugins:\n  - sopkb\n" + EXTENSIONS[workload]
    )
    for sop in sops:
        if workload == "synthetic":  # as before: flat, JSON (which is YAML)
            path, text = root / "sops" / f"{sop['id']}.yaml", json.dumps(sop)
        else:  # as a KB keeps them: YAML, a folder per category
            path = root / "sops" / slug(sop["category"]) / f"{sop['id']}.yaml"
            text = yaml.dump(sop, Dumper=DUMPER, sort_keys=False, allow_unicode=True, width=100)
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")


def write_plain(root: Path, sops: list[dict], workload: str) -> None:
    docs = root / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n")
    folders = {sop["id"]: slug(sop["category"]) for sop in sops}
    pages = {sop["id"]: (sop["title"], f"../{folders[sop['id']]}/{sop['id']}.md") for sop in sops}
    nav: dict[str, list[str]] = {}
    for sop in sops:
        folder = docs / folders[sop["id"]]
        folder.mkdir(exist_ok=True)
        text = synthetic_markdown(sop) if workload == "synthetic" else plain_markdown(sop, pages)
        (folder / f"{sop['id']}.md").write_text(text, encoding="utf-8")
        nav.setdefault(sop["category"], []).append(f"{folder.name}/{sop['id']}.md")
    nav_yaml = "nav:\n  - index.md\n" + "".join(
        f"  - {json.dumps(c)}:\n" + "".join(f"    - {p}\n" for p in nav[c]) for c in sorted(nav)
    )
    (root / "mkdocs.yml").write_text(
        f"site_name: Plain\n{THEME}plugins:\n  - search\n" + EXTENSIONS[workload] + nav_yaml
    )


# ---------------------------------------------------------------- measuring


def measured(cmd: list[str], cwd: Path, cache_home: Path | None = None) -> dict:
    """One build in its own child: wall, CPU of it and its workers, peak RSS, load average.
    `cache_home`: the user's cache folder it sees (where sopkb keeps compiled templates)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if cache_home is not None:
        env["XDG_CACHE_HOME"] = str(cache_home)
    wrapper = subprocess.run(
        [sys.executable, "-c", MEASURE, *cmd], cwd=cwd, env=env, capture_output=True, text=True
    )
    if wrapper.returncode != 0:
        sys.exit(f"measuring failed in {cwd}:\n{wrapper.stderr[-3000:]}")
    result = json.loads(wrapper.stdout.strip().splitlines()[-1])
    if result["returncode"] != 0:
        sys.exit(f"build failed in {cwd}:\n{result['stderr']}")
    return {
        "seconds": round(result["wall"], 2),
        "cpu_seconds": round(result["cpu"], 2),
        "peak_mb": round(result["maxrss_kb"] / 1024),
        "load": round(result["load"], 2),
    }


REBUILDS = 3  # the median is reported: one run on a shared machine can be a second off


def settled(kb: Path, timeout: float = 300.0) -> float:
    """Seconds until the old site a build hands to a process of its own is gone
    (`site_swap.remove_later`): waited for, so that deleting it never slows the next build measured."""
    started = time.perf_counter()
    while any(p.name.startswith((".site-old-", ".site-building-")) for p in kb.iterdir()):
        if time.perf_counter() - started > timeout:
            sys.exit(f"{kb}: the old site was not removed in {timeout:.0f} s")
        time.sleep(0.05)
    return round(time.perf_counter() - started, 2)


def measure(site: Path, page_glob: str, n: int) -> dict:
    pages = [p.stat().st_size for p in site.glob(page_glob)]
    if len(pages) != n:
        sys.exit(f"{site}: {len(pages)} pages match {page_glob}, expected {n}")
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return {
        "pages": len(pages),
        "site_bytes": total,
        "mean_page_bytes": round(statistics.mean(pages)),
        "max_page_bytes": max(pages),
    }


def run(workload: str, n: int, workdir: Path, plain_too: bool = True, clone: Path = LEADERSHIP) -> dict:
    sops = workload_sops(workload, n, clone)
    ours, plain = workdir / f"sopkb-{workload}-{n}", workdir / f"plain-{workload}-{n}"
    write_sopkb(ours, sops, workload)
    label = workload if workload == "synthetic" or clone == LEADERSHIP else f"clones of {clone.stem}"
    result: dict = {"workload": label, "n": n}
    if plain_too:
        write_plain(plain, sops, workload)
        glob = "category-*/*/index.html" if workload == "synthetic" else "*/*/index.html"
        result["plain_material"] = {
            **measured([sys.executable, "-m", "mkdocs", "build", "-q"], plain),
            **measure(plain / "site", glob, n),
        }
    del sops
    build = [sys.executable, "-m", "sopkb.cli", "build"]
    cache_home = workdir / f"cache-home-{workload}-{n}"  # none before the cold build: it compiles
    cold = measured(build, ours, cache_home)  # every template, as the first build after installing
    result["sopkb"] = {**cold, **measure(ours / "site", "sops/*/index.html", n)}
    rebuilds = []
    for _ in range(REBUILDS):
        rebuilds.append(measured(build, ours, cache_home))
        rebuilds[-1]["old_site_removed_after"] = settled(ours)
    result["sopkb_unchanged_rebuild"] = {
        **sorted(rebuilds, key=lambda r: r["seconds"])[len(rebuilds) // 2],
        "runs": [r["seconds"] for r in rebuilds],
    }
    if plain_too:
        result["time_ratio"] = round(cold["seconds"] / result["plain_material"]["seconds"], 2)
    result["learning"] = learning_sizes(ours / "site")
    return result


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
        "quiz_file_bytes_max": max((p.stat().st_size for p in (data / "quiz").glob("*.json")), default=0),
    }


# ---------------------------------------------------------------- reporting


def table(results: list[dict]) -> str:
    """The results as a Markdown table, ready to paste into documentation/benchmarks.md."""

    def run_(m: dict) -> str:
        return f"{m['seconds']:.1f} s / {m['cpu_seconds']:.1f} s"

    rows = [
        "| workload | N | sopkb cold (wall / CPU) | unchanged rebuild, median of 3 (wall / CPU) | "
        "rebuild ÷ cold | sopkb peak memory | plain Material (wall / CPU) | plain peak memory | "
        "cold ÷ plain | SOP page mean / max | plain page mean | load average (cold, rebuild, plain) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        s, again, p = r["sopkb"], r["sopkb_unchanged_rebuild"], r.get("plain_material")
        loads = [s["load"], again["load"]] + ([p["load"]] if p else [])
        rows.append(
            "| "
            + " | ".join(
                [
                    r["workload"],
                    f"{r['n']:,}",
                    run_(s),
                    run_(again),
                    f"{again['seconds'] / s['seconds']:.0%}",
                    f"{s['peak_mb']:,} MB",
                    run_(p) if p else "–",
                    f"{p['peak_mb']:,} MB" if p else "–",
                    f"{r['time_ratio']:.2f}" if p else "–",
                    f"{s['mean_page_bytes'] / 1024:.1f} / {s['max_page_bytes'] / 1024:.1f} KB",
                    f"{p['mean_page_bytes'] / 1024:.1f} KB" if p else "–",
                    ", ".join(f"{x:.1f}" for x in loads),
                ]
            )
            + " |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workload", choices=["synthetic", "leadership", "both"], default="synthetic")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--no-plain", action="store_true", help="skip plain Material (slow at 10,000 pages)")
    parser.add_argument(
        "--clone",
        type=Path,
        default=LEADERSHIP,
        help="the SOP the `leadership` workload clones (default: the bundled leadership-request)",
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    workloads = ["synthetic", "leadership"] if args.workload == "both" else [args.workload]
    results = []
    with tempfile.TemporaryDirectory(prefix="sopkb-bench-") as tmp:
        for workload in workloads:
            for n in args.sizes:
                results.append(run(workload, n, Path(tmp), plain_too=not args.no_plain, clone=args.clone))
                print(f"done: {workload} N={n}", file=sys.stderr, flush=True)
    print(table(results))
    print()
    for r in results:
        learning = r["learning"]
        print(
            f"- {r['workload']} N={r['n']}: learning pages at most "
            f"{learning['pages_bytes_max'] / 1024:.1f} KB; trainer's quiz catalog "
            f"{learning['catalog_bytes'] / 1024:.1f} KB; largest per-quiz file "
            f"{learning['quiz_file_bytes_max']} B"
        )
    for workload in dict.fromkeys(r["workload"] for r in results):
        sized = [r for r in results if r["workload"] == workload]
        if len(sized) > 1:
            first, last = sized[0]["sopkb"], sized[-1]["sopkb"]
            growth = last["mean_page_bytes"] / first["mean_page_bytes"] - 1
            print(
                f"- {workload}: sopkb per-page size change from N={sized[0]['n']} to "
                f"N={sized[-1]['n']}: {growth:+.1%}"
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
