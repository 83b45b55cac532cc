"""RPG runtime tests: the worlds' fast embedded agent (12 words at 2000 words/s) and asset
bytes in a directory per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def fast_agent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from resolvers.assets.storage import set_storage
    from resolvers.gallery.hot import forget_rolled_day
    from settings import get_settings

    monkeypatch.setenv("GENERATION_WORDS_PER_SECOND", "2000")
    monkeypatch.setenv("GENERATION_WORD_COUNT", "12")
    monkeypatch.setenv("ASSET_STORAGE_DIR", str(tmp_path / "storage"))
    get_settings.cache_clear()
    set_storage(None)
    forget_rolled_day()
    yield
    set_storage(None)


@pytest.fixture
def paused_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """No generation worker in the app: a story turn stays pending (ask before `gql`)."""
    from settings import get_settings

    monkeypatch.setenv("GENERATION_WORKER_ENABLED", "false")
    get_settings.cache_clear()
