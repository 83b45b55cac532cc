"""Refresh sessions: creation, rotation with reuse detection, logout, logout-all, listing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import Enum, auto

from db.transactions import write_transaction
from resolvers import clock
from resolvers.auth.errors import AuthError, AuthErrorCode
from resolvers.auth.rows import RefreshSessionRow, UserAccountRow
from resolvers.auth.store import sessions, users
from resolvers.auth.tokens import (
    IssuedToken,
    hash_refresh_token,
    issue_access_token,
    new_refresh_token,
)
from resolvers.ids import new_id
from resolvers.principal import Principal
from settings import get_settings
from subscriptions import revocations

CLIENT_INFO_MAX_KEYS = 8
CLIENT_INFO_MAX_VALUE = 200


@dataclass(frozen=True, slots=True)
class SignIn:
    """What a successful sign-in, registration or refresh hands back."""

    user: UserAccountRow
    session_id: str
    access: IssuedToken
    refresh_token: str


def clean_client_info(client_info: dict[str, str] | None) -> dict[str, str]:
    """Keep client info small: at most 8 string keys, values cut to 200 characters."""
    cleaned: dict[str, str] = {}
    for key, value in list((client_info or {}).items())[:CLIENT_INFO_MAX_KEYS]:
        cleaned[str(key)[:40]] = str(value)[:CLIENT_INFO_MAX_VALUE]
    return cleaned


async def open_session(
    *, user: UserAccountRow, provider: str, client_info: dict[str, str] | None
) -> SignIn:
    """Create a refresh session for `user` (caller's transaction) and issue its tokens."""
    now = clock.now()
    refresh_token = new_refresh_token()
    session_id = new_id()
    await sessions.insert_session(
        session_id=session_id,
        user_id=user.user_id,
        refresh_token_hash=hash_refresh_token(refresh_token),
        provider=provider,
        client_info=clean_client_info(client_info),
        expires_at=now + timedelta(seconds=get_settings().refresh_token_ttl_seconds),
        now=now,
    )
    access = issue_access_token(
        user_id=user.user_id, session_id=session_id, token_version=user.token_version
    )
    return SignIn(user=user, session_id=session_id, access=access, refresh_token=refresh_token)


class _Outcome(Enum):
    ROTATED = auto()
    REUSED = auto()
    INVALID = auto()


async def refresh(*, refresh_token: str) -> SignIn:
    """Rotate a refresh token: the old one stops working at once.

    Presenting a rotated-out token again means it was copied: that session is revoked
    (theft detection) and REFRESH_TOKEN_REUSED is returned.
    """
    old_hash = hash_refresh_token(refresh_token)
    new_token = new_refresh_token()
    now = clock.now()
    outcome = _Outcome.INVALID
    revoked_session: tuple[str, str] | None = None
    sign_in: SignIn | None = None
    async with write_transaction():
        rotated = await sessions.rotate_session(
            old_hash=old_hash, new_hash=hash_refresh_token(new_token), now=now
        )
        if rotated is not None:
            session_id, user_id = rotated
            await sessions.insert_lineage(
                refresh_token_hash=old_hash, session_id=session_id, rotated_at=now
            )
            user = await users.user_by_id(user_id)
            assert user is not None
            access = issue_access_token(
                user_id=user_id, session_id=session_id, token_version=user.token_version
            )
            sign_in = SignIn(
                user=user, session_id=session_id, access=access, refresh_token=new_token
            )
            outcome = _Outcome.ROTATED
        else:
            reused_session_id = await sessions.lineage_session_id(old_hash)
            if reused_session_id is not None:
                revoked_user_id = await sessions.revoke_session(
                    session_id=reused_session_id, now=now
                )
                if revoked_user_id is not None:
                    revoked_session = (revoked_user_id, reused_session_id)
                outcome = _Outcome.REUSED
    if revoked_session is not None:
        await revocations.publish_session_revoked(
            user_id=revoked_session[0], session_id=revoked_session[1]
        )
    if outcome is _Outcome.REUSED:
        raise AuthError(
            AuthErrorCode.REFRESH_TOKEN_REUSED,
            "This refresh token was already used; its session has been ended. Sign in again.",
            field="refreshToken",
        )
    if sign_in is None:
        raise AuthError(
            AuthErrorCode.REFRESH_TOKEN_INVALID,
            "The refresh token is unknown, expired or revoked.",
            field="refreshToken",
        )
    return sign_in


async def logout(*, viewer: Principal, session_id: str | None = None) -> str:
    """End one of the viewer's sessions (by default the current one); returns its id."""
    user_id = viewer.require_user()
    target = session_id or viewer.session_id
    now = clock.now()
    async with write_transaction():
        ended = await sessions.revoke_user_session(session_id=target, user_id=user_id, now=now)
    if not ended:
        raise AuthError(
            AuthErrorCode.SESSION_NOT_FOUND, "No such active session.", field="sessionId"
        )
    assert target is not None
    await revocations.publish_session_revoked(user_id=user_id, session_id=target)
    return target


async def logout_all(*, viewer: Principal) -> int:
    """End every session of the viewer and invalidate every access token (token_version+1)."""
    user_id = viewer.require_user()
    now = clock.now()
    async with write_transaction():
        token_version = await users.bump_token_version(user_id=user_id, now=now)
        ended = await sessions.revoke_user_sessions(user_id=user_id, now=now)
    await revocations.publish_user_revoked(user_id=user_id, token_version=token_version)
    return ended


MAX_LISTED_SESSIONS = 100


async def active_sessions(*, user_id: str) -> list[RefreshSessionRow]:
    """The user's live sessions (not revoked, not expired), most recently seen first."""
    return await sessions.live_sessions(user_id=user_id, now=clock.now(), limit=MAX_LISTED_SESSIONS)
