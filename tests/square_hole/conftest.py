"""Square-hole tests: a storage directory per test, a fast embedded agent and the embedded
image backend (covers are generated for real)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.factories.creation import fast_agent


@pytest.fixture(autouse=True)
def agent_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from resolvers.images.runner import set_backend

    monkeypatch.setenv("IMAGE_BACKEND", "embedded")
    set_backend(None)
    yield from fast_agent(monkeypatch, tmp_path / "storage")
    set_backend(None)
