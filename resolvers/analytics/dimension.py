"""The business-day dimension: ensure one day, seed a range, read a week/month/quarter/year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from db.transactions import write_transaction
from resolvers import clock
from resolvers.analytics import store
from resolvers.analytics.calendar import (
    MAX_SEED_DAYS,
    Period,
    day_key_of_date,
    day_keys,
    valid_period_key,
)
from resolvers.analytics.errors import AnalyticsError, AnalyticsErrorCode
from resolvers.analytics.model import DayCount, DayKeys

# Rows per INSERT: 17 columns x 150 rows stays far below SQLite's bound-parameter limit.
SEED_CHUNK = 150
PERIOD_COLUMNS = {
    Period.WEEK: "iso_week_key",
    Period.MONTH: "month_key",
    Period.QUARTER: "quarter_key",
    Period.YEAR: "year_key",
}


async def ensure_day(day_key: int) -> None:
    """Insert the dimension row of `day_key` unless it exists (joins the caller's transaction)."""
    await store.insert_day(day_keys(day_key), now=clock.now())


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
            chunk = range(chunk_start, min(chunk_start + SEED_CHUNK, end + 1))
            inserted += await store.insert_days([day_keys(key) for key in chunk], now=now)
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


async def days_of_period(*, period: Period, key: int) -> list[DayKeys]:
    """The seeded days of one week, month, quarter or year, in date order (at most 366)."""
    return await store.select_days(column=_check_period(period, key), key=key)


async def event_counts(
    *,
    event_key: str,
    period: Period,
    key: int,
    scope_kind: str | None = None,
    scope_id: str | None = None,
) -> list[DayCount]:
    """Per seeded day of the period: the day and the event's count (0 when none), one query."""
    column = _check_period(period, key)
    return await store.select_day_counts(
        column=column, key=key, event_key=event_key, scope_kind=scope_kind, scope_id=scope_id
    )
