"""The one source of "now" (UTC, aware), so tests can move time without sleeping."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)
