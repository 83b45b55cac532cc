"""The generation queue's depth, for /metrics: generations no worker holds."""

from __future__ import annotations

from db.tables.ai_tasks import AiTasksWorkerLease
from resolvers import clock


async def queued_generations() -> int:
    """Generations waiting for a worker: queued or handed back (no lease owner), or held
    by a lease that expired (its worker stopped; the next claim takes it over). One count
    over a table of unfinished generations only, so cheap enough for every scrape."""
    lease = AiTasksWorkerLease
    waiting = lease.lease_owner.is_null() | (lease.lease_expires_at < clock.now())
    return int(await lease.count().where(waiting))
