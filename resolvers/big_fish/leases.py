"""The ticking process's lease on a run, and saving its world: single conditional
statements, correct with any number of processes on either engine.

- `claim` takes a run that is RUNNING or PAUSED and that nobody holds (no owner, or the
  lease expired: its process died), or that this process holds already: it becomes
  RUNNING under this process's lease, and a PAUSED framework row resumes its clock
  (resolvers/runs/server_clock.py), in one transaction. Only one UPDATE can win a row.
- `save` writes the world (`snapshot_json`, `tick`, `status`) and renews the lease, only
  while this process holds it and the run is RUNNING (False: the lease was lost or the
  run was abandoned, stop ticking); the once-a-second save of a RUNNING run is that one
  statement. Saving as PAUSED, WON or LOST releases the lease and,
  in the same transaction, pauses or ends the framework row (the framework's finishing:
  elapsed time, play time and played work in PLAY mode, the FINISHED event, published
  after commit).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from db.transactions import write_transaction
from resolvers import clock
from resolvers.big_fish.model import BigFishRunStatus
from resolvers.big_fish.run_rows import BigFishRunRow
from resolvers.big_fish.store import runs as store
from resolvers.runs import server_clock
from resolvers.runs.model import RunReason, RunStatus
from subscriptions import streams
from subscriptions.streams import StreamEntry

# The framework's reason for each end the simulation reaches.
REASONS = {
    BigFishRunStatus.WON: RunReason.COMPLETED.value,
    BigFishRunStatus.LOST: "EATEN",  # touched a bigger fish
}


async def claim(*, run_id: str, holder: str, lease_seconds: float) -> BigFishRunRow | None:
    now = clock.now()
    async with write_transaction():
        row = await store.claim_lease(
            run_id=run_id, holder=holder, lease_seconds=lease_seconds, now=now
        )
        if row is not None:
            await server_clock.resume(run_id, now)
    return row


async def save(
    *,
    run_id: str,
    holder: str,
    world: dict[str, Any],
    status: BigFishRunStatus,
    lease_seconds: float,
) -> bool:
    now = clock.now()
    if status is BigFishRunStatus.RUNNING:  # the once-a-second save: one statement
        return await _save_world(run_id, holder, world, status, now, lease_seconds)
    entries: list[StreamEntry] = []
    async with write_transaction():
        kept = await _save_world(run_id, holder, world, status, now, lease_seconds)
        if kept and status is BigFishRunStatus.PAUSED:
            await server_clock.pause(run_id, now)
        elif kept and status in REASONS:
            ended = await server_clock.finish(run_id, RunStatus(status.value), REASONS[status], now)
            entries = ended[1] if ended is not None else []
    await streams.publish(entries)
    return kept


async def _save_world(
    run_id: str,
    holder: str,
    world: dict[str, Any],
    status: BigFishRunStatus,
    now: datetime,
    lease_seconds: float,
) -> bool:
    return await store.save_world(
        run_id=run_id,
        holder=holder,
        world=world,
        status=status,
        finished=status in REASONS,
        now=now,
        lease_seconds=lease_seconds,
    )
