"""Creating and reading user accounts."""

from __future__ import annotations

import secrets
import unicodedata

from db.errors import is_unique_violation
from resolvers import clock
from resolvers.auth.errors import AuthError, AuthErrorCode
from resolvers.auth.rows import UserAccountRow
from resolvers.auth.store import users
from resolvers.economy.errors import EconomyError
from resolvers.economy.invites import on_user_registered
from resolvers.economy.wallet import grant_registration_reward
from resolvers.ids import new_id
from settings import get_settings

USERNAME_MIN_LENGTH = 3
USERNAME_MAX_LENGTH = 32
DISPLAY_NAME_MAX_LENGTH = 32
PUBLIC_CODE_DIGITS = 9


def canonical_username(username: str) -> str:
    """The stored form: NFKC-normalised and case-folded, so uniqueness ignores case."""
    return unicodedata.normalize("NFKC", username).strip().casefold()


def validate_username(username: str) -> str:
    """3..32 letters, digits or underscores (any script); returns the canonical form."""
    canonical = canonical_username(username)
    if not USERNAME_MIN_LENGTH <= len(canonical) <= USERNAME_MAX_LENGTH or not all(
        character.isalnum() or character == "_" for character in canonical
    ):
        raise AuthError(
            AuthErrorCode.USERNAME_INVALID,
            f"Usernames have {USERNAME_MIN_LENGTH} to {USERNAME_MAX_LENGTH} letters, "
            "digits or underscores.",
            field="username",
        )
    return canonical


def validate_display_name(display_name: str | None, *, fallback: str) -> str:
    name = unicodedata.normalize("NFKC", display_name).strip() if display_name else fallback
    if not 1 <= len(name) <= DISPLAY_NAME_MAX_LENGTH or not name.isprintable():
        raise AuthError(
            AuthErrorCode.DISPLAY_NAME_INVALID,
            f"Display names have 1 to {DISPLAY_NAME_MAX_LENGTH} printable characters.",
            field="displayName",
        )
    return name


def new_public_user_code() -> str:
    """A 9-digit public code ("百梦号"), never starting with 0."""
    return str(
        secrets.randbelow(9 * 10 ** (PUBLIC_CODE_DIGITS - 1)) + 10 ** (PUBLIC_CODE_DIGITS - 1)
    )


async def create_user(
    *,
    username: str,
    display_name: str,
    login_method: str,
    provider: str,
    provider_uid: str,
    password_hash: str = "",
    phone_e164: str | None = None,
    phone_masked: str | None = None,
    invite_code: str | None = None,
    avatar_url: str | None = None,
    provider_union_id: str | None = None,
) -> UserAccountRow:
    """Insert the account, its identity, the registration grant, the user's own invite code
    and, with `invite_code`, the referral and its rewards (caller's transaction).

    Raises AuthError(USERNAME_TAKEN) when the username exists, also when a concurrent
    registration wins the race (the unique index decides), and AuthError(INVITE_CODE_INVALID)
    for an unknown, not yet valid or expired invite code.
    """
    if await users.username_taken(username):
        raise _username_taken()
    user_id = new_id()
    now = clock.now()
    public_code = new_public_user_code()
    while await users.public_code_taken(public_code):
        public_code = new_public_user_code()
    try:
        created = await users.insert_user(
            user_id=user_id,
            public_user_code=public_code,
            username=username,
            display_name=display_name,
            phone_e164=phone_e164,
            phone_masked=phone_masked,
            avatar_url=avatar_url,
            wechat_bound=provider == "wechat",
            login_method=login_method,
            password_hash=password_hash,
            password_login_enabled=bool(password_hash),
            now=now,
        )
    except Exception as error:
        if is_unique_violation(error):
            raise _username_taken() from error
        raise
    await users.insert_identity(
        identity_id=new_id(),
        user_id=user_id,
        provider=provider,
        provider_uid=provider_uid,
        provider_union_id=provider_union_id,
        phone_e164=phone_e164,
        display_name=display_name,
        avatar_url=avatar_url,
    )
    await grant_registration_reward(
        user_id=user_id, points=get_settings().registration_reward_points
    )
    try:
        await on_user_registered(user_id=user_id, invite_code=invite_code)
    except EconomyError as error:
        raise AuthError(
            AuthErrorCode.INVITE_CODE_INVALID, error.message, field="inviteCode"
        ) from error
    if invite_code:
        # Tags granted by an admin invite code were merged into the stored row.
        fresh = await get_user(user_id)
        assert fresh is not None
        return fresh
    return created


def _username_taken() -> AuthError:
    return AuthError(AuthErrorCode.USERNAME_TAKEN, "That username is taken.", field="username")


async def get_user(user_id: str) -> UserAccountRow | None:
    return await users.user_by_id(user_id)
