"""Rendering in forked processes gives exactly the pages a single process gives."""

from __future__ import annotations

import datetime as dt
import json
import shutil

from sopkb.domain.project import Project
from sopkb.pipeline import load_knowledge_base
from sopkb.render.environment import make_environment
from sopkb.render.pages import render_site

from tests.conftest import REPO
from tests.synthetic_kb import synthetic_sops


def test_parallel_render_matches_serial(tmp_path):
    shutil.copytree(REPO / "tests" / "fixtures" / "kb-small", tmp_path / "kb")
    for i, sop in enumerate(synthetic_sops(12, seed=3)):
        (tmp_path / "kb" / "sops" / f"s{i}.yaml").write_text(json.dumps(sop))
    kb = load_knowledge_base(Project.at(tmp_path / "kb"), today=dt.date(2026, 11, 23))
    serial = render_site(kb, make_environment(), today=dt.date(2026, 11, 23), jobs=1)
    parallel = render_site(kb, make_environment(), today=dt.date(2026, 11, 23), jobs=2)
    assert len(serial) > 14
    assert parallel == serial


def _square(n: int) -> int:
    return n * n


def test_progress_counts_up_to_every_item_in_one_process_and_forked():
    from sopkb.core.parallel import can_fork, map_in_processes

    items = list(range(103))
    for jobs in (1, 2):
        told: list[int] = []
        assert map_in_processes(_square, items, jobs, told.append) == [n * n for n in items]
        assert told == sorted(told) and told[-1] == 103
        if jobs == 2 and can_fork():  # forked: in chunks of a few, not one at the end
            assert 20 <= len(told) <= 60
        if jobs == 1:
            assert told == list(range(1, 104))
