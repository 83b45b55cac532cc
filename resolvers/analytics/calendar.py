"""Beijing business days and the keys of their week, month, quarter and year.

`day_key = floor((occurred_at_micros + 8h) / 1 day)`: days since 1970-01-01 of the UTC+8
calendar date. Pure functions: no database.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from resolvers.analytics.model import DayKeys

EPOCH = date(1970, 1, 1)
BEIJING_OFFSET = timedelta(hours=8)
MICROS_PER_DAY = 86_400_000_000
MAX_SEED_DAYS = 3660


class Period(StrEnum):
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


def day_key_of(moment: datetime) -> int:
    """The Beijing day of an aware moment, exactly as the catalog's formula."""
    micros = (moment - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
    return (micros + BEIJING_OFFSET // timedelta(microseconds=1)) // MICROS_PER_DAY


def date_of(day_key: int) -> date:
    return EPOCH + timedelta(days=day_key)


def day_key_of_date(day: date) -> int:
    return (day - EPOCH).days


def week_start_day_key(day_key: int) -> int:
    """The day key of the Monday of the ISO week holding `day_key` (weekly task cycles)."""
    return day_key - (date_of(day_key).isoweekday() - 1)


def _month_end(year: int, month: int) -> date:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return following - timedelta(days=1)


def day_keys(day_key: int) -> DayKeys:
    """Week (ISO, `202501`), month (`202402`), quarter (`20241`) and year keys of a day."""
    day = date_of(day_key)
    iso_year, iso_week, weekday = day.isocalendar()
    quarter = (day.month - 1) // 3 + 1
    quarter_first_month = 3 * (quarter - 1) + 1
    week_start = day_key - (weekday - 1)
    return DayKeys(
        date_key=day_key,
        calendar_date=day.isoformat(),
        weekday=weekday,
        iso_week_key=iso_year * 100 + iso_week,
        week_start_date_key=week_start,
        week_end_date_key=week_start + 6,
        month_key=day.year * 100 + day.month,
        month_start_date_key=day_key_of_date(day.replace(day=1)),
        month_end_date_key=day_key_of_date(_month_end(day.year, day.month)),
        quarter_key=day.year * 10 + quarter,
        quarter_start_date_key=day_key_of_date(date(day.year, quarter_first_month, 1)),
        quarter_end_date_key=day_key_of_date(_month_end(day.year, quarter_first_month + 2)),
        year_key=day.year,
        year_start_date_key=day_key_of_date(date(day.year, 1, 1)),
        year_end_date_key=day_key_of_date(date(day.year, 12, 31)),
    )


def valid_period_key(period: Period, key: int) -> bool:
    """Whether `key` is well-formed for `period` (202501, 202402, 20241, 2024)."""
    if period is Period.WEEK:
        return 1 <= key % 100 <= 53 and 1 <= key // 100 <= 9999
    if period is Period.MONTH:
        return 1 <= key % 100 <= 12 and 1 <= key // 100 <= 9999
    if period is Period.QUARTER:
        return 1 <= key % 10 <= 4 and 1 <= key // 10 <= 9999
    return 1 <= key <= 9999
