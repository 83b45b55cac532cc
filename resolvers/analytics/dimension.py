"""The business-day dimension: ensure one day, seed a range, read a week/month/quarter/year."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from db.tables.analytics import AnalyticsDateDimension, TrackingDailyStat
from db.transactions import write_transaction
from resolvers import clock
from resolvers.analytics.calendar import (
    MAX_SEED_DAYS,
    Period,
    day_key_of_date,
    day_keys,
    valid_period_key,
)
from resolvers.analytics.errors import AnalyticsError, AnalyticsErrorCode

# Rows per INSERT: 17 columns x 150 rows stays far below SQLite's bound-parameter limit.
SEED_CHUNK = 150
PERIOD_COLUMNS = {
    Period.WEEK: "iso_week_key",
    Period.MONTH: "month_key",
    Period.QUARTER: "quarter_key",
    Period.YEAR: "year_key",
}


def _row(day_key: int, now: datetime) -> AnalyticsDateDimension:
    return AnalyticsDateDimension(**asdict(day_keys(day_key)), created_at=now, updated_at=now)


async def ensure_day(day_key: int) -> None:
    """Insert the dimension row of `day_key` unless it exists (joins the caller's transaction)."""
    await (
        AnalyticsDateDimension.insert(_row(day_key, clock.now()))
        .on_conflict(target=AnalyticsDateDimension.date_key, action="DO NOTHING")
        .run()
    )


@dataclass(frozen=True, slots=True)
class SeedResult:
    start_date_key: int
    end_date_key: int
    day_count: int
    inserted_count: int


def _parse_date(raw: str, field: str) -> date:
    try:
        if len(raw) != 10:
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError as error:
        raise AnalyticsError(
            AnalyticsErrorCode.DATE_INVALID, "Dates are written YYYY-MM-DD.", field=field
        ) from error


async def seed_range(*, start_date: str, end_date: str) -> SeedResult:
    """Ensure every day of the closed range exists (at most 3,660 days); idempotent."""
    start = day_key_of_date(_parse_date(start_date, "startDate"))
    end = day_key_of_date(_parse_date(end_date, "endDate"))
    if end < start:
        raise AnalyticsError(
            AnalyticsErrorCode.RANGE_INVALID, "The end date is before the start.", field="endDate"
        )
    count = end - start + 1
    if count > MAX_SEED_DAYS:
        raise AnalyticsError(
            AnalyticsErrorCode.RANGE_TOO_LONG,
            f"Seed at most {MAX_SEED_DAYS} days at once.",
            field="endDate",
        )
    now = clock.now()
    inserted = 0
    async with write_transaction():
        for chunk_start in range(start, end + 1, SEED_CHUNK):
            rows = [
                _row(key, now) for key in range(chunk_start, min(chunk_start + SEED_CHUNK, end + 1))
            ]
            returned = await (
                AnalyticsDateDimension.insert(*rows)
                .on_conflict(target=AnalyticsDateDimension.date_key, action="DO NOTHING")
                .returning(AnalyticsDateDimension.date_key)
                .run()
            )
            inserted += len(returned)
    return SeedResult(
        start_date_key=start, end_date_key=end, day_count=count, inserted_count=inserted
    )


def _check_period(period: Period, key: int) -> str:
    if not valid_period_key(period, key):
        raise AnalyticsError(
            AnalyticsErrorCode.PERIOD_KEY_INVALID,
            "Keys look like 202501 (ISO week), 202402 (month), 20241 (quarter), 2024 (year).",
            field="key",
        )
    return PERIOD_COLUMNS[period]


async def days_of_period(*, period: Period, key: int) -> list[dict[str, Any]]:
    """The seeded days of one week, month, quarter or year, in date order (at most 366)."""
    column = _check_period(period, key)
    Dimension = AnalyticsDateDimension
    return await (
        Dimension.select()
        .where(getattr(Dimension, column) == key)
        .order_by(Dimension.date_key)
        .limit(366)
    )


async def event_counts(
    *,
    event_key: str,
    period: Period,
    key: int,
    scope_kind: str | None = None,
    scope_id: str | None = None,
) -> list[dict[str, Any]]:
    """Per seeded day of the period: the day and the event's count (0 when none), one query."""
    column = _check_period(period, key)
    scope_filter = ""
    params: list[Any] = [event_key]
    if scope_kind is not None:
        scope_filter += " AND s.scope_kind = {}"
        params.append(scope_kind)
    if scope_id is not None:
        scope_filter += " AND s.scope_id = {}"
        params.append(scope_id)
    params.append(key)
    rows: list[dict[str, Any]] = await TrackingDailyStat.raw(
        "SELECT d.date_key, d.calendar_date, COALESCE(SUM(s.count), 0) AS event_count "
        "FROM analytics_date_dimension d LEFT JOIN tracking_daily_stat s "
        "ON s.day_key = d.date_key AND s.event_key = {}" + scope_filter + " "
        f"WHERE d.{column} = {{}} GROUP BY d.date_key, d.calendar_date ORDER BY d.date_key",
        *params,
    )
    return rows
