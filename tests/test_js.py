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
