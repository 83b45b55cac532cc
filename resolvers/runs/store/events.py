"""The statements on a run's events (`runs_run_event`) and their stream.

`record_event` writes one event and numbers it in the run's stream, inside the writer's
transaction; the caller publishes the returned entries after commit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import orjson

from db.tables.runs import RunsRunEvent
from resolvers.ids import new_id
from resolvers.runs.model import Run, RunEventKind, run_stream
from resolvers.runs.rows import RunEventRow
from subscriptions import streams
from subscriptions.streams import StreamEntry


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


async def events_by_ids(event_ids: Sequence[str]) -> dict[str, RunEventRow]:
    """Run events by id (one statement), JSON decoded."""
    rows = await RunsRunEvent.select().where(RunsRunEvent.event_id.is_in(list(event_ids)))
    return {row["event_id"]: event_from_row(row) for row in rows}


async def delete_events(run_ids: Sequence[str]) -> None:
    """Delete the events of the runs."""
    await RunsRunEvent.delete().where(RunsRunEvent.run_id.is_in(list(run_ids)))
