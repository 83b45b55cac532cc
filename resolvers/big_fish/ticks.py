"""Tick sources: what paces a live run. The real one follows the event loop at a fixed
rate; tests hand out ticks one batch at a time (`ManualTicks`), so a run is played to its
end in milliseconds, deterministically.
"""

from __future__ import annotations

import asyncio
import time
from typing import Protocol


class TickSource(Protocol):
    async def next_tick(self) -> float:
        """Wait for the next tick; returns how late it came (seconds)."""

    def tick_done(self) -> None:
        """The tick asked for last has been applied."""


class RealTicks:
    """Ticks every 1/hz seconds of the monotonic clock, on a fixed schedule (a late tick
    does not push the next ones back); after a stall of five periods or more the schedule
    restarts from now rather than firing a burst."""

    def __init__(self, hz: int) -> None:
        self.period = 1.0 / hz
        self._due = time.monotonic()

    async def next_tick(self) -> float:
        self._due += self.period
        delay = self._due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        lag = time.monotonic() - self._due
        if lag > 5 * self.period:
            self._due = time.monotonic()
        return max(0.0, lag)

    def tick_done(self) -> None:
        return None


class ManualTicks:
    """Tests: `await advance(n)` lets n ticks happen and returns once they are applied
    (or the run stopped ticking)."""

    def __init__(self) -> None:
        self._granted = 0
        self._done = 0
        self._changed = asyncio.Condition()
        self.stopped = False

    async def next_tick(self) -> float:
        async with self._changed:
            await self._changed.wait_for(lambda: self._granted > self._done)
        return 0.0

    def tick_done(self) -> None:
        self._done += 1
        asyncio.get_running_loop().create_task(self._notify())

    def stop(self) -> None:
        self.stopped = True
        asyncio.get_running_loop().create_task(self._notify())

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def advance(self, ticks: int, *, within: float = 10.0) -> int:
        """Grant `ticks` more ticks and wait until they are applied; returns how many
        were (fewer when the run ended or paused first)."""
        start = self._done
        target = self._granted = max(self._granted, self._done) + ticks
        async with asyncio.timeout(within), self._changed:
            self._changed.notify_all()
            await self._changed.wait_for(lambda: self._done >= target or self.stopped)
        return self._done - start
