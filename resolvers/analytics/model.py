"""The analytics rows handed to the schema: a recorded event, an event's count per day and
the keys of a day (one row of the date dimension)."""

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


@dataclass(frozen=True, slots=True)
class DayKeys:
    """One row of `analytics_date_dimension`."""

    date_key: int
    calendar_date: str
    weekday: int
    iso_week_key: int
    week_start_date_key: int
    week_end_date_key: int
    month_key: int
    month_start_date_key: int
    month_end_date_key: int
    quarter_key: int
    quarter_start_date_key: int
    quarter_end_date_key: int
    year_key: int
    year_start_date_key: int
    year_end_date_key: int
