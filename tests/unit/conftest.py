"""Fixtures for the unit tests: the small fixture KB, loaded once, on the golden pages' fixed day."""

from __future__ import annotations

import datetime as dt

import pytest
from sopkb.domain.knowledge_base import KnowledgeBase
from sopkb.domain.project import Project
from sopkb.pipeline import load_knowledge_base

from tests.conftest import FIXTURES

SMALL = FIXTURES / "kb-small"
TODAY = dt.date(2026, 11, 23)  # as tests/unit/render/test_pages.py: the fixture's SOPs are in date


@pytest.fixture(scope="session")
def small_kb() -> KnowledgeBase:
    """Read-only: a test that changes the KB builds its own."""
    return load_knowledge_base(Project.at(SMALL), today=TODAY)


@pytest.fixture(scope="session")
def flow_kb() -> KnowledgeBase:
    """tests/fixtures/kb-flow: starts, calls (nested), waits, limits, actors, external procedures,
    an SOP with unknown owner, version and dates. Read-only."""
    return load_knowledge_base(Project.at(FIXTURES / "kb-flow"), today=TODAY)
