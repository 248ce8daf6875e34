"""What version history costs a build: N synthetic SOPs with V versions each, in a git repository.

It writes N synthetic SOPs (tests/synthetic_kb.py, as YAML, in `sops/<category>/` as a KB keeps
them: 20 folders of 50 at N = 1000) and a history in which each SOP goes
through V versions, one commit per version of one SOP (N × (V - 1) commits after the first, made
with `git fast-import`): each new version rewords a say line and a `do` line, and every third
adds a step. Then it times, in the same KB:

- reading the KB with and without history (`load_knowledge_base`: the git walk, the ids and
  versions of every earlier state, the guard rails, then each page's diff), the median of `--runs`;
- `sopkb build` with the plugin's `history` on and off (history adds reading one earlier version
  per SOP and its diff, in the render workers).

With history, each is timed with the cache a build keeps under `.git/sopkb/` warm (what it
learnt from the build before: the usual case) and cold (removed first: the first build of a
clone, or after sopkb is upgraded).

    python bench/history_bench.py                  # N = 1000, V = 10
    python bench/history_bench.py --sops 200 --versions 5
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository: the KB generator is the tests'
from tests.synthetic_kb import synthetic_sops  # noqa: E402

Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
MKDOCS = """site_name: History bench
docs_dir: docs
theme:
  name: material
  font: false
plugins:
  - sopkb:
      history: {history}
markdown_extensions: [admonition, attr_list, {{toc: {{permalink: true}}}}]
"""


def version_of(sop: dict, k: int) -> dict:
    """Version k (0 = the first) of an SOP: each rewords a say and a do line; every third adds a step."""
    out = copy.deepcopy(sop)
    out["version"] = f"1.{k}"
    for n in range(1, k + 1):
        step = out["steps"][n % len(out["steps"])]
        step["say"] = [f"{step['say'][0].rstrip('.')} (revised {n})."]
        step["do"][0] = f"Revision {n}: {step['do'][0]}"
        if n % 3 == 0:
            out["steps"].append({"id": f"added-{n}", "title": f"Added in revision {n}", "do": ["Check it."]})
    return out


def text_of(sop: dict) -> bytes:
    return yaml.dump(sop, Dumper=Dumper, sort_keys=False, allow_unicode=True).encode("utf-8")


def path_of(sop: dict) -> str:
    return f"sops/{sop['category'].lower().replace(' ', '-')}/{sop['id']}.yaml"


def fast_import_stream(sops: list[dict], versions: int):
    """The first commit adds every SOP at version 1.0; each later commit bumps one SOP."""
    stamp = 1_767_225_600  # 2026-01-01

    def commit(message: str, files: list[tuple[str, bytes]], n: int) -> bytes:
        head = (
            f"commit refs/heads/main\nauthor Bench <b@example.invalid> {stamp + n * 60} +0000\n"
            f"committer Bench <b@example.invalid> {stamp + n * 60} +0000\n"
            f"data {len(message.encode())}\n{message}\n"
        ).encode()
        body = b"".join(b"M 100644 inline %s\ndata %d\n%s\n" % (p.encode(), len(c), c) for p, c in files)
        return head + body + b"\n"

    yield commit("The KB", [(path_of(s), text_of(version_of(s, 0))) for s in sops], 0)
    n = 0
    for k in range(1, versions):
        for sop in sops:
            n += 1
            yield commit(f"{sop['id']} 1.{k}", [(path_of(sop), text_of(version_of(sop, k)))], n)


def make_kb(root: Path, n: int, versions: int) -> None:
    sops = synthetic_sops(n)
    root.mkdir(parents=True)
    (root / "docs").mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    importer = subprocess.Popen(["git", "-C", str(root), "fast-import", "--quiet"], stdin=subprocess.PIPE)
    for chunk in fast_import_stream(sops, versions):
        importer.stdin.write(chunk)
    importer.stdin.close()
    if importer.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "-C", str(root), "reset", "-q", "--hard", "main"], check=True)


def clear_cache(root: Path) -> None:
    """What builds keep for the next (`validation/history_cache.py`): gone, as in a fresh clone."""
    shutil.rmtree(root / ".git" / "sopkb", ignore_errors=True)


def load_seconds(root: Path, history: bool, runs: int, cold: bool = False) -> tuple[float, float]:
    """Reading the KB and, with history, the diffs its pages show (as `sopkb build` does before
    rendering, here in this one process): the median wall time, and the median CPU time of this
    process and of git."""
    from sopkb.domain.history import prepare_diffs
    from sopkb.domain.project import Project
    from sopkb.pipeline import load_knowledge_base
    from sopkb.render.environment import make_environment
    from sopkb.render.history import EARLIER_SHOWN, SinceFiles

    project = dataclasses.replace(Project.at(root), history=history)
    times, cpus, diffs = [], [], []
    for _ in range(runs):
        if cold:
            clear_cache(root)
        started, cpu = time.perf_counter(), time.process_time() + cpu_seconds()
        kb = load_knowledge_base(project)
        read = time.process_time()
        # as `sopkb build` does: not the diffs whose files of changes a build kept, rendered
        prepare_diffs(kb.history.values(), since=EARLIER_SHOWN, skip=SinceFiles(make_environment()).skip)
        times.append(time.perf_counter() - started)
        cpus.append(time.process_time() + cpu_seconds() - cpu)
        diffs.append(time.process_time() - read)
    if history:
        how = "read the earlier versions, compare" if cold else "from the cache"
        count = sum(min(len(h.versions) - 1, EARLIER_SHOWN) for h in kb.history.values())
        print(
            f"  {count} diffs, the latest and since each earlier version ({how}; warm, those whose "
            f"files of changes a build kept are not needed): {statistics.median(diffs):.2f} s CPU"
        )
    return statistics.median(times), statistics.median(cpus)


def cpu_seconds() -> float:
    """CPU time of the finished child processes and theirs (the build, its workers, git)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def build_seconds(root: Path, history: bool, cold: bool = False) -> tuple[float, float]:
    """Wall time, and CPU time: on a machine shared with other work, CPU time is the steadier."""
    (root / "mkdocs.yml").write_text(MKDOCS.format(history=str(history).lower()))
    if cold:
        clear_cache(root)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cpu = cpu_seconds()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "sopkb.cli", "build"], cwd=root, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.exit(f"build failed:\n{done.stderr[-3000:]}")
    return time.perf_counter() - started, cpu_seconds() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sops", type=int, default=1000)
    parser.add_argument("--versions", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3, help="reads of the KB per setting (median)")
    parser.add_argument("--builds", type=int, default=2, help="builds per setting (each: the fastest)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sopkb-history-") as tmp:
        root = Path(tmp) / "kb"
        started = time.perf_counter()
        make_kb(root, args.sops, args.versions)
        commits = subprocess.run(
            ["git", "-C", str(root), "rev-list", "--count", "HEAD"], capture_output=True, text=True
        )
        print(
            f"{args.sops} SOPs × {args.versions} versions: {commits.stdout.strip()} commits, "
            f"made in {time.perf_counter() - started:.1f} s"
        )
        read_off = load_seconds(root, False, args.runs)
        read_cold = load_seconds(root, True, args.runs, cold=True)
        off, on, cold = [], [], []
        for _ in range(args.builds):  # alternated, so a busy moment of the machine costs all three
            off.append(build_seconds(root, False))
            cold.append(build_seconds(root, True, cold=True))
            on.append(build_seconds(root, True))
        read_on = load_seconds(root, True, args.runs)  # after a build: its cache warm
        for n, what in ((0, "wall"), (1, "CPU")):
            r_off, r_on, r_cold = read_off[n], read_on[n], read_cold[n]
            print(
                f"read the KB, {what} time: {r_off:.2f} s without history, {r_on:.2f} s with "
                f"({r_on - r_off:+.2f} s); with a cold cache {r_cold:.2f} s ({r_cold - r_off:+.2f} s)"
            )
        page = root / "site" / "sops" / "sop-00000" / "index.html"
        with_diff = page.stat().st_size
        build_seconds(root, False)
        without = page.stat().st_size
        for n, what in ((0, "wall"), (1, "CPU")):
            b_off, b_on, b_cold = (min(t[n] for t in times) for times in (off, on, cold))
            print(
                f"sopkb build, {what} time: {b_off:.1f} s without history, {b_on:.1f} s with: "
                f"{b_on - b_off:+.1f} s ({(b_on - b_off) / b_off:+.1%}); with a cold cache "
                f"{b_cold:.1f} s: {b_cold - b_off:+.1f} s ({(b_cold - b_off) / b_off:+.1%})"
            )
        print(f"an SOP page: {without / 1024:.1f} KB, {with_diff / 1024:.1f} KB with its latest diff")


if __name__ == "__main__":
    main()
