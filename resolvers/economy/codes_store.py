"""The invite, referral and redeem-code statements of the economy.

Claims are `INSERT … ON CONFLICT DO NOTHING` on a key and counters are conditional updates,
so concurrent writers settle in the database on both engines; all run inside the caller's
`write_transaction()`.
"""

from __future__ import annotations

from datetime import datetime

from db.tables.economy import (
    EconomyRedeemThrottle,
    ProfileInviteCode,
    ProfileRedeemCode,
    ProfileRedeemCodeUsage,
    ProfileReferralRelation,
)
from resolvers.auth.public_users import public_users_by_ids
from resolvers.economy.model import InviteCode, RedeemCode, Referral
from resolvers.pagination import Page, keyset_page

Invite = ProfileInviteCode
Relation = ProfileReferralRelation
Code = ProfileRedeemCode
Usage = ProfileRedeemCodeUsage
Throttle = EconomyRedeemThrottle

# Invite codes ----------------------------------------------------------------------------


async def invite_code_of_user(user_id: str) -> InviteCode | None:
    row = await Invite.select().where(Invite.user_id == user_id).first()
    return InviteCode.from_row(row) if row is not None else None


async def invite_code_named(code: str) -> InviteCode | None:
    row = await Invite.select().where(Invite.invite_code == code).output(load_json=True).first()
    return InviteCode.from_row(row) if row is not None else None


async def invite_code_holder(code: str) -> str | None:
    row = await Invite.select(Invite.user_id).where(Invite.invite_code == code).first()
    return str(row["user_id"]) if row is not None else None


async def insert_own_invite_code(*, user_id: str, code: str, now: datetime) -> bool:
    """Claim `code` for the user; False when the code or the user already has a row."""
    inserted = await (
        Invite.insert(
            Invite(
                user_id=user_id,
                invite_code=code,
                metadata_json="{}",
                created_at=now,
                updated_at=now,
                starts_at=None,
                expires_at=None,
            )
        )
        .on_conflict(action="DO NOTHING")
        .returning(Invite.user_id)
        .run()
    )
    return bool(inserted)


async def upsert_admin_invite_code(row: ProfileInviteCode) -> InviteCode:
    """Create the admin code or change its window and tags (a taken code raises a unique
    violation); the code as stored."""
    await (
        Invite.insert(row)
        .on_conflict(
            target=Invite.user_id,
            action="DO UPDATE",
            values=[Invite.metadata_json, Invite.updated_at, Invite.starts_at, Invite.expires_at],
        )
        .run()
    )
    stored = (
        await Invite.select().where(Invite.user_id == row.user_id).output(load_json=True).first()
    )
    assert stored is not None
    return InviteCode.from_row(stored)


async def admin_invite_code_page(
    *, owner_prefix: str, first: int | None, after: str | None
) -> Page[InviteCode]:
    page = await keyset_page(
        Invite,
        Invite.updated_at,
        Invite.user_id,
        first=first,
        after=after,
        where=Invite.user_id.like(owner_prefix + "%"),
        load_json=True,
    )
    return Page(
        items=[InviteCode.from_row(row) for row in page.items],
        cursors=page.cursors,
        has_next_page=page.has_next_page,
    )


# Referrals -------------------------------------------------------------------------------


async def invited_count(user_id: str) -> int:
    return int(await Relation.count().where(Relation.inviter_user_id == user_id))


async def bind_referral(*, invitee_id: str, inviter_id: str, code: str, now: datetime) -> bool:
    """Bind the invitee to the inviter once; False when the invitee is bound already."""
    bound = await (
        Relation.insert(
            Relation(
                invitee_user_id=invitee_id,
                inviter_user_id=inviter_id,
                invite_code=code,
                inviter_reward_granted=False,
                invitee_reward_granted=False,
                bound_at=now,
            )
        )
        .on_conflict(target=Relation.invitee_user_id, action="DO NOTHING")
        .returning(Relation.invitee_user_id)
        .run()
    )
    return bool(bound)


async def record_referral_rewards(
    *, invitee_id: str, invitee_paid: bool, inviter_paid: bool
) -> None:
    await Relation.update(
        {
            Relation.invitee_reward_granted: invitee_paid,
            Relation.inviter_reward_granted: inviter_paid,
        }
    ).where(Relation.invitee_user_id == invitee_id)


async def referral_page(*, user_id: str, first: int | None, after: str | None) -> Page[Referral]:
    """The inviter's referrals, newest first, with the invitees' public profiles (2 statements)."""
    page = await keyset_page(
        Relation,
        Relation.bound_at,
        Relation.invitee_user_id,
        first=first,
        after=after,
        where=Relation.inviter_user_id == user_id,
    )
    ids = [row["invitee_user_id"] for row in page.items]
    invitees = await public_users_by_ids(ids)
    return Page(
        items=[Referral.from_row(row, invitees.get(row["invitee_user_id"])) for row in page.items],
        cursors=page.cursors,
        has_next_page=page.has_next_page,
    )


# Redeem codes ----------------------------------------------------------------------------


async def upsert_redeem_code(row: ProfileRedeemCode) -> RedeemCode:
    """Create the code or change it (its use count is kept); the code as stored."""
    await (
        Code.insert(row)
        .on_conflict(
            target=Code.code,
            action="DO UPDATE",
            values=[
                Code.mode,
                Code.reward_points,
                Code.max_uses,
                Code.enabled,
                Code.allowed_user_ids,
                Code.updated_at,
            ],
        )
        .run()
    )
    stored = await redeem_code(row.code)
    assert stored is not None
    return stored


async def redeem_code(code: str) -> RedeemCode | None:
    row = await Code.select().where(Code.code == code).first()
    return RedeemCode.from_row(row) if row is not None else None


async def redeem_code_page(*, first: int | None, after: str | None) -> Page[RedeemCode]:
    page = await keyset_page(Code, Code.updated_at, Code.code, first=first, after=after)
    return Page(
        items=[RedeemCode.from_row(row) for row in page.items],
        cursors=page.cursors,
        has_next_page=page.has_next_page,
    )


async def insert_usage(
    *, usage_id: str, code: str, user_id: str, points: int, now: datetime
) -> bool:
    """Claim usage id `usage_id`; False when it exists (a concurrent use took it)."""
    claimed = await (
        Usage.insert(
            Usage(
                usage_id=usage_id, code=code, user_id=user_id, amount_granted=points, created_at=now
            )
        )
        .on_conflict(target=Usage.usage_id, action="DO NOTHING")
        .returning(Usage.usage_id)
        .run()
    )
    return bool(claimed)


async def take_global_use(code: str) -> int | None:
    """Count one use of an enabled code below its cap: the use's number, or None."""
    taken = await (
        Code.update({Code.global_used_count: Code.global_used_count + 1})
        .where(
            (Code.code == code)
            & (Code.enabled == True)  # noqa: E712
            & (Code.global_used_count < Code.max_uses)
        )
        .returning(Code.global_used_count)
    )
    return int(taken[0]["global_used_count"]) if taken else None


async def count_public_use(code: str) -> None:
    await Code.update({Code.global_used_count: Code.global_used_count + 1}).where(Code.code == code)


async def user_use_count(*, code: str, user_id: str) -> int:
    return int(await Usage.count().where((Usage.code == code) & (Usage.user_id == user_id)))


# Redeem throttle -------------------------------------------------------------------------


async def locked_until(user_id: str) -> datetime | None:
    row = await Throttle.select(Throttle.locked_until).where(Throttle.user_id == user_id).first()
    return row["locked_until"] if row else None


async def count_failure(*, user_id: str, now: datetime, window_start: datetime) -> None:
    """One more failure; a lapsed lock or a count older than the window starts afresh."""
    # Raw: a conditional upsert (failures reset by CASE) Piccolo's on_conflict cannot express.
    await Throttle.raw(
        "INSERT INTO economy_redeem_throttle (user_id, failures, locked_until, updated_at) "
        "VALUES ({}, 1, NULL, {}) ON CONFLICT (user_id) DO UPDATE SET "
        "failures = CASE WHEN economy_redeem_throttle.locked_until IS NOT NULL "
        "OR economy_redeem_throttle.updated_at < {} THEN 1 "
        "ELSE economy_redeem_throttle.failures + 1 END, "
        "locked_until = NULL, updated_at = excluded.updated_at",
        user_id,
        now,
        window_start,
    )


async def lock_at_limit(*, user_id: str, max_failures: int, until: datetime) -> None:
    """Lock redeeming until `until` once the failures reach the limit."""
    await Throttle.update({Throttle.locked_until: until}).where(
        (Throttle.user_id == user_id) & (Throttle.failures >= max_failures)
    )
