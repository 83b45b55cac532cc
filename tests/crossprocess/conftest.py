"""Fixtures of the tests that start server processes."""

from __future__ import annotations

import pytest


@pytest.fixture
def postgres_only(engine_name: str) -> None:
    """The processes share the PostgreSQL run's database: these tests run in that run only."""
    if engine_name != "postgres":
        pytest.skip("the processes share the PostgreSQL run's database")
