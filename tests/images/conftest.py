"""Image tests: a storage directory per test, a fast embedded agent, the embedded image
backend unless a test points IMAGE_BACKEND elsewhere (`use_provider`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.factories.creation import fast_agent


@pytest.fixture(autouse=True)
def image_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from resolvers.images.runner import set_backend

    monkeypatch.setenv("IMAGE_BACKEND", "embedded")
    set_backend(None)
    yield from fast_agent(monkeypatch, tmp_path / "storage")
    set_backend(None)


@pytest.fixture
def use_settings(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """`use_settings(IMAGE_BACKEND="openai", …)`: environment settings for this test, read
    afresh (the image backend is built again from them)."""
    from resolvers.images.runner import set_backend
    from settings import get_settings

    def apply(**values: str) -> None:
        for name, value in values.items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        set_backend(None)

    return apply
