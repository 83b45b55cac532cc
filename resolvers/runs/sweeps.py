"""Periodic jobs of runs: expire the runs whose time is up, purge old event streams.

Both are safe to run from any number of processes at once:
- `sweep_expired` reads running runs past their deadline (index `(status, deadline_at)`)
  and expires each with its own conditional UPDATE (finishing.expire_run): a run that
  another process (or a late request) expired first is skipped.
- `purge_finished_events` drops the event streams (`runs_run_event` rows, their stream log
  and counter) of runs finished more than `RUN_EVENT_RETENTION_DAYS` (30) ago and marks the
  runs (`events_purged_at`), a batch per transaction; deleting twice deletes nothing.
`RunSweeper` runs both from the application's lifespan (app.py), every
`RUN_SWEEP_SECONDS` and `RUN_PURGE_SECONDS`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta

from db.transactions import write_transaction
from resolvers import clock
from resolvers.gallery.model import utc
from resolvers.runs.finishing import expire_run
from resolvers.runs.model import run_stream
from resolvers.runs.store import listing
from resolvers.runs.store.events import delete_events
from settings import Settings
from subscriptions import streams

logger = logging.getLogger("genarrative.runs")

BATCH = 100


async def sweep_expired(*, now: datetime | None = None, limit: int = BATCH) -> int:
    """Expire running runs whose deadline has passed, at most `limit` per round until none
    is left; returns how many this call expired."""
    now = utc(now or clock.now())
    expired = 0
    while True:
        run_ids = await listing.overdue_run_ids(now=now, limit=limit)
        failed = 0
        for run_id in run_ids:
            try:
                if await expire_run(run_id, now) is not None:
                    expired += 1
            except Exception:
                failed += 1
                logger.exception("expiring run %s failed", run_id)
        if len(run_ids) < limit or failed:
            return expired


async def purge_finished_events(
    *, older_than: timedelta, now: datetime | None = None, limit: int = BATCH
) -> int:
    """Drop the event streams of runs finished before `now - older_than`; returns how many
    runs' streams were dropped."""
    now = utc(now or clock.now())
    cutoff = now - older_than
    purged = 0
    while True:
        run_ids = await listing.purgeable_run_ids(cutoff=cutoff, limit=limit)
        if run_ids:
            async with write_transaction():
                await delete_events(run_ids)
                await streams.discard([run_stream(run_id) for run_id in run_ids])
                marked = await listing.mark_events_purged(run_ids=run_ids, now=now)
            purged += marked
        if len(run_ids) < limit:
            return purged


class RunSweeper:
    """Runs `sweep_expired` every `RUN_SWEEP_SECONDS` and `purge_finished_events` every
    `RUN_PURGE_SECONDS` in this process (both also once at start)."""

    def __init__(self, settings: Settings) -> None:
        self.sweep_seconds = settings.run_sweep_seconds
        self.purge_seconds = settings.run_purge_seconds
        self.retention = timedelta(days=settings.run_event_retention_days)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="runs-sweeper")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _loop(self) -> None:
        loop = asyncio.get_running_loop()
        next_purge = loop.time()
        while True:
            try:
                await sweep_expired()
                if loop.time() >= next_purge:
                    next_purge = loop.time() + self.purge_seconds
                    await purge_finished_events(older_than=self.retention)
            except Exception:
                logger.exception("the runs sweep failed; retrying")
            await asyncio.sleep(self.sweep_seconds)


def sweeper_from_settings(settings: Settings) -> RunSweeper | None:
    return RunSweeper(settings) if settings.run_sweeper_enabled else None
