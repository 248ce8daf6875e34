"""Fixtures the build's tests share."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES


@pytest.fixture
def kb(tmp_path) -> Path:
    """A copy of the small KB to build, edit and break (a test file may define its own `kb`)."""
    root = tmp_path / "kb"
    shutil.copytree(FIXTURES / "kb-small", root)
    return root
