"""A KB's own templates are source files: a mistake in one is a located error (`path:line:col:
message`), never a Python traceback, wherever the page was made (this process, a render worker,
the process that makes MkDocs' other pages), and the site built before is left as it was."""

from __future__ import annotations

import json
import os
import pickle

import pytest
from jinja2 import Environment, FileSystemLoader
from sopkb.core.errors import Problem, SourceErrors
from sopkb.core.resources import builtin_templates
from sopkb.core.template_errors import template_problem

from tests.synthetic_kb import synthetic_sops
from tests.unit.cli.test_cli import sopkb, tree_digest

MISTAKES = {
    "runtime": ("{{ 1 / 0 }}", "in this template: ZeroDivisionError: division by zero"),
    "syntax": ("{{ title( }}", "template syntax: unexpected '}', expected ')'"),
    "undefined": ("{{ nothing.here }}", "in this template: UndefinedError: 'nothing' is undefined"),
    "missing-include": (
        '{% include "not-there.html" %}',
        "in this template: template not found: not-there.html",
    ),
}


def _built(kb_copy, sops: int = 0):
    root = kb_copy("kb-small")
    for i, sop in enumerate(synthetic_sops(sops, seed=5)):
        (root / "sops" / f"s{i:04d}.yaml").write_text(json.dumps(sop))
    first = sopkb("build", cwd=root)
    assert first.returncode == 0, first.stderr
    return root, tree_digest(root / "site")


@pytest.mark.parametrize("mistake", MISTAKES, ids=list(MISTAKES))
def test_a_mistake_in_the_kbs_theme_override_is_located(kb_copy, mistake):
    root, before = _built(kb_copy)
    text, message = MISTAKES[mistake]
    theme = root / "site_templates" / "theme"
    theme.mkdir(parents=True)
    (theme / "main.html").write_text(
        f'{{% extends "base.html" %}}\n{{% block content %}}\n{text}\n{{% endblock %}}\n'
    )
    result = sopkb("build", cwd=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-2:] == [
        f"site_templates/theme/main.html:3:1: {message}",
        "Aborted with 1 error.",
    ]
    assert tree_digest(root / "site") == before


PAGE_MISTAKES = {
    "runtime": (
        lambda builtin: builtin[0] + b"{{ sop.title / 2 }}\n" + b"".join(builtin[1:]),
        "sop.md.j2:2:1: in this template: TypeError: unsupported operand type(s) for /: 'str' and 'int'",
    ),
    "binary": (
        lambda builtin: b"\xff\xfe{{ x }}",
        "sop.md.j2:1:1: cannot read this template: it is not UTF-8 text",
    ),
    "nested": (
        lambda builtin: b"line one\n" + b"{% if true %}" * 5000 + b"{% endif %}" * 5000,
        "sop.md.j2:2:1: cannot read this template: its tags are nested too deeply",
    ),
}


@pytest.mark.parametrize("mistake", PAGE_MISTAKES, ids=list(PAGE_MISTAKES))
@pytest.mark.parametrize("sops", [0, 240], ids=["this-process", "render-workers"])
def test_a_mistake_in_the_kbs_page_template_is_located(kb_copy, sops, mistake):
    """240 SOPs: rendered in forked workers, whose traceback does not travel back to the build."""
    root, before = _built(kb_copy, sops)
    pages = root / "site_templates" / "pages"
    pages.mkdir(parents=True)
    builtin = (builtin_templates() / "pages" / "sop.md.j2").read_bytes().splitlines(keepends=True)
    written, message = PAGE_MISTAKES[mistake]
    (pages / "sop.md.j2").write_bytes(written(builtin))
    result = sopkb("build", cwd=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-2:] == [f"site_templates/pages/{message}", "Aborted with 1 error."]
    assert tree_digest(root / "site") == before


def test_a_theme_override_that_cannot_be_read_is_located_where_it_is_not_where_it_is_extended(kb_copy):
    """Material's 404 page extends `main.html`: the file to fix is the override, not the 404 page."""
    root, before = _built(kb_copy)
    theme = root / "site_templates" / "theme"
    theme.mkdir(parents=True)
    (theme / "main.html").write_bytes(b"\xff\xfe{% extends 'base.html' %}")
    result = sopkb("build", cwd=root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        result.stderr.splitlines()[-2]
        == "site_templates/theme/main.html:1:1: cannot read this template: it is not UTF-8 text"
    )
    assert tree_digest(root / "site") == before


def test_only_errors_raised_in_a_template_are_located(tmp_path):
    (tmp_path / "t.html").write_text("line one\n{{ f() }}\n")
    env = Environment(loader=FileSystemLoader(tmp_path))

    def boom():
        raise KeyError("deep in Python")

    with pytest.raises(KeyError) as caught:
        env.get_template("t.html").render(f=boom)
    problem = template_problem(caught.value)
    assert (problem.file.endswith("t.html"), problem.line) == (True, 2)
    assert template_problem(ValueError("not in a template")) is None


def test_located_errors_survive_the_trip_from_a_worker_process():
    errors = SourceErrors([Problem("a.html", 3, 1, "in this template: ZeroDivisionError: division by zero")])
    again = pickle.loads(pickle.dumps(errors))
    assert again.problems == errors.problems and again.report() == errors.report()


def test_the_kbs_templates_are_read_by_the_sources_rules(kb_copy, tmp_path):
    """A template linked to a file outside the KB was published on every page (/etc/passwd after
    the policy); a broken link or a pipe was passed over without a word. Refused, as sources are."""
    root, before = _built(kb_copy)
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the site")
    (root / "site_templates" / "theme").mkdir(parents=True)
    (root / "site_templates" / "pages").mkdir()
    (root / "site_templates" / "theme" / "main.html").symlink_to(secret)
    (root / "site_templates" / "pages" / "gone.j2").symlink_to(tmp_path / "not-there")
    os.mkfifo(root / "site_templates" / "pages" / "pipe.j2")
    expected = [
        "site_templates/pages/gone.j2:1:1: is not a regular file (a broken link), so it is not read",
        "site_templates/pages/pipe.j2:1:1: is not a regular file (a named pipe), so it is not read",
        "site_templates/theme/main.html:1:1: a link to a file outside the KB folder is not read; "
        "copy the file into the KB instead",
        "Aborted with 3 errors.",
    ]
    for command in ("build", "validate"):
        result = sopkb(command, cwd=root)
        assert (result.returncode, result.stderr.splitlines()) == (1, expected)
    assert tree_digest(root / "site") == before


def test_a_theme_override_that_drops_sopkbs_script_is_warned_about(kb_copy):
    """Material's docs show a `main.html` extending `base.html`: as a KB's own, it replaces sopkb's,
    which adds the script search, flowcharts and quizzes run on. The site builds; the author is told."""
    root, _ = _built(kb_copy)
    theme = root / "site_templates" / "theme"
    theme.mkdir(parents=True)
    (theme / "main.html").write_text(
        '{% extends "base.html" %}\n{% block content %}<p>ours</p>{{ super() }}{% endblock %}\n'
    )
    dropped = sopkb("build", cwd=root)
    assert dropped.returncode == 0 and "ours" in (root / "site" / "index.html").read_text()
    assert "the pages do not load sopkb's script and stylesheet" in dropped.stderr
    builtin = (builtin_templates() / "theme" / "main.html").read_text()
    (theme / "main.html").write_text(builtin.replace("{% block styles %}", "{# ours #}{% block styles %}"))
    kept = sopkb("build", cwd=root)
    assert kept.returncode == 0 and "sopkb's script" not in kept.stderr
