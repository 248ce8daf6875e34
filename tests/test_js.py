"""The browser modules' unit tests (tests/js/*.test.js) under Node's own runner, one pytest test
per file, so they count in pytest's summary and run wherever pytest does (scripts/test.sh lints
the modules with ESLint before)."""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.conftest import REPO, TESTS

JS_TESTS = sorted((TESTS / "js").glob("*.test.js"))


def test_the_js_tests_are_found():
    assert len(JS_TESTS) >= 5


def test_node_reads_the_site_modules_as_modules():
    """The site's modules sit in no package.json's "type": "module" (the site would serve it);
    Node reads them as modules by their syntax from 20.19 on."""
    version = subprocess.run(["node", "--version"], capture_output=True, text=True, check=True).stdout
    major, minor = (int(n) for n in version.strip().lstrip("v").split(".")[:2])
    assert (major, minor) >= (20, 19), f"tests/js needs Node.js 20.19 or newer, found {version.strip()}"


@pytest.mark.parametrize("path", JS_TESTS, ids=lambda p: p.name)
def test_js_module(path):
    result = subprocess.run(
        ["node", "--test", "--test-reporter=tap", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )
    report = result.stdout + result.stderr
    assert result.returncode == 0, report[-6000:]
    ran = re.search(r"^# pass (\d+)$", report, re.M)
    assert ran and int(ran.group(1)) > 0, report[-2000:]  # a file whose tests never ran passes nothing
