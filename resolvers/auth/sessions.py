"""Refresh sessions: creation, rotation with reuse detection, logout, logout-all, listing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import Enum, auto

from db.tables.auth import AuthRefreshTokenLineage, RefreshSession, UserAccount
from db.transactions import write_transaction
from resolvers import clock
from resolvers.auth.errors import AuthError, AuthErrorCode
from resolvers.auth.rows import RefreshSessionRow, UserAccountRow
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

Session = RefreshSession

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
    await RefreshSession(
        session_id=session_id,
        user_id=user.user_id,
        refresh_token_hash=hash_refresh_token(refresh_token),
        issued_by_provider=provider,
        client_info_json=clean_client_info(client_info),
        expires_at=now + timedelta(seconds=get_settings().refresh_token_ttl_seconds),
        created_at=now,
        updated_at=now,
        last_seen_at=now,
    ).save()
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
        rotated = (
            await Session.update(
                {
                    Session.refresh_token_hash: hash_refresh_token(new_token),
                    Session.updated_at: now,
                    Session.last_seen_at: now,
                }
            )
            .where(
                (Session.refresh_token_hash == old_hash)
                & Session.revoked_at.is_null()
                & (Session.expires_at > now)
            )
            .returning(Session.session_id, Session.user_id)
        )
        if rotated:
            session_id, user_id = rotated[0]["session_id"], rotated[0]["user_id"]
            await AuthRefreshTokenLineage(
                refresh_token_hash=old_hash, session_id=session_id, rotated_at=now
            ).save()
            found = await UserAccount.select().where(UserAccount.user_id == user_id).first()
            assert found is not None
            user = UserAccountRow.from_row(found)
            access = issue_access_token(
                user_id=user_id, session_id=session_id, token_version=user.token_version
            )
            sign_in = SignIn(
                user=user, session_id=session_id, access=access, refresh_token=new_token
            )
            outcome = _Outcome.ROTATED
        else:
            lineage = (
                await AuthRefreshTokenLineage.select(AuthRefreshTokenLineage.session_id)
                .where(AuthRefreshTokenLineage.refresh_token_hash == old_hash)
                .first()
            )
            if lineage is not None:
                revoked = (
                    await Session.update({Session.revoked_at: now, Session.updated_at: now})
                    .where(
                        (Session.session_id == lineage["session_id"]) & Session.revoked_at.is_null()
                    )
                    .returning(Session.user_id)
                )
                if revoked:
                    revoked_session = (revoked[0]["user_id"], lineage["session_id"])
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
        ended = (
            await Session.update({Session.revoked_at: now, Session.updated_at: now})
            .where(
                (Session.session_id == target)
                & (Session.user_id == user_id)
                & Session.revoked_at.is_null()
            )
            .returning(Session.session_id)
        )
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
        bumped = (
            await UserAccount.update(
                {
                    UserAccount.token_version: UserAccount.token_version + 1,
                    UserAccount.updated_at: now,
                }
            )
            .where(UserAccount.user_id == user_id)
            .returning(UserAccount.token_version)
        )
        ended = (
            await Session.update({Session.revoked_at: now, Session.updated_at: now})
            .where((Session.user_id == user_id) & Session.revoked_at.is_null())
            .returning(Session.session_id)
        )
    await revocations.publish_user_revoked(
        user_id=user_id, token_version=int(bumped[0]["token_version"])
    )
    return len(ended)


MAX_LISTED_SESSIONS = 100


async def active_sessions(*, user_id: str) -> list[RefreshSessionRow]:
    """The user's live sessions (not revoked, not expired), most recently seen first."""
    rows = await (
        RefreshSession.select()
        .where(
            (RefreshSession.user_id == user_id)
            & RefreshSession.revoked_at.is_null()
            & (RefreshSession.expires_at > clock.now())
        )
        .order_by(RefreshSession.last_seen_at, ascending=False)
        .limit(MAX_LISTED_SESSIONS)
        .output(load_json=True)
    )
    return [RefreshSessionRow.from_row(row) for row in rows]
