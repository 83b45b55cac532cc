"""Every analytics statement: the date dimension, tracking events and their daily stats."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, fields
from datetime import datetime
from typing import Any

from db.tables.analytics import AnalyticsDateDimension, TrackingDailyStat, TrackingEvent
from resolvers.analytics.model import DayCount, DayKeys, TrackedEvent

DAY_COLUMNS = tuple(field.name for field in fields(DayKeys))


def _dimension_row(day: DayKeys, now: datetime) -> AnalyticsDateDimension:
    return AnalyticsDateDimension(**asdict(day), created_at=now, updated_at=now)


def _day_keys_from_row(row: dict[str, Any]) -> DayKeys:
    return DayKeys(**{name: row[name] for name in DAY_COLUMNS})


async def insert_days(days: Sequence[DayKeys], *, now: datetime) -> int:
    """Insert the dimension rows of the given days unless they exist; how many were new."""
    returned = await (
        AnalyticsDateDimension.insert(*(_dimension_row(day, now) for day in days))
        .on_conflict(target=AnalyticsDateDimension.date_key, action="DO NOTHING")
        .returning(AnalyticsDateDimension.date_key)
        .run()
    )
    return len(returned)


async def insert_day(day: DayKeys, *, now: datetime) -> None:
    """Insert the dimension row of one day unless it exists."""
    await (
        AnalyticsDateDimension.insert(_dimension_row(day, now))
        .on_conflict(target=AnalyticsDateDimension.date_key, action="DO NOTHING")
        .run()
    )


async def select_days(*, column: str, key: int) -> list[DayKeys]:
    """The dimension rows whose period column `column` is `key`, in date order (≤ 366)."""
    Dimension = AnalyticsDateDimension
    rows = await (
        Dimension.select(*(getattr(Dimension, name) for name in DAY_COLUMNS))
        .where(getattr(Dimension, column) == key)
        .order_by(Dimension.date_key)
        .limit(366)
    )
    return [_day_keys_from_row(row) for row in rows]


async def select_day_counts(
    *, column: str, key: int, event_key: str, scope_kind: str | None, scope_id: str | None
) -> list[DayCount]:
    """Per dimension day of the period: the summed daily stats of the event (0 when none)."""
    scope_filter = ""
    params: list[Any] = [event_key]
    if scope_kind is not None:
        scope_filter += " AND s.scope_kind = {}"
        params.append(scope_kind)
    if scope_id is not None:
        scope_filter += " AND s.scope_id = {}"
        params.append(scope_id)
    params.append(key)
    # Raw: Piccolo has no LEFT JOIN with conditions in its ON clause (days without stats count 0).
    rows = await TrackingDailyStat.raw(
        "SELECT d.date_key, d.calendar_date, COALESCE(SUM(s.count), 0) AS event_count "
        "FROM analytics_date_dimension d LEFT JOIN tracking_daily_stat s "
        "ON s.day_key = d.date_key AND s.event_key = {}" + scope_filter + " "
        f"WHERE d.{column} = {{}} GROUP BY d.date_key, d.calendar_date ORDER BY d.date_key",
        *params,
    )
    return [DayCount.from_row(row) for row in rows]


async def insert_event(event: TrackedEvent) -> None:
    """Insert one tracking event row."""
    await TrackingEvent.insert(
        TrackingEvent(
            event_id=event.event_id,
            event_key=event.event_key,
            scope_kind=event.scope_kind.value,
            scope_id=event.scope_id,
            day_key=event.day_key,
            user_id=event.user_id,
            owner_user_id=event.owner_user_id,
            profile_id=event.profile_id,
            module_key=event.module_key,
            metadata_json=event.metadata,
            occurred_at=event.occurred_at,
        )
    ).run()


def _stat_id(event_key: str, scope_kind: str, scope_id: str, day_key: int) -> str:
    return f"{event_key}|{scope_kind}|{scope_id}|{day_key}"


async def bump_daily_stat(event: TrackedEvent) -> None:
    """Count `event` in its `(event_key, scope, day)` stat with one upsert."""
    scope_kind = event.scope_kind.value
    now = event.occurred_at
    # Raw: a conditional upsert (count + 1, earlier/later time by CASE) on_conflict cannot express.
    await TrackingDailyStat.raw(
        "INSERT INTO tracking_daily_stat (stat_id, event_key, scope_kind, scope_id, day_key, "
        "count, first_occurred_at, last_occurred_at, updated_at) "
        "VALUES ({}, {}, {}, {}, {}, 1, {}, {}, {}) ON CONFLICT (stat_id) DO UPDATE SET "
        "count = tracking_daily_stat.count + 1, "
        "first_occurred_at = CASE WHEN excluded.first_occurred_at "
        "< tracking_daily_stat.first_occurred_at THEN excluded.first_occurred_at "
        "ELSE tracking_daily_stat.first_occurred_at END, "
        "last_occurred_at = CASE WHEN excluded.last_occurred_at "
        "> tracking_daily_stat.last_occurred_at THEN excluded.last_occurred_at "
        "ELSE tracking_daily_stat.last_occurred_at END, "
        "updated_at = excluded.updated_at",
        _stat_id(event.event_key, scope_kind, event.scope_id, event.day_key),
        event.event_key,
        scope_kind,
        event.scope_id,
        event.day_key,
        now,
        now,
        now,
    )
