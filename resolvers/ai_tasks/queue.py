"""The generation queue's depth, for /metrics: generations no worker holds."""

from __future__ import annotations

from resolvers import clock
from resolvers.ai_tasks.store import leases


async def queued_generations() -> int:
    """Generations waiting for a worker: queued or handed back (no lease owner), or held
    by a lease that expired (its worker stopped; the next claim takes it over). One count
    over a table of unfinished generations only, so cheap enough for every scrape."""
    return await leases.count_claimable(clock.now())
