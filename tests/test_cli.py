"""The sopkb command end to end: exit codes, located errors, and a failed build that loses nothing."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path


def sopkb(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "sopkb.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


def test_build_a_small_kb_end_to_end(kb_copy):
    root = kb_copy("kb-small")
    result = sopkb("-C", str(root), "build")
    assert result.returncode == 0, result.stderr
    assert "Built 2 SOPs" in result.stdout
    site = root / "site"
    for page in [
        "index.html",
        "sops/refund/index.html",
        "sops/escalation/index.html",
        "categories/billing/index.html",
        "tags/index.html",
        "review/index.html",
        "assets/sopkb/sopkb.css",
        "assets/sopkb/sopkb.js",
    ]:
        assert (site / page).is_file(), page
    html = (site / "sops/refund/index.html").read_text(encoding="utf-8")
    assert '<svg class="sopkb-chart"' in html
    assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html
    assert not [p for p in root.iterdir() if p.name.startswith(".site-")]  # no staging folders left behind


def test_site_dir_option(kb_copy, tmp_path):
    root = kb_copy("kb-small")
    result = sopkb("build", "--site-dir", str(tmp_path / "out"), "-C", str(root))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "sops" / "refund" / "index.html").is_file()


def test_failed_build_leaves_previous_site_exactly_as_it_was(kb_copy):
    root = kb_copy("kb-small")
    assert sopkb("-C", str(root), "build").returncode == 0
    before = tree_digest(root / "site")
    source = root / "sops" / "refund.yaml"
    source.write_text(source.read_text().replace("goto: record", "goto: recrod"))
    result = sopkb("-C", str(root), "build")
    assert result.returncode == 1
    # run from elsewhere with -C, paths are absolute so they stay clickable from where the author stands
    assert result.stderr.startswith(
        f"{root.resolve()}/sops/refund.yaml:31:17: steps[1].decision.branches[0].goto: unknown step 'recrod'"
    )
    assert "Traceback" not in result.stderr
    assert tree_digest(root / "site") == before


def test_mkdocs_build_fails_before_touching_the_site(kb_copy):
    root = kb_copy("kb-small")
    assert sopkb("-C", str(root), "build").returncode == 0
    before = tree_digest(root / "site")
    (root / "sops" / "refund.yaml").write_text("id: [broken\n")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )
    assert result.returncode == 1
    assert "sops/refund.yaml:2:1: YAML syntax error" in result.stderr
    assert tree_digest(root / "site") == before


def test_validate_reports_and_exits_1(kb_copy):
    root = kb_copy("kb-invalid")
    result = sopkb("validate", cwd=root)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "Aborted with 33 errors."
    assert "Traceback" not in result.stderr


def test_validate_ok(kb_copy):
    result = sopkb("validate", cwd=kb_copy("kb-small"))
    assert (result.returncode, result.stdout) == (
        0,
        "2 SOPs, 1 quiz and 1 learning path checked: no errors.\n",
    )


def test_usage_error_exits_2():
    assert sopkb("frobnicate").returncode == 2
    assert sopkb("build", "--no-such-flag").returncode == 2


def test_not_a_kb_is_a_clear_error(tmp_path):
    result = sopkb("-C", str(tmp_path), "validate")
    assert result.returncode == 1
    assert (
        result.stderr == f"error: {tmp_path}: no mkdocs.yml here (create a KB with `sopkb init {tmp_path}`)\n"
    )


def test_init_creates_a_kb_that_builds_as_it_is(tmp_path):
    target = tmp_path / "new-kb"
    assert sopkb("init", str(target)).returncode == 0
    assert (target / "schemas" / "sop.schema.json").is_file()
    assert (target / "schemas" / "quiz.schema.json").is_file()
    assert sopkb("-C", str(target), "validate").returncode == 0
    result = sopkb("-C", str(target), "build")
    assert result.returncode == 0, result.stderr
    assert (target / "site" / "sops" / "password-reset" / "index.html").is_file()
    assert (target / "site" / "quizzes" / "password-reset-practice" / "index.html").is_file()
    assert (target / "site" / "paths" / "onboarding" / "index.html").is_file()
    assert (target / "schemas" / "path.schema.json").is_file()
    again = sopkb("init", str(target))
    assert again.returncode == 1 and "already holds a mkdocs.yml" in again.stderr


def test_a_kbs_own_templates_override_the_built_ins(kb_copy):
    root = kb_copy("kb-small")
    (root / "site_templates" / "pages").mkdir(parents=True)
    (root / "site_templates" / "pages" / "home.md.j2").write_text(
        '---\ntitle: Home\n---\n\n<div class="our-home"><h1 id="home">Billing desk KB</h1></div>\n'
    )
    (root / "site_templates" / "theme" / "partials").mkdir(parents=True)
    (root / "site_templates" / "theme" / "partials" / "copyright.html").write_text(
        '<div class="md-copyright">Billing desk, internal use</div>\n'
    )
    result = sopkb("-C", str(root), "build")
    assert result.returncode == 0, result.stderr
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert '<div class="our-home"><h1 id="home">Billing desk KB</h1></div>' in home
    assert "Billing desk, internal use" in home
    sop = (root / "site" / "sops" / "refund" / "index.html").read_text(encoding="utf-8")
    assert "sopkb-quick" in sop and "Billing desk, internal use" in sop  # built-ins still serve the rest
