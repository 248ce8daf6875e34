"""Load-and-validate benchmark: checking an SOP must cost time in proportion to its size.

A KB's flow checks (unreachable steps, loops with no way to `end`, hand-offs between SOPs) once
ran a fixpoint loop that took ~21 s on a 5,000-step SOP; a one-off conversion of a long policy
can produce such an SOP. This writes, into a temporary KB (a `mkdocs.yml` like the test
fixture's, `sops/`, no quizzes), one SOP of each size: a chain of steps with a decision every
ten steps whose "No" jumps back five steps, a decision every 25 steps with a "Retry" back to
the start, and only the last step ending the call, the worst case for a search that works
backwards from the ends. Then it times `load_knowledge_base` (read, schema, references, flow,
drills) and prints seconds and seconds per 1,000 steps, which must stay roughly flat.

A second KB has many ten-step SOPs handing off to each other: each hands off to the next at
its last step and back to the previous one from a decision, and only the last SOP ends, so
every step's way out runs through all the SOPs after it.

    python bench/validate_bench.py                          # 1,000 / 5,000 / 10,000 / 20,000 steps
    python bench/validate_bench.py --sizes 1000 5000 --sops 500 2000 --rounds 1
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "generator"))
from sopkb.domain.project import Project  # noqa: E402
from sopkb.pipeline import load_knowledge_base  # noqa: E402 - a script beside the package it measures

MKDOCS_YML = """site_name: Validate bench
docs_dir: docs
theme:
  name: material
  font: false
plugins:
  - sopkb
"""

HEADER = {
    "summary": "A long synthetic procedure.",
    "category": "Bench",
    "tags": ["bench"],
    "status": "approved",
    "owner": "Bench team",
    "version": "1",
    "effective": "2026-01-01",
    "review_by": "2099-01-01",
    "source": "Synthetic",
    "objective": "Measure validation.",
}


def long_steps(n: int) -> list[dict]:
    """A chain of n steps; decisions jump back, and only the last step ends the procedure."""
    ids = [f"s{k}" for k in range(n)]
    steps = []
    for k, sid in enumerate(ids):
        step: dict = {"id": sid, "title": f"Step {k}"}
        if k % 25 == 24 and k + 1 < n:
            step["decision"] = {
                "question": "Done?",
                "branches": [{"answer": "Yes", "goto": ids[k + 1]}, {"answer": "Retry", "goto": ids[0]}],
            }
        elif k % 10 == 9 and k + 1 < n:
            step["decision"] = {
                "question": "Confirmed?",
                "branches": [{"answer": "Yes", "goto": ids[k + 1]}, {"answer": "No", "goto": ids[k - 5]}],
            }
        steps.append(step)
    return steps


def long_sop(n: int) -> dict:
    steps = long_steps(n)
    script = [{"speaker": "agent", "step": s["id"], "text": "Hello."} for s in steps[:: max(1, n // 20)]]
    return {
        "id": f"long-{n}",
        "title": f"A {n:,}-step SOP",
        **HEADER,
        "steps": steps,
        "call_scripts": [{"id": "sample", "title": "Sample", "lines": script}],
    }


def handoff_sops(count: int) -> list[dict]:
    """Ten steps each; the last hands off to the next SOP, a decision back to the previous one."""
    sops = []
    for i in range(count):
        steps: list[dict] = [{"id": f"s{k}", "title": f"Step {k}"} for k in range(10)]
        steps[5]["decision"] = {
            "question": "Go on?",
            "branches": [{"answer": "Yes", "goto": "s6"}, {"answer": "No", "goto": "s2"}],
        }
        if i > 0:
            steps[7]["decision"] = {
                "question": "Back?",
                "branches": [{"answer": "No", "goto": "s8"}, {"answer": "Yes", "goto": f"sop:h{i - 1}#s3"}],
            }
        if i + 1 < count:
            steps[9]["next"] = f"sop:h{i + 1}"
        sops.append({"id": f"h{i}", "title": f"Hand-off {i}", **HEADER, "steps": steps})
    return sops


def write_kb(root: Path, sops: list[dict]) -> Path:
    """JSON is YAML: written as JSON, which is quick to write and reads like any source."""
    (root / "sops").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")
    for sop in sops:
        (root / "sops" / f"{sop['id']}.yaml").write_text(json.dumps(sop, indent=1), encoding="utf-8")
    return root


def best_time(root: Path, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        kb = load_knowledge_base(Project.at(root))
        best = min(best, time.perf_counter() - started)
        assert kb.sops, "the benchmark KB must be valid"
    return best


def report(label: str, steps: int, seconds: float) -> None:
    print(f"{label:<28} {steps:>8,} steps  {seconds:8.2f} s  {seconds / steps * 1000:8.3f} s per 1,000 steps")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 5_000, 10_000, 20_000])
    parser.add_argument("--sops", type=int, nargs="+", default=[100, 500, 2_000])
    parser.add_argument("--rounds", type=int, default=3, help="best of this many loads")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sopkb-validate-bench-") as tmp:
        for n in args.sizes:
            root = write_kb(Path(tmp) / f"long-{n}", [long_sop(n)])
            report("one SOP", n, best_time(root, args.rounds))
        for count in args.sops:
            root = write_kb(Path(tmp) / f"handoff-{count}", handoff_sops(count))
            report(f"{count:,} SOPs handing off", count * 10, best_time(root, args.rounds))


if __name__ == "__main__":
    main()
