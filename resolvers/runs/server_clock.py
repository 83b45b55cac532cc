"""The server's hand on a run's clock, for play types whose time the server drives.

A play type whose server advances the game on its own (big fish ticks its world while
someone watches it, resolvers/big_fish/live.py) has no client actions to apply through
`lifecycle.act`; it sets `RunRules.server_clock` and moves the framework row with these,
each one conditional UPDATE of `runs_run` inside the caller's write transaction (so the
play type's own row and the framework's change together), safe from any number of
processes: only one statement can move a row.

- `pause`: RUNNING → PAUSED, `paused_at` = now. A PAUSED run does not expire (the sweep and
  every guard only take RUNNING runs) and still counts against RUN_LIMIT.
- `resume`: PAUSED → RUNNING; the pause's length joins `paused_ms` and pushes the deadline
  (of a time-limited run) by as much, so the limit counts played time only.
- `finish`: the server ends the run (WON or LOST, with a reason) whether RUNNING or PAUSED,
  through the framework's finishing (resolvers/runs/finishing.py): `elapsed_ms` (time
  since the start, paused time excluded), in PLAY mode the play time and the played work,
  the FINISHED event. Returns the entries to publish after commit.
Pausing and resuming are not run events and do not change `snapshot_version`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from db.tables.runs import RunsRun
from resolvers.gallery.model import utc
from resolvers.runs.finishing import finished, record_elapsed
from resolvers.runs.model import Run, RunStatus
from resolvers.runs.store import RUNNING, run_from_row
from subscriptions.streams import StreamEntry

PAUSED = RunStatus.PAUSED.value
ENDINGS = frozenset({RunStatus.WON, RunStatus.LOST})


async def pause(run_id: str, now: datetime) -> Run | None:
    """Stop a RUNNING run's clock (None: it was not running before its deadline)."""
    now = utc(now)
    rows = (
        await RunsRun.update(
            {RunsRun.status: PAUSED, RunsRun.paused_at: now, RunsRun.updated_at: now}
        )
        .where(
            (RunsRun.run_id == run_id) & (RunsRun.status == RUNNING) & (RunsRun.deadline_at > now)
        )
        .returning(*RunsRun.all_columns())
    )
    return run_from_row(rows[0]) if rows else None


async def resume(run_id: str, now: datetime) -> Run | None:
    """Start a PAUSED run's clock again (None: it was not paused)."""
    now = utc(now)
    row = await RunsRun.select().where(RunsRun.run_id == run_id).first()
    if row is None:
        return None
    run = run_from_row(row)
    if run.status is not RunStatus.PAUSED or run.paused_at is None:
        return None
    pause_ms = max(0, int((now - run.paused_at).total_seconds() * 1000))
    deadline = run.deadline_at
    if run.time_limited:
        deadline += timedelta(milliseconds=pause_ms)
    rows = (
        await RunsRun.update(
            {
                RunsRun.status: RUNNING,
                RunsRun.paused_at: None,
                RunsRun.paused_ms: RunsRun.paused_ms + pause_ms,
                RunsRun.deadline_at: deadline,
                RunsRun.updated_at: now,
            }
        )
        .where(
            (RunsRun.run_id == run_id)
            & (RunsRun.status == PAUSED)
            & (RunsRun.paused_at == row["paused_at"])
        )
        .returning(*RunsRun.all_columns())
    )
    return run_from_row(rows[0]) if rows else None


async def finish(
    run_id: str, status: RunStatus, reason: str | None, now: datetime
) -> tuple[Run, list[StreamEntry]] | None:
    """End a RUNNING or PAUSED run as the server decided (WON or LOST); None when it had
    already ended. One more snapshot version, like any end."""
    if status not in ENDINGS:
        raise ValueError(f"the server can only win or lose a run, not {status}")
    now = utc(now)
    rows = (
        await RunsRun.update(
            {
                RunsRun.status: status.value,
                RunsRun.reason: reason,
                RunsRun.finished_at: now,
                RunsRun.snapshot_version: RunsRun.snapshot_version + 1,
                RunsRun.updated_at: now,
            }
        )
        .where(
            (RunsRun.run_id == run_id)
            & (
                ((RunsRun.status == RUNNING) & (RunsRun.deadline_at > now))
                | (RunsRun.status == PAUSED)
            )
        )
        .returning(*RunsRun.all_columns())
    )
    if not rows:
        return None
    ended = await record_elapsed(run_from_row(rows[0]), now)
    return ended, await finished(ended, now)
