"""The invite-code and referral statements of the economy.

A user's own code is claimed by `INSERT … ON CONFLICT DO NOTHING` and a referral binds once
on the invitee's key, so concurrent writers settle in the database on both engines; all run
inside the caller's `write_transaction()`.
"""

from __future__ import annotations

from datetime import datetime

from db.tables.economy import ProfileInviteCode, ProfileReferralRelation
from resolvers.economy.model import InviteCode, Referral
from resolvers.pagination import Page, keyset_page

Invite = ProfileInviteCode
Relation = ProfileReferralRelation

# Invite codes ----------------------------------------------------------------------------


async def invite_code_of_user(user_id: str) -> InviteCode | None:
    """The code owned by `user_id` (a user's own, or `admin:{code}`'s), if any."""
    row = await Invite.select().where(Invite.user_id == user_id).first()
    return InviteCode.from_row(row) if row is not None else None


async def invite_code_named(code: str) -> InviteCode | None:
    """The invite code `code`, with its metadata decoded, if it exists."""
    row = await Invite.select().where(Invite.invite_code == code).output(load_json=True).first()
    return InviteCode.from_row(row) if row is not None else None


async def invite_code_holder(code: str) -> str | None:
    """The id owning invite code `code`, if it is taken."""
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


async def upsert_admin_invite_code(
    *,
    owner: str,
    code: str,
    metadata_json: str,
    starts_at: datetime | None,
    expires_at: datetime | None,
    now: datetime,
) -> InviteCode:
    """Create the admin code or change its window and tags (a taken code raises a unique
    violation); the code as stored."""
    row = Invite(
        user_id=owner,
        invite_code=code,
        metadata_json=metadata_json,
        created_at=now,
        updated_at=now,
        starts_at=starts_at,
        expires_at=expires_at,
    )
    await (
        Invite.insert(row)
        .on_conflict(
            target=Invite.user_id,
            action="DO UPDATE",
            values=[Invite.metadata_json, Invite.updated_at, Invite.starts_at, Invite.expires_at],
        )
        .run()
    )
    stored = await Invite.select().where(Invite.user_id == owner).output(load_json=True).first()
    assert stored is not None
    return InviteCode.from_row(stored)


async def admin_invite_code_page(
    *, owner_prefix: str, first: int | None, after: str | None
) -> Page[InviteCode]:
    """Codes whose owner starts with `owner_prefix`, most recently changed first."""
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
    """How many users `user_id` invited."""
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
    """Record which sides of the invitee's referral were paid."""
    await Relation.update(
        {
            Relation.invitee_reward_granted: invitee_paid,
            Relation.inviter_reward_granted: inviter_paid,
        }
    ).where(Relation.invitee_user_id == invitee_id)


async def referral_page(*, user_id: str, first: int | None, after: str | None) -> Page[Referral]:
    """The inviter's referrals, newest first, without invitees (the caller adds them)."""
    page = await keyset_page(
        Relation,
        Relation.bound_at,
        Relation.invitee_user_id,
        first=first,
        after=after,
        where=Relation.inviter_user_id == user_id,
    )
    return Page(
        items=[Referral.from_row(row, None) for row in page.items],
        cursors=page.cursors,
        has_next_page=page.has_next_page,
    )
