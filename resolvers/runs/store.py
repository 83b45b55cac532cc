"""The `runs_run` row and the run's events: conversions and the statements every writer uses.

Raw statements (`UPDATE … RETURNING *`) return the row as the driver gives it; `run_from_row`
makes a `Run` of it on both engines. `record_event` writes one `runs_run_event` and numbers
it in the run's stream, inside the writer's transaction; the caller publishes the returned
entries after commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import orjson

from db.tables.runs import RunsRunEvent
from resolvers.gallery.play_types import PlayType
from resolvers.ids import new_id
from resolvers.runs.model import Run, RunEventKind, RunMode, RunStatus, run_stream
from resolvers.runs.rows import RunEventRow, optional_utc_time, utc_time
from subscriptions import streams
from subscriptions.streams import StreamEntry

RUNNING = RunStatus.RUNNING.value


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


def event_from_row(row: Mapping[str, Any]) -> RunEventRow:
    """A `runs_run_event` row with its JSON decoded and its time in UTC."""
    return RunEventRow.from_row(row)


async def record_event(
    run: Run,
    kind: RunEventKind,
    *,
    now: datetime,
    payload: Mapping[str, Any] | None = None,
    action: Mapping[str, Any] | None = None,
) -> list[StreamEntry]:
    """One event of `run` (as it is after the change), numbered in its stream; inside the
    writer's transaction."""
    event_id = new_id()
    # Raw: written by every run action (bench/runs.py); a Piccolo insert builds a table
    # instance and its query, about 200 µs of CPU more per call.
    await RunsRunEvent.raw(
        "INSERT INTO runs_run_event (event_id, run_id, event_kind, snapshot_version, status, "
        "reason, action_json, payload_json, occurred_at) "
        "VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {})",
        event_id,
        run.run_id,
        kind.value,
        run.snapshot_version,
        run.status.value,
        run.reason,
        orjson.dumps(dict(action or {})).decode(),
        orjson.dumps(dict(payload or {})).decode(),
        now,
    )
    return await streams.append(
        [run_stream(run.run_id)], kind=kind.value, event_id=event_id, occurred_at=now
    )
