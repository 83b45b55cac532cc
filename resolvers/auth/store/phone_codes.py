"""Statements on phone sign-in codes (`auth_phone_code`): one row per phone, holding the
code's HMAC, its attempts left and its resend clock."""

from __future__ import annotations

from datetime import datetime

from db.tables.auth import AuthPhoneCode
from resolvers.auth.rows import PhoneCodeRow


async def issue_code(
    *,
    phone_e164: str,
    code_hash: str,
    attempts: int,
    expires_at: datetime,
    now: datetime,
    resend_cutoff: datetime,
) -> bool:
    """Store a fresh code unless the last one was sent after `resend_cutoff`; False then."""
    issued = (
        await AuthPhoneCode.insert(
            AuthPhoneCode(
                phone_e164=phone_e164,
                code_hash=code_hash,
                attempts_left=attempts,
                expires_at=expires_at,
                last_sent_at=now,
                consumed_at=None,
            )
        )
        .on_conflict(
            target=AuthPhoneCode.phone_e164,
            action="DO UPDATE",
            # Every column but the key: `consumed_at` takes the new row's NULL.
            values=[
                AuthPhoneCode.code_hash,
                AuthPhoneCode.attempts_left,
                AuthPhoneCode.expires_at,
                AuthPhoneCode.last_sent_at,
                AuthPhoneCode.consumed_at,
            ],
            where=AuthPhoneCode.last_sent_at <= resend_cutoff,
        )
        .returning(AuthPhoneCode.phone_e164)
    )
    return bool(issued)


async def forget_code(*, phone_e164: str, code_hash: str) -> None:
    """Delete the phone's code if it is still this one."""
    await AuthPhoneCode.delete().where(
        (AuthPhoneCode.phone_e164 == phone_e164) & (AuthPhoneCode.code_hash == code_hash)
    )


async def use_attempt(*, phone_e164: str, now: datetime) -> str | None:
    """Take one attempt of a live code (unconsumed, unexpired, attempts left); its HMAC,
    None when there is no such code."""
    rows = (
        await AuthPhoneCode.update({AuthPhoneCode.attempts_left: AuthPhoneCode.attempts_left - 1})
        .where(
            (AuthPhoneCode.phone_e164 == phone_e164)
            & AuthPhoneCode.consumed_at.is_null()
            & (AuthPhoneCode.attempts_left > 0)
            & (AuthPhoneCode.expires_at > now)
        )
        .returning(AuthPhoneCode.code_hash)
    )
    return str(rows[0]["code_hash"]) if rows else None


async def consume_code(*, phone_e164: str, now: datetime) -> bool:
    """Mark the phone's code consumed unless it already is; False when it was."""
    consumed = (
        await AuthPhoneCode.update({AuthPhoneCode.consumed_at: now})
        .where((AuthPhoneCode.phone_e164 == phone_e164) & AuthPhoneCode.consumed_at.is_null())
        .returning(AuthPhoneCode.phone_e164)
    )
    return bool(consumed)


async def code_of(phone_e164: str) -> PhoneCodeRow | None:
    """The phone's code row, HMAC left out."""
    row = await AuthPhoneCode.select().where(AuthPhoneCode.phone_e164 == phone_e164).first()
    return PhoneCodeRow.from_row(row) if row is not None else None
