"""Peak memory of `sopkb build` on a KB of the richest bundled SOP cloned N times (issue #15).

For each N it copies the bundled KB (sops, quizzes, paths, mkdocs.yml) into a temporary folder,
adds N clones of `sops/escalations/leadership-request.yaml` with new ids and titles in 20 category
folders, and runs `sopkb build` in a child process. It reports the child's peak resident memory
(the largest of the build process and its render workers, from `wait4`'s rusage), wall and CPU
time, and the mean size of a clone's page.

With `--stages` the child also records its resident memory (now, and the peak so far) at each
step of the build: after loading, after rendering (the plugin's `on_config`), after `on_files`,
every 10 % of the pages MkDocs reads and writes, and at the end: where the memory goes.

    python bench/memory_bench.py                      # N = 1000
    python bench/memory_bench.py --sizes 1000 10000 --stages
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RICHEST = ROOT / "sops" / "escalations" / "leadership-request.yaml"
CATEGORIES = 20

# Run in the child with --stages: the build, with the plugin's events wrapped to note memory.
STAGES_CHILD = r"""
import json, sys, time
from pathlib import Path
from sopkb.build import mkdocs_plugin, site_build

def memory():
    status = Path("/proc/self/status").read_text()
    get = lambda key: int(status.split(key + ":")[1].split()[0]) // 1024
    return get("VmRSS"), get("VmHWM")

started = time.monotonic()
notes = []
def note(stage):
    rss, peak = memory()
    seconds = round(time.monotonic() - started, 1)
    notes.append({"stage": stage, "seconds": seconds, "rss_mb": rss, "peak_mb": peak})

real_load = site_build.load_knowledge_base
def load(*args, **kwargs):
    kb = real_load(*args, **kwargs)
    note(f"loaded and validated ({len(kb.sops)} SOPs)")
    return kb
site_build.load_knowledge_base = load

Plugin = mkdocs_plugin.SopkbPlugin
def after(name, label):
    real = getattr(Plugin, name, None) or (lambda self, *args, **kwargs: args[0] if args else None)
    def wrapped(self, *args, **kwargs):
        result = real(self, *args, **kwargs)
        note(label)
        return result
    setattr(Plugin, name, wrapped)

def every_tenth(name, label):
    real = getattr(Plugin, name, None) or (lambda self, *args, **kwargs: args[0])
    seen = [0]
    def wrapped(self, *args, **kwargs):
        result = real(self, *args, **kwargs)
        seen[0] += 1
        total = self.page_count
        if total and seen[0] % max(1, total // 10) == 0 and seen[0] <= total:
            note(f"{label} {seen[0]}/{total}")
        return result
    setattr(Plugin, name, wrapped)

note("started (imports)")
after("on_config", "rendered (on_config)")
after("on_files", "on_files")
every_tenth("on_page_markdown", "pages read")
every_tenth("on_post_page", "pages written")
after("on_env", "all pages read (on_env)")
after("on_post_build", "search index and SOP files written (on_post_build)")
site_build.build_site(Path("."))
note("end")
print(json.dumps(notes), file=sys.stderr)
"""


def clone(text: str, number: int, category: str) -> str:
    """The richest SOP with a new id, title and category; its steps and links unchanged."""
    text = re.sub(r"(?m)^id: .*$", f"id: leadership-request-{number:05d}", text, count=1)
    text = re.sub(r"(?m)^title: (.*)$", rf"title: \1 (copy {number})", text, count=1)
    return re.sub(r"(?m)^category: .*$", f"category: {category}", text, count=1)


def make_kb(root: Path, n: int) -> None:
    for folder in ("sops", "quizzes", "paths"):
        shutil.copytree(ROOT / folder, root / folder)
    for name in ("mkdocs.yml", "synonyms.yaml"):
        if (ROOT / name).is_file():
            shutil.copy(ROOT / name, root / name)
    (root / "docs").mkdir()
    text = RICHEST.read_text(encoding="utf-8")
    for number in range(1, n + 1):
        category = f"Clones {number % CATEGORIES + 1:02d}"
        folder = root / "sops" / f"clones-{number % CATEGORIES + 1:02d}"
        folder.mkdir(exist_ok=True)
        (folder / f"leadership-request-{number:05d}.yaml").write_text(
            clone(text, number, category), encoding="utf-8"
        )


def run_child(cmd: list[str], cwd: Path) -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds, peak resident KB (the largest of the child and its children)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        child = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if child.returncode != 0:
        sys.exit(f"build failed in {cwd}:\n{stderr[-3000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, stderr


def run(n: int, workdir: Path, stages: bool) -> dict:
    kb = workdir / f"kb-{n}"
    make_kb(kb, n)
    cmd = [sys.executable, "-c", STAGES_CHILD] if stages else [sys.executable, "-m", "sopkb.cli", "build"]
    wall, cpu, peak_kb, stderr = run_child(cmd, kb)
    pages = [p.stat().st_size for p in (kb / "site" / "sops").glob("leadership-request-*/index.html")]
    result = {
        "n": n,
        "wall_s": round(wall, 1),
        "cpu_s": round(cpu, 1),
        "peak_rss_mb": round(peak_kb / 1024),
        "per_sop_kb": round(peak_kb / n),
        "mean_page_kb": round(statistics.mean(pages) / 1024, 1),
    }
    if stages:
        result["stages"] = json.loads(stderr.strip().splitlines()[-1])
    shutil.rmtree(kb)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--stages", action="store_true", help="resident memory at each step of the build")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sopkb-membench-") as tmp:
        results = [run(n, Path(tmp), args.stages) for n in args.sizes]
    print(f"{'N':>6} | {'peak MB':>8} | {'KB/SOP':>7} | {'wall s':>7} | {'CPU s':>7} | {'KB/page':>7}")
    for r in results:
        print(
            f"{r['n']:>6} | {r['peak_rss_mb']:>8} | {r['per_sop_kb']:>7} | {r['wall_s']:>7} | "
            f"{r['cpu_s']:>7} | {r['mean_page_kb']:>7}"
        )
    for r in results:
        for s in r.get("stages", []):
            at = f"{s['seconds']:>7} s  rss {s['rss_mb']:>6} MB  peak {s['peak_mb']:>6} MB"
            print(f"  N={r['n']} {at}  {s['stage']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
