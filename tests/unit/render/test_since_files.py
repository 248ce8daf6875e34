"""The files of what changed since each earlier version are kept, as rendered, in the history's
cache (`SinceFiles`): a warm build copies them and neither compares, decodes nor renders a diff;
a changed version or template means rendering again; a damaged entry is rendered again too."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil

import pytest
from sopkb.build.docs_tree import plan
from sopkb.domain import diff_data
from sopkb.domain import history as domain_history
from sopkb.domain.project import Project
from sopkb.pipeline import load_knowledge_base
from sopkb.render.environment import BUILTIN_DIR, make_environment
from sopkb.render.pages import render_site

from tests.git_kb import REFUND, refund_history

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def kb(tmp_path):
    return refund_history(tmp_path / "kb")


def since_files(root, templates=None) -> dict[str, str]:
    """Each SOP's data file and its files of changes, as a build makes them."""
    kb = load_knowledge_base(dataclasses.replace(Project.at(root), history=True), today=TODAY)
    domain_history.prepare_diffs(kb.history.values(), since=20, skip=None)
    pages = render_site(kb, make_environment(templates), today=TODAY)
    return {path: text for page in pages for path, text in page.files if "/refund" in path}


def outputs(root) -> dict:
    return json.loads((root / ".git" / "sopkb" / "history" / "outputs.json").read_text())["entries"]


class Counted:
    """Counts the diffs worked out (compared) and those decoded from the cache."""

    def __init__(self, monkeypatch):
        self.compared = self.decoded = 0
        compare, decode = domain_history.sop_diff, diff_data.from_data

        def counting_compare(*args):
            self.compared += 1
            return compare(*args)

        def counting_decode(data):
            self.decoded += 1
            return decode(data)

        monkeypatch.setattr(domain_history, "sop_diff", counting_compare)
        monkeypatch.setattr(diff_data, "from_data", counting_decode)


def changes(files: dict[str, str]) -> dict[str, str]:
    """The refund SOP's file of changes, as {earlier version: HTML}; it names the current version."""
    [(path, text)] = [(p, t) for p, t in files.items() if "/changes-" in p]
    data = json.loads(text)
    assert path.endswith(f"/changes-{data['to']}.json") and data["sop"] == "refund"
    return {entry["from"]: entry["html"] for entry in data["since"]}


def planned_files(root) -> dict[str, str]:
    """A build as `plan` makes it: the diffs since earlier versions whose files are kept, skipped."""
    project = dataclasses.replace(Project.at(root), history=True)
    tree = plan(load_knowledge_base(project, today=TODAY), project, site_name="KB")
    return {path: text for path, text in tree.sop_files if "/refund" in path}


def test_a_second_build_copies_the_files_it_kept_and_works_out_no_diff_since(kb, monkeypatch):
    first = since_files(kb.root)
    assert list(changes(first)) == ["1.12", "1.11", "1.10"]  # since 2.0's predecessors
    kept = outputs(kb.root)
    assert len(kept) == 3 and all(len(v) == 2 and v[1].startswith("<p>In short:") for v in kept.values())
    counted = Counted(monkeypatch)
    assert planned_files(kb.root) == first
    assert counted.compared == 0
    assert counted.decoded == 1  # the page's latest diff only, not the two since 1.11 and 1.10


def test_a_new_version_renders_the_files_again_and_keeps_them(kb):
    first = since_files(kb.root)
    kb.edit(REFUND, "version: 2.0", "version: 2.1")
    kb.edit(REFUND, "Note the refund amount.", "Note the refund amount and the reason.")
    kb.commit("Refund: note the reason", "2026-06-01")
    second = since_files(kb.root)
    assert list(changes(second)) == ["2.0", "1.12", "1.11", "1.10"]  # since 2.0 now too
    assert second["learning/data/sop/refund.json"] != first["learning/data/sop/refund.json"]
    assert "learning/data/sop/refund/changes-2.1.json" in second and "learning/data/sop/refund/changes-2.0.json" not in second
    before, after = changes(first), changes(second)
    assert all(after[v] != before[v] for v in before)  # each now with the new step
    assert all("reason" in html for html in after.values())
    assert len(outputs(kb.root)) >= 4 + 3  # the new ones, and the old kept beside them


def test_a_changed_template_renders_the_files_again(kb, tmp_path, monkeypatch):
    since_files(kb.root)
    templates = tmp_path / "templates"
    shutil.copytree(BUILTIN_DIR / "pages", templates / "pages")
    macro = templates / "pages" / "_history.html.j2"
    macro.write_text(macro.read_text().replace("<p>In short: ", "<p>Briefly: "))
    files = since_files(kb.root, templates)
    assert changes(files) and all(html.startswith("<p>Briefly: ") for html in changes(files).values())
    assert len(outputs(kb.root)) == 6


def test_a_damaged_entry_is_rendered_again(kb):
    first = since_files(kb.root)
    path = kb.root / ".git" / "sopkb" / "history" / "outputs.json"
    data = json.loads(path.read_text())
    keys = sorted(data["entries"])
    data["entries"][keys[0]] = 5
    data["entries"][keys[1]] = ["only one"]
    data["entries"][keys[2]] = [None, ["not", "text"]]
    path.write_text(json.dumps(data))
    assert since_files(kb.root) == first
    assert all(v[1].startswith("<p>In short:") for v in outputs(kb.root).values())


@pytest.mark.parametrize(
    "planted",
    [
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
        '<a href="https://evil.example/">Sign here</a>',
        '<form action="https://evil.example/"><button>Sign</button></form>',
        '<a href="#step-x" onclick="alert(1)">x</a>',
        '<span class="md-visually-hidden" style="display:block">x</span>',
        "<img src=x onerror=alert(1)",  # no closing bracket: a browser still reads a tag
        "<svg><script>alert(1)</script></svg>",
    ],
)
def test_html_planted_in_the_cache_never_reaches_a_page(kb, planted):
    """The cache lives in `.git/sopkb/`, which CI restores from a store others may write: kept HTML
    is copied only when it is made of the tags the built-in template writes, else rendered again."""
    first = since_files(kb.root)
    path = kb.root / ".git" / "sopkb" / "history" / "outputs.json"
    data = json.loads(path.read_text())
    for value in data["entries"].values():
        value[1] = value[1].replace("<p>In short: ", f"<p>{planted}In short: ", 1)
        value[0] = "Planted summary"
    path.write_text(json.dumps(data))
    again = since_files(kb.root)
    assert again == first
    assert "evil" not in json.dumps(again) and "Planted" not in json.dumps(again)


def test_a_kept_summary_must_be_text(kb):
    first = since_files(kb.root)
    path = kb.root / ".git" / "sopkb" / "history" / "outputs.json"
    data = json.loads(path.read_text())
    for value in data["entries"].values():
        value[0] = {"not": "text"}
    path.write_text(json.dumps(data))
    assert since_files(kb.root) == first
