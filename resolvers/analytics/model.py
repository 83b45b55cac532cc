"""The analytics rows handed to the schema: a recorded event and an event's count per day."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from resolvers.analytics.scopes import TrackingScope


@dataclass(frozen=True, slots=True)
class TrackedEvent:
    """One `tracking_event` row."""

    event_id: str
    event_key: str
    scope_kind: TrackingScope
    scope_id: str
    day_key: int
    user_id: str | None
    owner_user_id: str | None
    profile_id: str | None
    module_key: str | None
    metadata: dict[str, Any]
    occurred_at: datetime


@dataclass(frozen=True, slots=True)
class DayCount:
    """One seeded business day and how often an event happened on it (0 when never)."""

    date_key: int
    calendar_date: str
    count: int

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> DayCount:
        return cls(
            date_key=int(row["date_key"]),
            calendar_date=str(row["calendar_date"]),
            count=int(row["event_count"]),
        )
