"""Statements on refresh sessions (`refresh_session`), the hashes they rotated out
(`auth_refresh_token_lineage`), and the check of an access token against them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from db.tables.auth import AuthRefreshTokenLineage, RefreshSession, UserAccount
from resolvers.auth.rows import AccessCheckRow, RefreshSessionRow

Session = RefreshSession


async def access_check(*, user_id: str, session_id: str | None) -> AccessCheckRow | None:
    """The user's token version, the session's revocation and the user's role; None for
    an unknown user."""
    # Raw: LEFT JOINs to the session and the role (no foreign keys declared).
    rows = await UserAccount.raw(
        "SELECT u.token_version, s.revoked_at, r.role FROM user_account u "
        "LEFT JOIN refresh_session s ON s.session_id = {} AND s.user_id = u.user_id "
        "LEFT JOIN auth_user_role r ON r.user_id = u.user_id "
        "WHERE u.user_id = {}",
        session_id,
        user_id,
    )
    return AccessCheckRow.from_row(rows[0]) if rows else None


async def insert_session(
    *,
    session_id: str,
    user_id: str,
    refresh_token_hash: str,
    provider: str,
    client_info: dict[str, Any],
    expires_at: datetime,
    now: datetime,
) -> None:
    """A new refresh session."""
    await RefreshSession(
        session_id=session_id,
        user_id=user_id,
        refresh_token_hash=refresh_token_hash,
        issued_by_provider=provider,
        client_info_json=client_info,
        expires_at=expires_at,
        created_at=now,
        updated_at=now,
        last_seen_at=now,
    ).save()


async def rotate_session(*, old_hash: str, new_hash: str, now: datetime) -> tuple[str, str] | None:
    """Swap a live session's refresh-token hash; its (session id, user id), None when no
    live session has `old_hash`."""
    rotated = (
        await Session.update(
            {
                Session.refresh_token_hash: new_hash,
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
    if not rotated:
        return None
    return rotated[0]["session_id"], rotated[0]["user_id"]


async def insert_lineage(*, refresh_token_hash: str, session_id: str, rotated_at: datetime) -> None:
    """Remember a rotated-out hash and its session."""
    await AuthRefreshTokenLineage(
        refresh_token_hash=refresh_token_hash, session_id=session_id, rotated_at=rotated_at
    ).save()


async def lineage_session_id(refresh_token_hash: str) -> str | None:
    """The session a rotated-out hash belonged to."""
    lineage = (
        await AuthRefreshTokenLineage.select(AuthRefreshTokenLineage.session_id)
        .where(AuthRefreshTokenLineage.refresh_token_hash == refresh_token_hash)
        .first()
    )
    return lineage["session_id"] if lineage is not None else None


async def revoke_session(*, session_id: str, now: datetime) -> str | None:
    """Revoke the session unless it already is; its user id, None when it already was."""
    revoked = (
        await Session.update({Session.revoked_at: now, Session.updated_at: now})
        .where((Session.session_id == session_id) & Session.revoked_at.is_null())
        .returning(Session.user_id)
    )
    return revoked[0]["user_id"] if revoked else None


async def revoke_user_session(*, session_id: str | None, user_id: str, now: datetime) -> bool:
    """Revoke one live session of the user; False when there is none."""
    ended = (
        await Session.update({Session.revoked_at: now, Session.updated_at: now})
        .where(
            (Session.session_id == session_id)
            & (Session.user_id == user_id)
            & Session.revoked_at.is_null()
        )
        .returning(Session.session_id)
    )
    return bool(ended)


async def revoke_user_sessions(*, user_id: str, now: datetime) -> int:
    """Revoke every live session of the user; how many there were."""
    ended = (
        await Session.update({Session.revoked_at: now, Session.updated_at: now})
        .where((Session.user_id == user_id) & Session.revoked_at.is_null())
        .returning(Session.session_id)
    )
    return len(ended)


async def live_sessions(*, user_id: str, now: datetime, limit: int) -> list[RefreshSessionRow]:
    """The user's sessions neither revoked nor expired, most recently seen first."""
    rows = await (
        RefreshSession.select()
        .where(
            (RefreshSession.user_id == user_id)
            & RefreshSession.revoked_at.is_null()
            & (RefreshSession.expires_at > now)
        )
        .order_by(RefreshSession.last_seen_at, ascending=False)
        .limit(limit)
        .output(load_json=True)
    )
    return [RefreshSessionRow.from_row(row) for row in rows]
