from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from resolvers.play_types.contract import PlayTypePlugin
from resolvers.play_types.registry import PLUGINS
from tests.factories.creation import fast_agent


@pytest.fixture(autouse=True)
def agent_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    yield from fast_agent(monkeypatch, tmp_path / "storage")


@pytest.fixture(params=PLUGINS, ids=lambda plugin: plugin.play_type.value)
def plugin(request: pytest.FixtureRequest) -> PlayTypePlugin:
    """Every registered play type: the contract suite runs once per plugin."""
    found: PlayTypePlugin = request.param
    return found
