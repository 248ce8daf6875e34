"""Every quiz of the small KB, its drill included, exported as `sopkb export --drills` does."""

from __future__ import annotations

import pytest
from sopkb.export import export_quizzes


@pytest.fixture
def exported(small_kb):  # noqa: ANN201
    def export(fmt: str) -> bytes:
        return export_quizzes(small_kb, small_kb.quizzes, fmt, "Small KB")  # mkdocs.yml's site_name

    return export
