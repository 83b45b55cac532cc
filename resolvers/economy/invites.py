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
from dataclasses import dataclass, replace
from datetime import datetime

import orjson

from db.errors import is_unique_violation
from db.transactions import write_transaction
from resolvers import clock
from resolvers.auth.public_users import public_users_by_ids
from resolvers.auth.user_tags import clean_tags, merge_user_tags
from resolvers.economy.errors import EconomyError, EconomyErrorCode
from resolvers.economy.model import InviteCode, Referral
from resolvers.economy.store import invites as store
from resolvers.economy.wallet import LedgerSource, apply_wallet_change
from resolvers.errors import BadUserInput
from resolvers.pagination import Page
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


async def ensure_invite_code(user_id: str) -> InviteCode:
    """The user's invite code, created if missing (joins the caller's transaction).

    A random 8-character code; `ON CONFLICT DO NOTHING` covers both a taken code (try
    another) and a concurrent creation for the same user (read theirs).
    """
    existing = await store.invite_code_of_user(user_id)
    if existing is not None:
        return existing
    now = clock.now()
    for _ in range(GENERATION_ATTEMPTS):
        async with write_transaction():
            inserted = await store.insert_own_invite_code(
                user_id=user_id, code=new_invite_code(), now=now
            )
            row = await store.invite_code_of_user(user_id)
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
    invited = await store.invited_count(user_id)
    return InviteSummary(invite_code=row.invite_code, invited_count=invited)


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
    row = await store.invite_code_named(code)
    if row is None or row.user_id == user_id:
        raise _refuse(EconomyErrorCode.INVITE_CODE_NOT_FOUND, "No such invite code.")
    now = clock.now()
    if row.starts_at is not None and now < row.starts_at:
        raise _refuse(
            EconomyErrorCode.INVITE_CODE_NOT_STARTED, "This invite code is not valid yet."
        )
    if row.expires_at is not None and now >= row.expires_at:
        raise _refuse(EconomyErrorCode.INVITE_CODE_EXPIRED, "This invite code has expired.")
    inviter = row.user_id
    if not await store.bind_referral(invitee_id=user_id, inviter_id=inviter, code=code, now=now):
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
    await store.record_referral_rewards(
        invitee_id=user_id, invitee_paid=invitee_paid, inviter_paid=inviter_paid
    )
    tags = list(row.user_tags) if is_admin_owner(inviter) else []
    if tags:
        await merge_user_tags(user_id=user_id, tags=tags)


async def on_user_registered(*, user_id: str, invite_code: str | None) -> None:
    """Registration hook (caller's transaction): the user's own code, then the referral."""
    await ensure_invite_code(user_id)
    if invite_code is not None and invite_code.strip():
        await apply_invite_at_registration(user_id=user_id, invite_code=invite_code)


async def referrals(*, user_id: str, first: int | None, after: str | None) -> Page[Referral]:
    """Users the viewer invited, newest first, with their public profiles (2 statements)."""
    page = await store.referral_page(user_id=user_id, first=first, after=after)
    invitees = await public_users_by_ids([item.invitee_user_id for item in page.items])
    return Page(
        items=[replace(item, invitee=invitees.get(item.invitee_user_id)) for item in page.items],
        cursors=page.cursors,
        has_next_page=page.has_next_page,
    )


@dataclass(frozen=True, slots=True)
class AdminInviteCodeInput:
    invite_code: str
    starts_at: datetime | None = None
    expires_at: datetime | None = None
    user_tags: tuple[str, ...] = ()


async def upsert_admin_invite_code(*, viewer: Principal, code: AdminInviteCodeInput) -> InviteCode:
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
            holder = await store.invite_code_holder(name)
            if holder is not None and holder != owner:
                raise _refuse(EconomyErrorCode.INVITE_CODE_TAKEN, "A user already owns this code.")
            return await store.upsert_admin_invite_code(
                owner=owner,
                code=name,
                metadata_json=metadata,
                starts_at=code.starts_at,
                expires_at=code.expires_at,
                now=now,
            )
    except Exception as error:
        if is_unique_violation(error):
            raise _refuse(
                EconomyErrorCode.INVITE_CODE_TAKEN, "A user already owns this code."
            ) from error
        raise


async def admin_invite_codes(
    *, viewer: Principal, first: int | None, after: str | None
) -> Page[InviteCode]:
    """Admin-preset codes only (never users' own), most recently changed first (admins)."""
    viewer.require_admin()
    return await store.admin_invite_code_page(owner_prefix=ADMIN_PREFIX, first=first, after=after)
