"""Invite codes and referrals.

Every user has one invite code (created at registration, or on first read for older
accounts). Registering with a code binds the new user to its owner once
(`INSERT … ON CONFLICT (invitee_user_id) DO NOTHING`) and rewards both sides once (ledger
ids `invite-invitee:{invitee}` and `invite-inviter:{invitee}`), in the registration's
transaction. Admin-preset codes belong to `admin:{code}`, have a validity window and may
carry `metadata_json.userTags` (also read as `user_tags`), merged into the new user's tags;
their inviter side gets no reward.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from db.errors import is_unique_violation
from db.tables.auth import UserAccount
from db.tables.economy import ProfileInviteCode, ProfileReferralRelation
from db.transactions import write_transaction
from resolvers import clock
from resolvers.auth.user_tags import clean_tags, merge_user_tags, tags_of
from resolvers.economy.errors import EconomyError, EconomyErrorCode
from resolvers.economy.wallet import LedgerSource, apply_wallet_change
from resolvers.errors import BadUserInput
from resolvers.pagination import Page, keyset_page
from resolvers.principal import Principal
from settings import get_settings

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
ADMIN_PREFIX = "admin:"
INVITE_CODE = re.compile(r"^[A-Z0-9]{4,32}$")
GENERATION_ATTEMPTS = 10


def normalize_invite_code(code: str) -> str:
    return code.strip().upper()


def new_invite_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def is_admin_owner(owner: str) -> bool:
    return owner.startswith(ADMIN_PREFIX)


def invite_tags_of(row: dict[str, Any]) -> list[str]:
    """Tags an admin code grants: `metadata_json.userTags`, or `user_tags` (older rows)."""
    metadata = row.get("metadata_json")
    if isinstance(metadata, str):
        metadata = orjson.loads(metadata)
    if not isinstance(metadata, dict):
        return []
    return tags_of(metadata.get("userTags", metadata.get("user_tags")))


async def _own_code(user_id: str) -> dict[str, Any] | None:
    return await ProfileInviteCode.select().where(ProfileInviteCode.user_id == user_id).first()


async def ensure_invite_code(user_id: str) -> dict[str, Any]:
    """The user's invite code, created if missing (joins the caller's transaction).

    A random 8-character code; `ON CONFLICT DO NOTHING` covers both a taken code (try
    another) and a concurrent creation for the same user (read theirs).
    """
    existing = await _own_code(user_id)
    if existing is not None:
        return existing
    now = clock.now()
    for _ in range(GENERATION_ATTEMPTS):
        async with write_transaction():
            inserted = await ProfileInviteCode.raw(
                "INSERT INTO profile_invite_code (user_id, invite_code, metadata_json, "
                "created_at, updated_at, starts_at, expires_at) "
                "VALUES ({}, {}, {}, {}, {}, NULL, NULL) ON CONFLICT DO NOTHING RETURNING user_id",
                user_id,
                new_invite_code(),
                "{}",
                now,
                now,
            )
            row = await _own_code(user_id)
        if row is not None:
            return row
        assert not inserted
    raise RuntimeError("could not find a free invite code")


@dataclass(frozen=True, slots=True)
class InviteSummary:
    invite_code: str
    invited_count: int


async def viewer_invite(*, user_id: str) -> InviteSummary:
    row = await ensure_invite_code(user_id)
    invited = await ProfileReferralRelation.count().where(
        ProfileReferralRelation.inviter_user_id == user_id
    )
    return InviteSummary(invite_code=row["invite_code"], invited_count=invited)


def _refuse(code: EconomyErrorCode, message: str) -> EconomyError:
    return EconomyError(code, message, field="inviteCode")


async def apply_invite_at_registration(*, user_id: str, invite_code: str) -> None:
    """Bind a new user to the owner of `invite_code` and reward both sides, once.

    Runs in the registration transaction: an unknown, not-yet-valid or expired code raises
    `EconomyError` and the whole registration is rolled back.
    """
    code = normalize_invite_code(invite_code)
    if not INVITE_CODE.match(code):
        raise _refuse(EconomyErrorCode.INVITE_CODE_INVALID, "That is not an invite code.")
    row = (
        await ProfileInviteCode.select()
        .where(ProfileInviteCode.invite_code == code)
        .output(load_json=True)
        .first()
    )
    if row is None or row["user_id"] == user_id:
        raise _refuse(EconomyErrorCode.INVITE_CODE_NOT_FOUND, "No such invite code.")
    now = clock.now()
    if row["starts_at"] is not None and now < row["starts_at"]:
        raise _refuse(
            EconomyErrorCode.INVITE_CODE_NOT_STARTED, "This invite code is not valid yet."
        )
    if row["expires_at"] is not None and now >= row["expires_at"]:
        raise _refuse(EconomyErrorCode.INVITE_CODE_EXPIRED, "This invite code has expired.")
    inviter = str(row["user_id"])
    bound = await ProfileReferralRelation.raw(
        "INSERT INTO profile_referral_relation (invitee_user_id, inviter_user_id, invite_code, "
        "inviter_reward_granted, invitee_reward_granted, bound_at) "
        "VALUES ({}, {}, {}, {}, {}, {}) ON CONFLICT (invitee_user_id) DO NOTHING "
        "RETURNING invitee_user_id",
        user_id,
        inviter,
        code,
        False,
        False,
        now,
    )
    if not bound:
        return
    settings = get_settings()
    invitee_paid = False
    inviter_paid = False
    if settings.invite_invitee_reward_points > 0:
        change = await apply_wallet_change(
            user_id=user_id,
            ledger_id=f"invite-invitee:{user_id}",
            delta=settings.invite_invitee_reward_points,
            source=LedgerSource.INVITE_INVITEE_REWARD,
        )
        invitee_paid = change.applied
    if not is_admin_owner(inviter) and settings.invite_inviter_reward_points > 0:
        change = await apply_wallet_change(
            user_id=inviter,
            ledger_id=f"invite-inviter:{user_id}",
            delta=settings.invite_inviter_reward_points,
            source=LedgerSource.INVITE_INVITER_REWARD,
        )
        inviter_paid = change.applied
    await ProfileReferralRelation.update(
        {
            ProfileReferralRelation.invitee_reward_granted: invitee_paid,
            ProfileReferralRelation.inviter_reward_granted: inviter_paid,
        }
    ).where(ProfileReferralRelation.invitee_user_id == user_id)
    tags = invite_tags_of(row) if is_admin_owner(inviter) else []
    if tags:
        await merge_user_tags(user_id=user_id, tags=tags)


async def on_user_registered(*, user_id: str, invite_code: str | None) -> None:
    """Registration hook (caller's transaction): the user's own code, then the referral."""
    await ensure_invite_code(user_id)
    if invite_code is not None and invite_code.strip():
        await apply_invite_at_registration(user_id=user_id, invite_code=invite_code)


async def referrals(
    *, user_id: str, first: int | None, after: str | None
) -> tuple[Page[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Users the viewer invited, newest first, with their public profiles (2 statements)."""
    page = await keyset_page(
        ProfileReferralRelation,
        ProfileReferralRelation.bound_at,
        ProfileReferralRelation.invitee_user_id,
        first=first,
        after=after,
        where=ProfileReferralRelation.inviter_user_id == user_id,
    )
    ids = [row["invitee_user_id"] for row in page.items]
    users = (
        await UserAccount.select(
            UserAccount.user_id,
            UserAccount.public_user_code,
            UserAccount.display_name,
            UserAccount.avatar_url,
        ).where(UserAccount.user_id.is_in(ids))
        if ids
        else []
    )
    return page, {row["user_id"]: row for row in users}


@dataclass(frozen=True, slots=True)
class AdminInviteCodeInput:
    invite_code: str
    starts_at: datetime | None = None
    expires_at: datetime | None = None
    user_tags: tuple[str, ...] = ()


async def upsert_admin_invite_code(
    *, viewer: Principal, code: AdminInviteCodeInput
) -> dict[str, Any]:
    """Create or change an admin-preset code (`admin:{code}`) (admins)."""
    admin_id = viewer.require_admin()
    name = normalize_invite_code(code.invite_code)
    if not INVITE_CODE.match(name):
        raise _refuse(
            EconomyErrorCode.INVITE_CODE_INVALID, "Invite codes have 4 to 32 letters or digits."
        )
    if code.starts_at and code.expires_at and code.expires_at <= code.starts_at:
        raise EconomyError(
            EconomyErrorCode.INVITE_CODE_INVALID,
            "The code must expire after it starts.",
            field="expiresAt",
        )
    try:
        tags = clean_tags(list(code.user_tags))
    except BadUserInput as error:
        raise EconomyError(
            EconomyErrorCode.INVITE_CODE_INVALID, str(error), field="userTags"
        ) from error
    owner = ADMIN_PREFIX + name
    now = clock.now()
    metadata = orjson.dumps({"userTags": tags, "updatedBy": admin_id}).decode()
    try:
        async with write_transaction():
            holder = (
                await ProfileInviteCode.select(ProfileInviteCode.user_id)
                .where(ProfileInviteCode.invite_code == name)
                .first()
            )
            if holder is not None and holder["user_id"] != owner:
                raise _refuse(EconomyErrorCode.INVITE_CODE_TAKEN, "A user already owns this code.")
            await ProfileInviteCode.raw(
                "INSERT INTO profile_invite_code (user_id, invite_code, metadata_json, created_at, "
                "updated_at, starts_at, expires_at) VALUES ({}, {}, {}, {}, {}, {}, {}) "
                "ON CONFLICT (user_id) DO UPDATE SET metadata_json = excluded.metadata_json, "
                "updated_at = excluded.updated_at, starts_at = excluded.starts_at, "
                "expires_at = excluded.expires_at",
                owner,
                name,
                metadata,
                now,
                now,
                code.starts_at,
                code.expires_at,
            )
    except Exception as error:
        if is_unique_violation(error):
            raise _refuse(
                EconomyErrorCode.INVITE_CODE_TAKEN, "A user already owns this code."
            ) from error
        raise
    row = (
        await ProfileInviteCode.select()
        .where(ProfileInviteCode.user_id == owner)
        .output(load_json=True)
        .first()
    )
    assert row is not None
    return row


async def admin_invite_codes(
    *, viewer: Principal, first: int | None, after: str | None
) -> Page[dict[str, Any]]:
    """Admin-preset codes only (never users' own), most recently changed first (admins)."""
    viewer.require_admin()
    return await keyset_page(
        ProfileInviteCode,
        ProfileInviteCode.updated_at,
        ProfileInviteCode.user_id,
        first=first,
        after=after,
        where=ProfileInviteCode.user_id.like(ADMIN_PREFIX + "%"),
        load_json=True,
    )
