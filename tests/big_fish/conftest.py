"""Big-fish tests: a storage directory per test, a fast embedded agent, the embedded image
backend (sprites are generated for real), and ticks the test hands out (`ticks`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from resolvers.big_fish import runs
from resolvers.big_fish.live import LIVE_RUNS
from resolvers.big_fish.ticks import ManualTicks, TickSource
from tests.factories.creation import fast_agent

# With this seed the example world is won by `simulation.hunting` in 48 ticks and lost by
# `simulation.reckless` in 8 (tests/big_fish/test_simulation.py).
SEED = 1


@pytest.fixture(autouse=True)
def agent_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from resolvers.images.runner import set_backend

    monkeypatch.setenv("IMAGE_BACKEND", "embedded")
    # Tests steer faster than a player's 30 inputs a second (the rate test sets it back).
    monkeypatch.setenv("BIG_FISH_INPUTS_PER_SECOND", "100000")
    set_backend(None)
    yield from fast_agent(monkeypatch, tmp_path / "storage")
    set_backend(None)


@pytest.fixture(autouse=True)
def seeded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runs, "new_seed", lambda _bits: SEED)


@pytest.fixture
def ticks(monkeypatch: pytest.MonkeyPatch) -> dict[str, ManualTicks]:
    """Every run ticks only when the test says (`await ticks[run_id].advance(n)`)."""
    sources: dict[str, ManualTicks] = {}

    def source(run_id: str) -> TickSource:
        sources[run_id] = ManualTicks()
        return sources[run_id]

    monkeypatch.setattr(LIVE_RUNS, "tick_source", source)
    return sources
