"""Gallery tests: the hot window's per-process memo is reset (tables are emptied between
tests), and the app runs without the generation worker, whose polling would add
statements to the statement counts."""

from __future__ import annotations

import pytest

from resolvers.gallery.hot import forget_rolled_day


@pytest.fixture(autouse=True)
def fresh_hot_window() -> None:
    forget_rolled_day()


@pytest.fixture(autouse=True)
def no_generation_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    from settings import get_settings

    monkeypatch.setenv("GENERATION_WORKER_ENABLED", "false")
    get_settings.cache_clear()
