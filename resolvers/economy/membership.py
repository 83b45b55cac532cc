"""Membership: status, tier and expiry per user, extended by paid membership orders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from resolvers import clock
from resolvers.economy.model import MembershipRecord
from resolvers.economy.products import TIER_RANK, MembershipTier
from resolvers.economy.store import membership as store

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
    record = await store.membership_row(user_id)
    if record is None:
        return MembershipView(MembershipStatus.NONE, None, None, None)
    active = record.expires_at > clock.now()
    return MembershipView(
        status=MembershipStatus.ACTIVE if active else MembershipStatus.EXPIRED,
        tier=record.tier,
        started_at=record.started_at,
        expires_at=record.expires_at,
    )


def _tier_after(current: MembershipRecord, bought: MembershipTier, now: datetime) -> str:
    if current.expires_at <= now:
        return bought.value
    held = current.tier
    return (held if TIER_RANK[held] >= TIER_RANK[bought] else bought).value


async def extend_membership(*, user_id: str, tier: MembershipTier, days: int) -> datetime:
    """Add `days` from the later of now and the current expiry (caller's transaction).

    A compare-and-set on the expiry (`UPDATE … WHERE expires_at = <read value>`) so two
    orders confirmed at once both count, on either engine.
    """
    now = clock.now()
    length = timedelta(days=days)
    for _ in range(MAX_ROUNDS):
        current = await store.membership_row(user_id)
        if current is None:
            expires_at = now + length
            if await store.create_membership(
                user_id=user_id,
                status=MembershipStatus.ACTIVE.value,
                tier=tier.value,
                now=now,
                expires_at=expires_at,
            ):
                return expires_at
            continue
        lapsed = current.expires_at <= now
        expires_at = (now if lapsed else current.expires_at) + length
        if await store.move_membership(
            user_id=user_id,
            read_expires_at=current.expires_at,
            status=MembershipStatus.ACTIVE.value,
            tier=_tier_after(current, tier, now),
            started_at=now if lapsed else current.started_at,
            expires_at=expires_at,
            now=now,
        ):
            return expires_at
    raise RuntimeError("membership kept changing; giving up")
