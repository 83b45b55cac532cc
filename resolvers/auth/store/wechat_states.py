"""Statements on WeChat sign-in states (`auth_wechat_state`): single-use, expiring rows
keyed by the state's hash."""

from __future__ import annotations

from datetime import datetime

from db.tables.auth import AuthWechatState


async def sweep_expired(now: datetime) -> None:
    """Delete the states that have expired."""
    await AuthWechatState.delete().where(AuthWechatState.expires_at <= now)


async def insert_state(
    *, state_hash: str, redirect_uri: str, expires_at: datetime, now: datetime
) -> None:
    """A new pending state."""
    await AuthWechatState(
        state_hash=state_hash,
        redirect_uri=redirect_uri,
        expires_at=expires_at,
        created_at=now,
    ).save()


async def state_expiry(state_hash: str) -> datetime | None:
    """When the state expires; None for an unknown state."""
    pending = await AuthWechatState.select(AuthWechatState.expires_at).where(
        AuthWechatState.state_hash == state_hash
    )
    return pending[0]["expires_at"] if pending else None


async def consume_state(*, state_hash: str, now: datetime) -> str | None:
    """Delete the state if it has not expired; its redirect URI, None when there was none
    (of concurrent callers, exactly one gets it)."""
    consumed = (
        await AuthWechatState.delete()
        .where((AuthWechatState.state_hash == state_hash) & (AuthWechatState.expires_at > now))
        .returning(AuthWechatState.redirect_uri)
    )
    return str(consumed[0]["redirect_uri"]) if consumed else None
