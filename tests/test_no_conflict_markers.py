"""No file in the repository holds a merge's conflict markers: a half-resolved merge once left
them in the architecture page, where no other test looked."""

from __future__ import annotations

import re
import subprocess

from tests.conftest import REPO

MARKER = re.compile(rb"^(<<<<<<< |>>>>>>> )", re.MULTILINE)


def test_no_tracked_file_holds_conflict_markers():
    listed = subprocess.run(["git", "-C", str(REPO), "ls-files", "-z"], capture_output=True, check=True).stdout
    found = [
        name
        for name in listed.decode().split("\0")
        if name and (REPO / name).is_file() and MARKER.search((REPO / name).read_bytes())
    ]
    assert found == []
