"""Runs tests: the counter play type (tests/runs/fake.py) stands in for `TEST_PLAY_TYPE`,
with its run type registered before the app builds its schema; the app runs without the
generation worker (its polling would add statements to the statement counts)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from resolvers.runs.registry import rules_for_tests
from tests.factories.creation import fast_agent
from tests.runs.fake import CounterRules, register_counter_run_type, unregister_counter_run_type


@pytest.fixture(autouse=True)
def no_generation_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    from settings import get_settings

    monkeypatch.setenv("GENERATION_WORKER_ENABLED", "false")
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def asset_storage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Uploaded bytes (puzzle images) go to the test's own directory."""
    yield from fast_agent(monkeypatch, tmp_path / "storage")


@pytest.fixture(autouse=True)
def counter(no_generation_worker: None) -> Iterator[CounterRules]:
    """The counter rules, installed for the test (and its run type, for the schema)."""
    register_counter_run_type()
    rules = CounterRules()
    with rules_for_tests(rules):
        yield rules
    unregister_counter_run_type()
