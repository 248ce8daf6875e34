"""The tests mirror the package: tests/unit/<package>/ holds the tests of sopkb.<package>, and
pytest collects every one of those folders (its default skips any folder named `build`)."""

from __future__ import annotations

import fnmatch
import re
import subprocess

from tests.conftest import REPO

PACKAGE = REPO / "generator" / "sopkb"
UNIT = REPO / "tests" / "unit"


def test_every_unit_test_folder_is_named_after_a_package_and_is_collected(request):
    skipped = request.config.getini("norecursedirs")
    folders = sorted(p for p in UNIT.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert len(folders) >= 10
    for folder in folders:
        assert (PACKAGE / folder.name / "__init__.py").is_file(), f"{folder.name}: no sopkb.{folder.name}"
        assert list(folder.glob("test_*.py")), folder
        assert not any(fnmatch.fnmatch(folder.name, pattern) for pattern in skipped), folder


def test_no_test_module_is_left_beside_the_mirror():
    """Only project-wide tests stay at the top: the wheel, the docs' links, the browser code and its
    unit tests (tests/js), and this."""
    top = sorted(p.name for p in (REPO / "tests").glob("test_*.py"))
    assert top == [
        "test_browser_code.py", "test_docs_links.py", "test_install.py", "test_js.py", "test_js_parity.py", "test_layout.py"
    ]  # fmt: skip


MARKER = re.compile(rb"^(<<<<<<< |>>>>>>> )", re.MULTILINE)


def test_no_tracked_file_holds_conflict_markers():
    """A half-resolved merge once left its markers in the architecture page, where no other test
    looked."""
    listed = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z"], capture_output=True, check=True).stdout
    found = [
        name
        for name in listed.decode().split("\0")
        if name and (REPO / name).is_file() and MARKER.search((REPO / name).read_bytes())
    ]
    assert found == []
