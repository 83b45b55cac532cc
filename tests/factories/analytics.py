"""Analytics test data: moments on the Beijing calendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

BEIJING = timedelta(hours=8)


def beijing(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    """The UTC moment of a Beijing wall-clock time."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC) - BEIJING
