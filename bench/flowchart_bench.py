"""Flowchart benchmark: chart size, overlaps and cut labels, now and at an earlier commit.

Runs the layout over the bundled SOPs, a 16-step call flow with loops and 400 generated SOPs
(tests/unit/render/flowchart_sops.py), and counts what `flowchart_geometry.overlaps` finds. With
`--before REV` it also runs the layout modules as they were at REV (taken with `git show`, their
relative imports pointed at today's package) through the same check, so the numbers compare.

    python bench/flowchart_bench.py
    python bench/flowchart_bench.py --before 60f3358
"""

from __future__ import annotations

import argparse
import collections
import importlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "generator"))

from sopkb.domain.flow import build_flow  # noqa: E402
from sopkb.models.sop import Sop  # noqa: E402
from sopkb.render.flowchart import layout  # noqa: E402
from sopkb.render.flowchart_geometry import overlaps  # noqa: E402
from sopkb.render.flowchart_shapes import Arrow, Box, Chart  # noqa: E402

from tests.unit.render.flowchart_sops import OTHER_SOPS, looping_sop, random_sop  # noqa: E402


def layout_at(rev: str):
    """The layout function as it was at `rev`, its old Box and Arrow converted to today's."""
    folder = Path(tempfile.mkdtemp()) / "old_flowchart"
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    for name in ("flowchart", "flowchart_shapes"):
        source = subprocess.run(
            ["git", "show", f"{rev}:generator/sopkb/render/{name}.py"],
            cwd=ROOT, check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        source = source.replace("from ..", "from sopkb.")
        source = source.replace("from .flowchart", "from old_flowchart.flowchart")
        (folder / f"{name}.py").write_text(source)
    sys.path.insert(0, str(folder.parent))
    old = importlib.import_module("old_flowchart.flowchart")

    def run(sop: Sop, flow, others) -> Chart:
        c = old.layout(sop, flow, others)
        boxes = [Box(b.id, b.kind, b.lines, b.x, b.y, b.w, b.h) for b in c.boxes]
        arrows = [
            Arrow(a.points, a.label_lines, a.label_x, a.label_y, a.label_anchor, a.title) for a in c.arrows
        ]
        return Chart(c.width, c.height, boxes, arrows, c.title)

    return run


def measure(name: str, run) -> None:
    print(f"== {name}")
    paths = sorted((ROOT / "sops").rglob("*.yaml"))
    bundled = [Sop.model_validate(yaml.safe_load(p.read_text(encoding="utf-8"))) for p in paths]
    for sop in [*bundled, looping_sop(16)]:
        chart = run(sop, build_flow(sop), {**OTHER_SOPS, sop.id: ("", sop.title)})
        found = collections.Counter(o.kind for o in overlaps(chart))
        cut = sum(1 for a in chart.arrows if any("…" in line for line in a.label_lines))
        kinds = dict(found) if found else ""
        print(f"  {sop.id:34} {chart.width:5.0f} × {chart.height:5.0f} px  "
              f"overlaps {sum(found.values()):3d}  cut labels {cut}  {kinds}")  # fmt: skip
    heights, charts_with, kinds, cut, started = [], 0, collections.Counter(), 0, time.perf_counter()
    for seed in range(400):
        sop = random_sop(seed)
        chart = run(sop, build_flow(sop), {**OTHER_SOPS, sop.id: ("", sop.title)})
        found = overlaps(chart)
        heights.append(chart.height)
        charts_with += bool(found)
        kinds.update(o.kind for o in found)
        cut += sum(1 for a in chart.arrows if any("…" in line for line in a.label_lines))
    print(f"  400 generated: {charts_with} charts with overlaps, {sum(kinds.values())} overlaps "
          f"{dict(kinds)}, {cut} cut labels, height median {statistics.median(heights):.0f} px, "
          f"max {max(heights):.0f} px ({time.perf_counter() - started:.1f} s with the checks)")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", metavar="REV", help="also measure the layout at this commit")
    args = parser.parse_args()
    if args.before:
        measure(f"at {args.before}", layout_at(args.before))
    measure("now", layout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
