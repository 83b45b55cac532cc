"""Membership: status, tier and expiry per user, extended by paid membership orders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from db.tables.economy import ProfileMembership
from resolvers import clock
from resolvers.economy.products import TIER_RANK, MembershipTier

# Compare-and-set rounds before giving up (each lost round means another order won).
MAX_ROUNDS = 20


class MembershipStatus(StrEnum):
    NONE = "none"
    ACTIVE = "active"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class MembershipView:
    status: MembershipStatus
    tier: MembershipTier | None
    started_at: datetime | None
    expires_at: datetime | None


async def membership_of(user_id: str) -> MembershipView:
    """The membership as of now: expired once `expires_at` has passed."""
    row = await ProfileMembership.select().where(ProfileMembership.user_id == user_id).first()
    if row is None:
        return MembershipView(MembershipStatus.NONE, None, None, None)
    active = row["expires_at"] > clock.now()
    return MembershipView(
        status=MembershipStatus.ACTIVE if active else MembershipStatus.EXPIRED,
        tier=MembershipTier(row["tier"]),
        started_at=row["started_at"],
        expires_at=row["expires_at"],
    )


def _tier_after(current: dict[str, Any], bought: MembershipTier, now: datetime) -> str:
    if current["expires_at"] <= now:
        return bought.value
    held = MembershipTier(current["tier"])
    return (held if TIER_RANK[held] >= TIER_RANK[bought] else bought).value


async def extend_membership(*, user_id: str, tier: MembershipTier, days: int) -> datetime:
    """Add `days` from the later of now and the current expiry (caller's transaction).

    A compare-and-set on the expiry (`UPDATE … WHERE expires_at = <read value>`) so two
    orders confirmed at once both count, on either engine.
    """
    now = clock.now()
    length = timedelta(days=days)
    for _ in range(MAX_ROUNDS):
        current = (
            await ProfileMembership.select().where(ProfileMembership.user_id == user_id).first()
        )
        if current is None:
            expires_at = now + length
            created = await ProfileMembership.raw(
                "INSERT INTO profile_membership (user_id, status, tier, started_at, expires_at, "
                "updated_at) VALUES ({}, {}, {}, {}, {}, {}) ON CONFLICT (user_id) DO NOTHING "
                "RETURNING user_id",
                user_id,
                MembershipStatus.ACTIVE.value,
                tier.value,
                now,
                expires_at,
                now,
            )
            if created:
                return expires_at
            continue
        lapsed = current["expires_at"] <= now
        expires_at = (now if lapsed else current["expires_at"]) + length
        moved = await ProfileMembership.raw(
            "UPDATE profile_membership SET status = {}, tier = {}, started_at = {}, "
            "expires_at = {}, updated_at = {} WHERE user_id = {} AND expires_at = {} "
            "RETURNING user_id",
            MembershipStatus.ACTIVE.value,
            _tier_after(current, tier, now),
            now if lapsed else current["started_at"],
            expires_at,
            now,
            user_id,
            current["expires_at"],
        )
        if moved:
            return expires_at
    raise RuntimeError("membership kept changing; giving up")
