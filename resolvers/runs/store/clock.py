"""The statements of the server's hand on a run's clock (resolvers/runs/server_clock.py):
each one conditional UPDATE of `runs_run`, inside the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from db.tables.runs import RunsRun
from resolvers.runs.model import Run, RunStatus
from resolvers.runs.store.runs import PAUSED, RUNNING, run_from_row


async def pause_running(*, run_id: str, now: datetime) -> Run | None:
    """RUNNING → PAUSED from `now`; None when it was not running before its deadline."""
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


async def resume_paused(
    *, run_id: str, paused_at: datetime, pause_ms: int, deadline: datetime, now: datetime
) -> Run | None:
    """PAUSED (since `paused_at`) → RUNNING, the pause added to `paused_ms`, the deadline
    set; None when it was not paused since then."""
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
            & (RunsRun.paused_at == paused_at)
        )
        .returning(*RunsRun.all_columns())
    )
    return run_from_row(rows[0]) if rows else None


async def end_running_or_paused(
    *, run_id: str, status: RunStatus, reason: str | None, now: datetime
) -> Run | None:
    """End a running (before its deadline) or paused run, one more version; None when it
    had already ended."""
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
    return run_from_row(rows[0]) if rows else None
