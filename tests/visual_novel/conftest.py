from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.factories.creation import fast_agent


@pytest.fixture(autouse=True)
def agent_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield from fast_agent(monkeypatch, tmp_path / "storage")


@pytest.fixture(autouse=True)
def embedded_images(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Images are drawn by the embedded backend (no network)."""
    from resolvers.images.runner import set_backend

    monkeypatch.setenv("IMAGE_BACKEND", "embedded")
    set_backend(None)
    yield
    set_backend(None)


@pytest.fixture
def paused_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """No generation worker in the app: a text turn stays pending (ask before `gql`)."""
    from settings import get_settings

    monkeypatch.setenv("GENERATION_WORKER_ENABLED", "false")
    get_settings.cache_clear()
