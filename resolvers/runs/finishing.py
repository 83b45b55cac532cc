"""The end of a run, whatever ended it (WON / LOST by an action, runAbandon, expiry).

The statement that moves `runs_run` out of `running` decides (a conditional UPDATE; only
one can succeed), then, in the same transaction: the play type's `on_finished`, in PLAY
mode the play time and the played work (resolvers/runs/played.py), and the FINISHED event.
`elapsed_ms` is `min(now, deadline) − started_at`: a run never counts time past its limit.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from db.transactions import write_transaction
from resolvers.gallery.model import utc
from resolvers.runs import played
from resolvers.runs.model import Run, RunEventKind, RunMode, RunStatus
from resolvers.runs.registry import rules_for
from resolvers.runs.store import runs as store
from resolvers.runs.store.events import record_event
from subscriptions import streams
from subscriptions.streams import StreamEntry


async def finished(run: Run, now: datetime) -> list[StreamEntry]:
    """Bookkeeping of a run that just ended (`run` as it is now), inside the transaction
    that ended it; returns the entries to publish after commit."""
    entries: list[StreamEntry] = []
    rules = rules_for(run.play_type)
    if rules is not None:
        entries += await rules.on_finished(run=run, now=now)
    if run.mode is RunMode.PLAY:
        await played.finished_playing(run, now)
    entries += await record_event(
        run, RunEventKind.FINISHED, now=now, payload={"elapsedMs": run.elapsed_ms}
    )
    return entries


async def end_running(
    run: Run, status: RunStatus, reason: str | None, now: datetime
) -> tuple[Run, list[StreamEntry]]:
    """End `run` with `status` and `reason` (an action won or lost it). The caller's guard
    UPDATE returned `run` in this transaction, so it holds the row."""
    ended = await store.end_running(
        run_id=run.run_id, status=status, reason=reason, elapsed_ms=run.elapsed_at(now), now=now
    )
    if ended is None:  # pragma: no cover - the caller holds the row
        raise RuntimeError(f"run {run.run_id} is no longer running")
    return ended, await finished(ended, now)


async def record_elapsed(run: Run, now: datetime) -> Run:
    """Store the elapsed time of a run this transaction just ended (its guard UPDATE set the
    status and returned it; the time is computed from its start and deadline)."""
    elapsed = replace(run, elapsed_ms=None).elapsed_at(now)
    await store.set_elapsed(run_id=run.run_id, elapsed_ms=elapsed)
    return replace(run, elapsed_ms=elapsed)


async def expire_run(run_id: str, now: datetime) -> Run | None:
    """Expire a running run whose deadline has passed (TIME_UP), in its own transaction;
    safe from any number of processes at once (one conditional UPDATE decides). None when
    it was not running past its deadline (already finished, or someone expired it first).
    It ends at its deadline: `finished_at` is the deadline, `elapsed_ms` the whole limit."""
    now = utc(now)
    async with write_transaction():
        run = await store.expire(run_id=run_id, now=now)
        if run is None:
            return None
        entries = await finished(run, now)
    await streams.publish(entries)
    return run
