"""A normal install works: a wheel built from this repository, in a fresh virtualenv, far from it.

Editable installs hide packaging mistakes (the source tree is on the path, every file is there),
so this builds the wheel as any user's `pip install .` would, installs it into a new virtualenv,
and runs every command from a folder outside the repository on a KB made by `sopkb init`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO, free_port

MODULES = [
    "sopkb.core", "sopkb.loading", "sopkb.text", "sopkb.models", "sopkb.domain", "sopkb.validation",
    "sopkb.pipeline", "sopkb.export", "sopkb.receipts", "sopkb.search", "sopkb.render", "sopkb.build",
]  # fmt: skip


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The virtualenv's bin folder, with the wheel installed the way users install it."""
    root = tmp_path_factory.mktemp("install")
    wheels = root / "wheels"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO)], root)
    (wheel,) = wheels.glob("sopkb-*.whl")
    check_wheel_contents(wheel)
    venv.create(root / "venv", with_pip=True)
    bin_dir = root / "venv" / "bin"
    run(
        [str(bin_dir / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
        root,
    )
    return bin_dir


def run(command: list[str], cwd: Path, **kwargs: object) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(
        command, cwd=cwd, env={**env, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True,
        timeout=600, **kwargs,
    )  # fmt: skip
    assert result.returncode == 0, (command, result.stdout[-2000:], result.stderr[-2000:])
    return result


def check_wheel_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in [
        "sopkb/cli/__init__.py",
        "sopkb/build/generate.py",
        "sopkb/export/gift.py",
        "sopkb/receipts/verify.py",
        "sopkb/schemas/sop.schema.json",
        "sopkb/search/builtin_synonyms.yaml",
        "sopkb/init_template/sops/password-reset.yaml",
        "sopkb/site_templates/pages/sop.md.j2",
        "sopkb/site_templates/report/roster.html.j2",
        "sopkb/site_templates/theme/main.html",
        "sopkb/site_templates/theme/assets/sopkb/quiz.js",
    ]:
        assert needed in names, needed
    assert not [n for n in names if "__pycache__" in n or n.startswith(("tests/", "sops/", "bench/"))]


def test_the_wheel_runs_every_command_on_a_kb_made_by_init(installed, tmp_path):
    sopkb = str(installed / "sopkb")
    where = run([str(installed / "python"), "-c", "import sopkb; print(sopkb.__file__)"], tmp_path)
    assert str(installed.parent) in where.stdout and str(REPO) not in where.stdout  # not the source tree
    for module in MODULES:
        run([str(installed / "python"), "-c", f"import {module}"], tmp_path)

    run([sopkb, "init", "mykb"], tmp_path)
    kb = tmp_path / "mykb"
    assert (kb / "docs").is_dir() and (kb / ".gitignore").is_file()
    assert run([sopkb, "validate"], kb).stdout.endswith("checked: no errors.\n")
    assert "Built 1 SOP (" in run([sopkb, "build"], kb).stdout
    page = (kb / "site" / "sops" / "password-reset" / "index.html").read_text(encoding="utf-8")
    assert 'http-equiv="Content-Security-Policy"' in page and "sopkb-quick" in page
    assert (kb / "site" / "assets" / "sopkb" / "quiz.js").is_file()

    assert_serves(sopkb, kb)
    assert "Wrote the docs tree of 1 SOP (" in run([sopkb, "generate", "tree"], kb).stdout
    run([str(installed / "mkdocs"), "build", "-q"], kb / "tree")  # the engine alone, no sopkb plugin
    assert "sopkb-quick" in (kb / "tree" / "site" / "sops" / "password-reset" / "index.html").read_text()
    for fmt, name in [
        ("gift", "quizzes.gift"),
        ("moodle-xml", "quizzes-moodle.xml"),
        ("qti", "quizzes-qti21.zip"),
    ]:
        result = run([sopkb, "export", "--format", fmt, "--drills"], kb)
        assert result.stdout.startswith("Exported"), fmt
        assert (kb / "export" / name).stat().st_size > 200, fmt
    receipt = make_receipt(installed, kb)
    report = run([sopkb, "report", str(receipt)], kb)
    assert report.stdout.startswith("1 receipt: 1 verified, 0 flagged."), report.stdout
    assert (kb / "report" / "roster.html").is_file()
    schema = json.loads(run([sopkb, "schema", "--kind", "quiz"], kb).stdout)
    assert schema["title"] == "sopkb quiz"
    assert "Past their review date" in run([sopkb, "report", "--stale"], kb).stdout


def assert_serves(sopkb: str, kb: Path) -> None:
    """Not on a terminal (as under a process manager): it still says where it serves."""
    port = free_port()
    server = subprocess.Popen(
        [sopkb, "serve", "-a", f"127.0.0.1:{port}"], cwd=kb, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        lines = []
        while time.monotonic() < deadline:
            line = server.stderr.readline()
            lines.append(line)
            if f"Serving on http://127.0.0.1:{port}/" in line:
                break
        else:
            raise AssertionError("".join(lines))
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/sops/password-reset/", timeout=10) as response:
            assert response.status == 200 and b"Customer cannot log in" in response.read()
    finally:
        server.terminate()
        server.wait(timeout=20)


RECEIPT = """
import json, sys
from pathlib import Path
from sopkb.pipeline import load_knowledge_base
from sopkb.domain.project import Project
from sopkb.receipts.checksum import assignment_id, checksum
from sopkb.receipts.scoring import correct_answer
from sopkb.domain.quiz_identity import fingerprint

kb = load_knowledge_base(Project.at(Path(sys.argv[1])))
entry = next(q for q in kb.quizzes if not q.generated)
quiz = entry.quiz
answers = {q.id: correct_answer(q) for q in quiz.questions()}
spec = {"v": 1, "title": "Week 1", "cohort": None, "due": None, "trainer": None, "path": None,
        "quizzes": [quiz.id], "created": "2026-11-20"}
receipt = {"format": "sopkb-receipt", "format_version": 1, "site": "KB", "learner": "Ana",
    "assignment": {"id": assignment_id(spec), **spec},
    "quizzes": [{"id": quiz.id, "title": quiz.title, "version": fingerprint(quiz), "sop": quiz.sop,
        "pass_mark": quiz.pass_mark, "score": 100, "right": len(answers), "total": len(answers),
        "passed": True, "attempts": 1, "answered_at": "2026-11-22T10:00:00Z", "answers": answers}],
    "sops_read": [], "completed_at": "2026-11-22T10:00:00Z", "issued_at": "2026-11-22T10:01:00Z"}
receipt["checksum"] = checksum(receipt)
print(json.dumps(receipt))
"""


def make_receipt(installed: Path, kb: Path) -> Path:
    """A receipt as the browser writes it, computed with the installed package's own modules."""
    text = run([str(installed / "python"), "-c", RECEIPT, str(kb)], kb.parent).stdout
    path = kb.parent / "receipt.json"
    path.write_text(text, encoding="utf-8")
    return path
