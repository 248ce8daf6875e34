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


def test_in_serve_a_key_is_made_again_only_for_the_saved_sop_and_its_neighbours(kb, monkeypatch):
    """`sopkb serve` keeps a key while the entry, history and neighbours it was made from are the
    very same objects (the source memo hands them back while their sources are unchanged); every
    key is still the one made from nothing."""
    from sopkb.build import save_inputs
    from sopkb.core.by_identity import KeptBy
    from sopkb.validation.source_memo import SourceMemo

    project, memo, key_memo = Project.at(kb), SourceMemo(), KeptBy()

    def served() -> dict[str, str]:
        return page_keys(load_knowledge_base(project, memo=memo), project, kb / "mkdocs.yml", memo=key_memo)

    assert served() == keys(kb)
    made: list[str] = []
    real = save_inputs._own
    monkeypatch.setattr(save_inputs, "_own", lambda entry: made.append(entry.id) or real(entry))
    edit(kb / "sops" / "escalation.yaml", "title: Escalation policy", "title: Escalation rules")
    after = served()
    assert set(made) == {"escalation", "refund"}  # refund's page shows escalation's title
    made.clear()
    assert after == keys(kb)
    assert len(made) == len(after)  # from nothing: every SOP's
    made.clear()
    (kb / "mkdocs.yml").write_text((kb / "mkdocs.yml").read_text() + "\n# a comment\n")
    assert served() == keys(kb)
    assert len(made) == 2 * len(after)  # anything not an SOP: every key made again


def test_a_page_that_calls_an_sop_is_made_again_when_the_called_sop_changes(kb):
    """A step's `call: sop:<id>` shows the called SOP's title ("Do …, then come back"): a call is
    no edge of the flow, and the page kept the old title (in `serve`, and from `sopkb build`'s
    render cache) until its own source changed. Found by a fresh-eyes helper."""
    alone = kb / "sops" / "alone.yaml"
    text = alone.read_text()
    assert "        do: [Escalate to a supervisor.]\n" in text
    call = "        do: [Escalate to a supervisor.]\n        call: sop:refund\n"
    alone.write_text(text.replace("        do: [Escalate to a supervisor.]\n", call, 1))
    before = keys(kb)
    edit(kb / "sops" / "refund.yaml", "title: Refund request", "title: Money back request")
    after = keys(kb)
    assert before["alone"] != after["alone"]
