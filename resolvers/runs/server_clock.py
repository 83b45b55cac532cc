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

from resolvers.gallery.model import utc
from resolvers.runs.finishing import finished, record_elapsed
from resolvers.runs.model import Run, RunStatus
from resolvers.runs.store import clock as store
from resolvers.runs.store.runs import run_by_id
from subscriptions.streams import StreamEntry

ENDINGS = frozenset({RunStatus.WON, RunStatus.LOST})


async def pause(run_id: str, now: datetime) -> Run | None:
    """Stop a RUNNING run's clock (None: it was not running before its deadline)."""
    return await store.pause_running(run_id=run_id, now=utc(now))


async def resume(run_id: str, now: datetime) -> Run | None:
    """Start a PAUSED run's clock again (None: it was not paused)."""
    now = utc(now)
    run = await run_by_id(run_id)
    if run is None:
        return None
    if run.status is not RunStatus.PAUSED or run.paused_at is None:
        return None
    pause_ms = max(0, int((now - run.paused_at).total_seconds() * 1000))
    deadline = run.deadline_at
    if run.time_limited:
        deadline += timedelta(milliseconds=pause_ms)
    return await store.resume_paused(
        run_id=run_id, paused_at=run.paused_at, pause_ms=pause_ms, deadline=deadline, now=now
    )


async def finish(
    run_id: str, status: RunStatus, reason: str | None, now: datetime
) -> tuple[Run, list[StreamEntry]] | None:
    """End a RUNNING or PAUSED run as the server decided (WON or LOST); None when it had
    already ended. One more snapshot version, like any end."""
    if status not in ENDINGS:
        raise ValueError(f"the server can only win or lose a run, not {status}")
    now = utc(now)
    ended = await store.end_running_or_paused(run_id=run_id, status=status, reason=reason, now=now)
    if ended is None:
        return None
    ended = await record_elapsed(ended, now)
    return ended, await finished(ended, now)
