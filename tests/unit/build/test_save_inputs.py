"""`sopkb serve` renders again only the SOP pages a save changed: each page's key covers its own
source, its neighbours' (the SOPs it links to and that link to it), its history and everything
that is not an SOP."""

from __future__ import annotations

import shutil

import pytest
from sopkb.build.save_inputs import page_keys
from sopkb.domain.project import Project
from sopkb.pipeline import load_knowledge_base

from tests.conftest import FIXTURES


@pytest.fixture
def kb(tmp_path):
    root = tmp_path / "kb"
    shutil.copytree(FIXTURES / "kb-small", root)
    shutil.copy(FIXTURES / "kb-small" / "sops" / "escalation.yaml", root / "sops" / "alone.yaml")
    alone = root / "sops" / "alone.yaml"
    alone.write_text(alone.read_text().replace("id: escalation", "id: alone", 1))
    return root


def keys(root):
    project = Project.at(root)
    return page_keys(load_knowledge_base(project), project, root / "mkdocs.yml")


def edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_nothing_changed_nothing_to_render(kb):
    assert keys(kb) == keys(kb)


def test_an_edited_sop_changes_its_key_and_its_neighbours_not_the_others(kb):
    before = keys(kb)
    edit(kb / "sops" / "escalation.yaml", "title: Escalation policy", "title: Escalation rules")
    after = keys(kb)
    changed = {sop for sop in before if before[sop] != after[sop]}
    assert changed == {"escalation", "refund"}  # refund links to it: its page shows the title


def test_anything_not_an_sop_changes_every_key(kb):
    before = keys(kb)
    quiz = next((kb / "quizzes").rglob("*.yaml"))
    quiz.write_text(quiz.read_text() + "\n# a comment changes the file\n")
    after = keys(kb)
    assert all(before[sop] != after[sop] for sop in before)
