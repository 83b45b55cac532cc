"""The statements on `runs_run`: insert, the guards that move a row, reads and the sweeps.

Raw statements (`UPDATE … RETURNING *`) return the row as the driver gives it; `run_from_row`
makes a `Run` of it on both engines. Every writer runs inside its caller's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from db.tables.runs import RunsRun
from resolvers.gallery.play_types import PlayType
from resolvers.runs.model import Run, RunMode, RunReason, RunStatus
from resolvers.runs.rows import optional_utc_time, utc_time

RUNNING = RunStatus.RUNNING.value
PAUSED = RunStatus.PAUSED.value


def run_from_row(row: Mapping[str, Any]) -> Run:
    """A `Run` from a `runs_run` row (a select or a raw `RETURNING *`)."""
    finished_at = row["finished_at"]
    elapsed = row["elapsed_ms"]
    return Run(
        run_id=str(row["run_id"]),
        play_type=PlayType(row["play_type"]),
        work_id=str(row["work_id"]),
        owner_user_id=str(row["owner_user_id"]),
        mode=RunMode(row["mode"]),
        status=RunStatus(row["status"]),
        reason=row["reason"],
        snapshot_version=int(row["snapshot_version"]),
        started_at=utc_time(row["started_at"]),
        deadline_at=utc_time(row["deadline_at"]),
        duration_limit_ms=int(row["duration_limit_ms"]),
        finished_at=optional_utc_time(finished_at),
        elapsed_ms=int(elapsed) if elapsed is not None else None,
        updated_at=utc_time(row["updated_at"]),
        paused_at=optional_utc_time(row.get("paused_at")),
        paused_ms=int(row.get("paused_ms") or 0),
    )


def _first_run(rows: Sequence[Mapping[str, Any]]) -> Run | None:
    return run_from_row(rows[0]) if rows else None


async def run_by_id(run_id: str) -> Run | None:
    """The run, or None."""
    row = await RunsRun.select().where(RunsRun.run_id == run_id).first()
    return run_from_row(row) if row is not None else None


async def count_unfinished(*, user_id: str, now: datetime) -> int:
    """How many of the user's runs are running before their deadline or paused."""
    unfinished: int = await RunsRun.count().where(
        (RunsRun.owner_user_id == user_id)
        & (((RunsRun.status == RUNNING) & (RunsRun.deadline_at > now)) | (RunsRun.status == PAUSED))
    )
    return unfinished


async def insert_run(run: Run) -> None:
    """Insert a new running run (no pause, no events purged)."""
    await RunsRun.insert(
        RunsRun(
            run_id=run.run_id,
            play_type=run.play_type.value,
            work_id=run.work_id,
            owner_user_id=run.owner_user_id,
            mode=run.mode.value,
            status=RUNNING,
            reason=None,
            snapshot_version=0,
            started_at=run.started_at,
            deadline_at=run.deadline_at,
            duration_limit_ms=run.duration_limit_ms,
            finished_at=None,
            elapsed_ms=None,
            updated_at=run.updated_at,
            events_purged_at=None,
            paused_at=None,
            paused_ms=0,
        )
    )


async def guard_action(
    *, run_id: str, user_id: str, expected: int, play_type: PlayType | None, now: datetime
) -> Run | None:
    """Bump the version of the user's running run at `expected` (of `play_type` when given)
    and take its row lock; None when the guard matched nothing."""
    # Raw: every run action's first statement (bench/runs.py); building it costs about
    # 150 µs of CPU more per call (docs/performance.md, "Raw statements on hot paths").
    rows = await RunsRun.raw(
        "UPDATE runs_run SET snapshot_version = snapshot_version + 1, updated_at = {} "
        "WHERE run_id = {} AND owner_user_id = {} AND snapshot_version = {} "
        "AND status = {} AND deadline_at > {}"
        + (" AND play_type = {}" if play_type is not None else "")
        + " RETURNING *",
        now,
        run_id,
        user_id,
        expected,
        RUNNING,
        now,
        *([play_type.value] if play_type is not None else []),
    )
    return _first_run(rows)


async def guard_completion(*, run_id: str, play_type: PlayType, now: datetime) -> Run | None:
    """Bump the version of a running run of `play_type` whatever its version and owner, and
    take its row lock; None when it is not running before its deadline."""
    rows = (
        await RunsRun.update(
            {RunsRun.snapshot_version: RunsRun.snapshot_version + 1, RunsRun.updated_at: now}
        )
        .where(
            (RunsRun.run_id == run_id)
            & (RunsRun.status == RUNNING)
            & (RunsRun.deadline_at > now)
            & (RunsRun.play_type == PlayType(play_type).value)
        )
        .returning(*RunsRun.all_columns())
    )
    return _first_run(rows)


async def end_running(
    *, run_id: str, status: RunStatus, reason: str | None, elapsed_ms: int, now: datetime
) -> Run | None:
    """End a running run with `status`, `reason` and its elapsed time; None when it was no
    longer running."""
    rows = (
        await RunsRun.update(
            {
                RunsRun.status: status.value,
                RunsRun.reason: reason,
                RunsRun.finished_at: now,
                RunsRun.elapsed_ms: elapsed_ms,
                RunsRun.updated_at: now,
            }
        )
        .where((RunsRun.run_id == run_id) & (RunsRun.status == RUNNING))
        .returning(*RunsRun.all_columns())
    )
    return _first_run(rows)


async def set_elapsed(*, run_id: str, elapsed_ms: int) -> None:
    """Store the elapsed time of an ended run."""
    await RunsRun.update({RunsRun.elapsed_ms: elapsed_ms}).where(RunsRun.run_id == run_id)


async def expire(*, run_id: str, now: datetime) -> Run | None:
    """Expire a running run past its deadline (TIME_UP, ending at its deadline); None when
    it was not running past its deadline."""
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
    return _first_run(rows)


async def abandon(*, run_id: str, user_id: str, now: datetime) -> Run | None:
    """ABANDONED (reason ABANDONED) for the user's running or paused run, one more version;
    None when the guard matched nothing."""
    rows = (
        await RunsRun.update(
            {
                RunsRun.status: RunStatus.ABANDONED.value,
                RunsRun.reason: RunReason.ABANDONED.value,
                RunsRun.finished_at: now,
                RunsRun.snapshot_version: RunsRun.snapshot_version + 1,
                RunsRun.updated_at: now,
            }
        )
        .where(
            (RunsRun.run_id == run_id)
            & (RunsRun.owner_user_id == user_id)
            & (
                ((RunsRun.status == RUNNING) & (RunsRun.deadline_at > now))
                | (RunsRun.status == PAUSED)
            )
        )
        .returning(*RunsRun.all_columns())
    )
    return _first_run(rows)
