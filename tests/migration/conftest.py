from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.factories.creation import fast_agent


@pytest.fixture(autouse=True)
def agent_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield from fast_agent(monkeypatch, tmp_path / "storage")
