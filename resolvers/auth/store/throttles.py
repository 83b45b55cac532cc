"""Statements on the password lockout (`auth_login_throttle`)."""

from __future__ import annotations

from datetime import datetime

from db.tables.auth import AuthLoginThrottle


async def locked_until(throttle_key: str) -> datetime | None:
    """Until when the key is locked (None: no row, or not locked)."""
    throttle = (
        await AuthLoginThrottle.select()
        .where(AuthLoginThrottle.throttle_key == throttle_key)
        .first()
    )
    return throttle["locked_until"] if throttle else None


async def clear_throttle(throttle_key: str) -> None:
    """Forget the key's failures."""
    await AuthLoginThrottle.delete().where(AuthLoginThrottle.throttle_key == throttle_key)


async def count_failure(*, throttle_key: str, now: datetime) -> None:
    """Count one failure (a lock that has run out starts a fresh count)."""
    # Raw: the `DO UPDATE` sets the count by a CASE on the existing row.
    await AuthLoginThrottle.raw(
        "INSERT INTO auth_login_throttle (throttle_key, failures, locked_until, updated_at) "
        "VALUES ({}, 1, NULL, {}) ON CONFLICT (throttle_key) DO UPDATE SET "
        "failures = CASE WHEN auth_login_throttle.locked_until IS NOT NULL "
        "THEN 1 ELSE auth_login_throttle.failures + 1 END, "
        "locked_until = NULL, updated_at = excluded.updated_at",
        throttle_key,
        now,
    )


async def lock_at_limit(*, throttle_key: str, max_failures: int, until: datetime) -> None:
    """Lock the key until `until` if its count reached `max_failures`."""
    await AuthLoginThrottle.update({AuthLoginThrottle.locked_until: until}).where(
        (AuthLoginThrottle.throttle_key == throttle_key)
        & (AuthLoginThrottle.failures >= max_failures)
    )
