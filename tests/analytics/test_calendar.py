"""Beijing day keys and their week, month, quarter and year keys (pure functions)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from resolvers.analytics.calendar import (
    date_of,
    day_key_of,
    day_key_of_date,
    day_keys,
    week_start_day_key,
)


def test_the_day_key_turns_at_midnight_beijing_time_not_utc() -> None:
    # given the last microsecond of 2024-12-31 and the first of 2025-01-01, Beijing time
    last = datetime(2024, 12, 31, 15, 59, 59, 999999, tzinfo=UTC)
    first = last + timedelta(microseconds=1)
    # then they fall on two Beijing days, while UTC is still on 31 December for both
    assert day_key_of(last) == day_key_of_date(date(2024, 12, 31)) == 20088
    assert day_key_of(first) == day_key_of_date(date(2025, 1, 1)) == 20089
    assert last.date() == first.date() == date(2024, 12, 31)


def test_the_formula_is_floor_of_micros_plus_eight_hours_over_a_day() -> None:
    moment = datetime(2025, 3, 4, 17, 30, tzinfo=UTC)
    micros = int(moment.timestamp()) * 1_000_000
    assert day_key_of(moment) == (micros + 8 * 3_600_000_000) // 86_400_000_000
    assert date_of(day_key_of(moment)) == date(2025, 3, 5)


def test_keys_on_both_sides_of_the_year_boundary() -> None:
    # 2024-12-31 (Tuesday) is in ISO week 2025-W01; 2025-01-01 starts month, quarter, year
    before = day_keys(day_key_of(datetime(2024, 12, 31, 15, 59, tzinfo=UTC)))
    after = day_keys(day_key_of(datetime(2024, 12, 31, 16, 0, tzinfo=UTC)))
    assert (before.calendar_date, before.weekday) == ("2024-12-31", 2)
    assert (before.iso_week_key, before.month_key, before.quarter_key, before.year_key) == (
        202501,
        202412,
        20244,
        2024,
    )
    assert (after.calendar_date, after.weekday) == ("2025-01-01", 3)
    assert (after.iso_week_key, after.month_key, after.quarter_key, after.year_key) == (
        202501,
        202501,
        20251,
        2025,
    )
    # the same ISO week: Monday 2024-12-30 to Sunday 2025-01-05
    monday, sunday = day_key_of_date(date(2024, 12, 30)), day_key_of_date(date(2025, 1, 5))
    for keys in (before, after):
        assert (keys.week_start_date_key, keys.week_end_date_key) == (monday, sunday)
    assert (before.year_start_date_key, before.year_end_date_key) == (
        day_key_of_date(date(2024, 1, 1)),
        day_key_of_date(date(2024, 12, 31)),
    )
    assert (after.quarter_start_date_key, after.quarter_end_date_key) == (
        day_key_of_date(date(2025, 1, 1)),
        day_key_of_date(date(2025, 3, 31)),
    )


def test_keys_around_midnight_at_a_quarter_and_month_boundary() -> None:
    # 2024-03-31 23:59 and 2024-04-01 00:00 in Beijing
    march = day_keys(day_key_of(datetime(2024, 3, 31, 15, 59, tzinfo=UTC)))
    april = day_keys(day_key_of(datetime(2024, 3, 31, 16, 0, tzinfo=UTC)))
    assert (march.month_key, march.quarter_key, march.iso_week_key) == (202403, 20241, 202413)
    assert (april.month_key, april.quarter_key, april.iso_week_key) == (202404, 20242, 202414)
    assert march.month_end_date_key == march.date_key
    assert april.month_start_date_key == april.date_key == april.quarter_start_date_key


def test_a_late_december_sunday_can_belong_to_week_53_of_the_previous_iso_year() -> None:
    keys = day_keys(day_key_of_date(date(2021, 1, 3)))
    assert (keys.iso_week_key, keys.weekday, keys.year_key) == (202053, 7, 2021)
    leap = day_keys(day_key_of_date(date(2024, 2, 10)))
    assert date_of(leap.month_end_date_key) == date(2024, 2, 29)


def test_a_weekly_cycle_is_named_by_its_monday() -> None:
    wednesday = day_key_of_date(date(2025, 1, 1))
    assert date_of(week_start_day_key(wednesday)) == date(2024, 12, 30)
    assert week_start_day_key(day_key_of_date(date(2024, 12, 30))) == wednesday - 2
