"""The end of a run, whatever ended it (WON / LOST by an action, runAbandon, expiry).

The statement that moves `runs_run` out of `running` decides (a conditional UPDATE; only
one can succeed), then, in the same transaction: the play type's `on_finished`, in PLAY
mode the play time and the played work (resolvers/runs/played.py), and the FINISHED event.
`elapsed_ms` is `min(now, deadline) − started_at`: a run never counts time past its limit.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from db.tables.runs import RunsRun
from db.transactions import write_transaction
from resolvers.gallery.model import utc
from resolvers.runs import played
from resolvers.runs.model import Run, RunEventKind, RunMode, RunReason, RunStatus
from resolvers.runs.registry import rules_for
from resolvers.runs.store import RUNNING, record_event, run_from_row
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
    rows = (
        await RunsRun.update(
            {
                RunsRun.status: status.value,
                RunsRun.reason: reason,
                RunsRun.finished_at: now,
                RunsRun.elapsed_ms: run.elapsed_at(now),
                RunsRun.updated_at: now,
            }
        )
        .where((RunsRun.run_id == run.run_id) & (RunsRun.status == RUNNING))
        .returning(*RunsRun.all_columns())
    )
    if not rows:  # pragma: no cover - the caller holds the row
        raise RuntimeError(f"run {run.run_id} is no longer running")
    ended = run_from_row(rows[0])
    return ended, await finished(ended, now)


async def record_elapsed(run: Run, now: datetime) -> Run:
    """Store the elapsed time of a run this transaction just ended (its guard UPDATE set the
    status and returned it; the time is computed from its start and deadline)."""
    elapsed = replace(run, elapsed_ms=None).elapsed_at(now)
    await RunsRun.update({RunsRun.elapsed_ms: elapsed}).where(RunsRun.run_id == run.run_id)
    return replace(run, elapsed_ms=elapsed)


async def expire_run(run_id: str, now: datetime) -> Run | None:
    """Expire a running run whose deadline has passed (TIME_UP), in its own transaction;
    safe from any number of processes at once (one conditional UPDATE decides). None when
    it was not running past its deadline (already finished, or someone expired it first).
    It ends at its deadline: `finished_at` is the deadline, `elapsed_ms` the whole limit."""
    now = utc(now)
    async with write_transaction():
        # Raw: it copies columns of the row (`finished_at = deadline_at`, `elapsed_ms = …`).
        rows = await RunsRun.raw(
            "UPDATE runs_run SET status = {}, reason = {}, finished_at = deadline_at, "
            "elapsed_ms = duration_limit_ms, snapshot_version = snapshot_version + 1, "
            "updated_at = {} WHERE run_id = {} AND status = {} AND deadline_at <= {} "
            "RETURNING *",
            RunStatus.EXPIRED.value,
            RunReason.TIME_UP.value,
            now,
            run_id,
            RUNNING,
            now,
        )
        if not rows:
            return None
        run = run_from_row(rows[0])
        entries = await finished(run, now)
    await streams.publish(entries)
    return run
