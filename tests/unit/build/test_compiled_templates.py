"""Compiled templates kept between builds: loaded instead of compiled, only from a folder of this
user's alone, compiled again when a template changes, and still located when they fail."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest
from jinja2 import Environment, FileSystemLoader
from sopkb.build import compiled_templates as module
from sopkb.build.compiled_templates import compiled_templates


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    """A cache folder of the test's own (`$XDG_CACHE_HOME`), and no cache made before it."""
    folder = tmp_path / "cache"
    folder.mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    compiled_templates.cache_clear()
    yield folder
    compiled_templates.cache_clear()


def environment(folder, cache) -> Environment:
    env = Environment(loader=FileSystemLoader(str(folder)))
    env.bytecode_cache = cache
    return env


def never_compiled(*args, **kwargs):
    raise AssertionError("compiled again")


def test_a_template_compiled_once_is_loaded_by_the_next_environment(cache_home, tmp_path, monkeypatch):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.j2").write_text("Hello {{ name }}!")
    cache = compiled_templates("pages")
    assert environment(templates, cache).get_template("page.j2").render(name="Ana") == "Hello Ana!"
    kept = list((cache_home / "sopkb" / "templates").iterdir())
    assert len(kept) == 1 and kept[0].name.startswith("__sopkb-pages-")
    monkeypatch.setattr(Environment, "compile", never_compiled)
    assert environment(templates, cache).get_template("page.j2").render(name="Bo") == "Hello Bo!"


def test_an_edited_template_is_compiled_again(cache_home, tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.j2").write_text("first {{ n }}")
    cache = compiled_templates("pages")
    assert environment(templates, cache).get_template("page.j2").render(n=1) == "first 1"
    (templates / "page.j2").write_text("second {{ n }}")
    assert environment(templates, cache).get_template("page.j2").render(n=2) == "second 2"


@pytest.mark.parametrize(
    "planted", ["a-strangers", "open-to-others", "above-open-to-others", "a-link", "a-file"]
)
def test_a_cache_folder_that_is_not_this_users_alone_is_never_used(planted, cache_home, tmp_path):
    """Compiled code from a folder another user could write would run in the build."""
    folder = cache_home / "sopkb" / "templates"
    folder.parent.mkdir(mode=0o700)
    if planted == "a-strangers":
        folder.mkdir(mode=0o700)
        os.chown(folder, os.getuid() + 1, -1)
    elif planted == "open-to-others":
        folder.mkdir()
        os.chmod(folder, 0o777)
    elif planted == "above-open-to-others":
        os.chmod(folder.parent, 0o777)
    elif planted == "a-link":
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir(mode=0o700)
        folder.symlink_to(elsewhere)
    else:
        folder.write_text("not a folder")
    assert compiled_templates("pages") is None


@pytest.mark.parametrize("above", ["open-to-others", "a-strangers", "sticky-open-to-others"])
def test_a_cache_folder_below_one_others_can_write_is_never_used(above, tmp_path, monkeypatch):
    """Another user who can write a folder above could rename `sopkb` away and plant compiled
    templates in its place after the check; a sticky folder (as /tmp) lets no one do that."""
    shared = tmp_path / "shared"
    shared.mkdir()
    if above == "a-strangers":
        os.chown(shared, os.getuid() + 1, -1)
    else:
        os.chmod(shared, 0o777 | (stat.S_ISVTX if above.startswith("sticky") else 0))
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared))
    compiled_templates.cache_clear()
    try:
        assert (compiled_templates("pages") is None) == (not above.startswith("sticky"))
    finally:
        compiled_templates.cache_clear()


def test_a_link_where_the_sopkb_folder_goes_is_neither_used_nor_followed(cache_home, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    (cache_home / "sopkb").symlink_to(elsewhere)
    assert compiled_templates("pages") is None
    assert list(elsewhere.iterdir()) == []


def test_without_a_home_folder_templates_are_compiled_as_before(monkeypatch):
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.setattr(os, "getuid", lambda: 4242)  # no such user: Path.home() has nothing to go on
    compiled_templates.cache_clear()
    try:
        assert compiled_templates("pages") is None
    finally:
        compiled_templates.cache_clear()


def test_only_this_versions_compiled_templates_are_kept(cache_home, tmp_path):
    folder = cache_home / "sopkb" / "templates"
    folder.mkdir(mode=0o700, parents=True)
    older = folder / "__sopkb-pages-0123456789abcdef01234567-abc.cache"
    older.write_bytes(b"from another sopkb")
    theirs = folder / "__jinja2_abc.cache"  # another program's
    theirs.write_bytes(b"not ours")
    assert compiled_templates("pages") is not None
    assert not older.exists() and theirs.exists()


def test_a_mistake_in_a_template_loaded_compiled_is_located_as_one_compiled_here(tmp_path):
    """A traceback through code loaded from the cache still names the template's file and line:
    each run in a fresh process, so the second loads what the first compiled."""
    template = tmp_path / "broken.j2"
    template.write_text("line one\n{{ 1 / zero }}\n")
    script = (
        "import sys; from jinja2 import Environment, FileSystemLoader\n"
        "from sopkb.build.compiled_templates import compiled_templates\n"
        "from sopkb.core.template_errors import template_problem\n"
        "env = Environment(loader=FileSystemLoader(sys.argv[1]))\n"
        "env.bytecode_cache = compiled_templates('pages')\n"
        "compiled = []\n"
        "real = env.compile\n"
        "env.compile = lambda *a, **k: compiled.append(1) or real(*a, **k)\n"
        "try:\n"
        "    env.get_template('broken.j2').render(zero=0)\n"
        "except ZeroDivisionError as exc:\n"
        "    problem = template_problem(exc)\n"
        "    print(bool(compiled), problem.line, problem.file)\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    runs = [
        subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, env=env)
        for _ in range(2)
    ]
    assert [r.stdout.split() for r in runs] == [
        ["True", "2", str(template)],
        ["False", "2", str(template)],
    ], [r.stderr for r in runs]


def test_the_stamp_names_what_compiling_depends_on(monkeypatch):
    module._stamp.cache_clear()
    first = module._stamp()
    module._stamp.cache_clear()
    monkeypatch.setattr(module, "code_stamp", lambda: "another sopkb")
    assert module._stamp() != first
    module._stamp.cache_clear()
