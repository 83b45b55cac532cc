"""Typed rows the schema reads from the runs domain: a run's events (`runs_run_event`), built
in `from_row` on both engines
(raw statements give JSON as text and times as text on SQLite)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from resolvers.runs.model import RunEventKind, RunStatus


def utc_time(value: Any) -> datetime:
    """A stored time (a datetime, or ISO text from a raw statement) in UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        raise TypeError(f"not a time: {value!r}")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def optional_utc_time(value: Any) -> datetime | None:
    """A nullable time column (`finished_at`, `published_at`, …) in UTC, or None."""
    return None if value is None else utc_time(value)


def json_value(value: Any) -> Any:
    """A JSON column as Python (raw statements return it as text)."""
    return orjson.loads(value) if isinstance(value, str | bytes) else value


@dataclass(frozen=True, slots=True)
class RunEventRow:
    """One applied change of a run (`runs_run_event`), its JSON decoded, its time in UTC."""

    event_id: str
    run_id: str
    event_kind: RunEventKind
    snapshot_version: int
    status: RunStatus
    reason: str | None
    action_json: Any
    payload_json: Any
    occurred_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> RunEventRow:
        return cls(
            event_id=row["event_id"],
            run_id=row["run_id"],
            event_kind=RunEventKind(row["event_kind"]),
            snapshot_version=int(row["snapshot_version"]),
            status=RunStatus(row["status"]),
            reason=row["reason"],
            action_json=json_value(row["action_json"]) or {},
            payload_json=json_value(row["payload_json"]) or {},
            occurred_at=utc_time(row["occurred_at"]),
        )
