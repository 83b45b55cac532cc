"""The membership's statements: one row per user, created once and then moved by
compare-and-set on its expiry, so concurrent orders never lose an extension; all run inside
the caller's `write_transaction()`.
"""

from __future__ import annotations

from datetime import datetime

from db.tables.economy import ProfileMembership
from resolvers.economy.model import MembershipRecord

Membership = ProfileMembership


async def membership_row(user_id: str) -> MembershipRecord | None:
    """The user's membership row, if any."""
    row = await Membership.select().where(Membership.user_id == user_id).first()
    return MembershipRecord.from_row(row) if row is not None else None


async def create_membership(
    *, user_id: str, status: str, tier: str, now: datetime, expires_at: datetime
) -> bool:
    """Insert the user's membership; False when a concurrent order created it first."""
    created = await (
        Membership.insert(
            Membership(
                user_id=user_id,
                status=status,
                tier=tier,
                started_at=now,
                expires_at=expires_at,
                updated_at=now,
            )
        )
        .on_conflict(target=Membership.user_id, action="DO NOTHING")
        .returning(Membership.user_id)
        .run()
    )
    return bool(created)


async def move_membership(
    *,
    user_id: str,
    read_expires_at: datetime,
    status: str,
    tier: str,
    started_at: datetime,
    expires_at: datetime,
    now: datetime,
) -> bool:
    """Compare-and-set on the expiry read before: False when another order moved it."""
    moved = await (
        Membership.update(
            {
                Membership.status: status,
                Membership.tier: tier,
                Membership.started_at: started_at,
                Membership.expires_at: expires_at,
                Membership.updated_at: now,
            }
        )
        .where((Membership.user_id == user_id) & (Membership.expires_at == read_expires_at))
        .returning(Membership.user_id)
    )
    return bool(moved)
