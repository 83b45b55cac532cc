"""Helpers of the worlds' keyset-paged reads (cursors)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from resolvers.errors import BadUserInput


def moment_of(value: Any) -> datetime:
    """A cursor's time; a malformed one is BAD_USER_INPUT."""
    try:
        return datetime.fromisoformat(str(value))
    except ValueError as error:
        raise BadUserInput("Invalid cursor.") from error


def time_key(time: datetime, key: str) -> list[Any]:
    """A keyset cursor's sort key: the row's time, then its id."""
    return [time.isoformat(), key]
