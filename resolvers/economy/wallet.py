"""The wallet: the one function through which every feature moves points.

`apply_wallet_change` appends a ledger row and moves the balance in one transaction:
1. claim the ledger id (`INSERT … ON CONFLICT DO NOTHING`): a conflict means the id was
   applied before, and nothing is written;
2. move the balance with a conditional statement that never lets it go negative (a refusal
   raises, rolling back the claim and any enclosing transaction);
3. record the balance after the move on the ledger row.
Each step is a single conditional statement, so the rules hold under concurrency on
PostgreSQL (the unique ledger key and the dashboard row lock order writers) and on SQLite
(immediate transactions serialise writers). Works inside an enclosing transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from db.tables.economy import ProfileDashboardState, ProfileWalletLedger
from db.transactions import write_transaction
from resolvers import clock
from resolvers.economy.errors import EconomyError, EconomyErrorCode


class LedgerSource(StrEnum):
    """Why a balance moved (`profile_wallet_ledger.source_type`)."""

    NEW_USER_REGISTRATION_REWARD = "new_user_registration_reward"
    TASK_REWARD = "task_reward"
    REDEEM_CODE = "redeem_code"
    INVITE_INVITER_REWARD = "invite_inviter_reward"
    INVITE_INVITEE_REWARD = "invite_invitee_reward"
    RECHARGE = "recharge"
    SPEND = "spend"
    ADMIN_ADJUSTMENT = "admin_adjustment"


@dataclass(frozen=True, slots=True)
class WalletChange:
    """The outcome: `applied` is False when the ledger id had already been applied."""

    ledger_id: str
    applied: bool
    balance: int


async def apply_wallet_change(
    *, user_id: str, ledger_id: str, delta: int, source: LedgerSource
) -> WalletChange:
    """Move `user_id`'s balance by `delta` and append ledger row `ledger_id`, at most once.

    Joins the caller's transaction when there is one. Raises `EconomyError`
    (INSUFFICIENT_BALANCE) when the balance would go negative; nothing is written then.
    """
    if delta == 0:
        raise EconomyError(EconomyErrorCode.INVALID_AMOUNT, "A change moves at least one point.")
    now = clock.now()
    async with write_transaction():
        claimed = await ProfileWalletLedger.raw(
            "INSERT INTO profile_wallet_ledger "
            "(wallet_ledger_id, user_id, amount_delta, balance_after, source_type, created_at) "
            "VALUES ({}, {}, {}, 0, {}, {}) "
            "ON CONFLICT (wallet_ledger_id) DO NOTHING RETURNING wallet_ledger_id",
            ledger_id,
            user_id,
            delta,
            source.value,
            now,
        )
        if not claimed:
            return WalletChange(
                ledger_id=ledger_id, applied=False, balance=await balance_of(user_id)
            )
        balance = await _move_balance(user_id=user_id, delta=delta, now=now)
        await ProfileWalletLedger.update({ProfileWalletLedger.balance_after: balance}).where(
            ProfileWalletLedger.wallet_ledger_id == ledger_id
        )
    return WalletChange(ledger_id=ledger_id, applied=True, balance=balance)


async def _move_balance(*, user_id: str, delta: int, now: datetime) -> int:
    if delta > 0:
        rows = await ProfileDashboardState.raw(
            "INSERT INTO profile_dashboard_state "
            "(user_id, wallet_balance, total_play_time_ms, created_at, updated_at) "
            "VALUES ({}, {}, 0, {}, {}) ON CONFLICT (user_id) DO UPDATE SET "
            "wallet_balance = profile_dashboard_state.wallet_balance + excluded.wallet_balance, "
            "updated_at = excluded.updated_at RETURNING wallet_balance",
            user_id,
            delta,
            now,
            now,
        )
    else:
        rows = await ProfileDashboardState.raw(
            "UPDATE profile_dashboard_state SET wallet_balance = wallet_balance + {}, "
            "updated_at = {} WHERE user_id = {} AND wallet_balance + {} >= 0 "
            "RETURNING wallet_balance",
            delta,
            now,
            user_id,
            delta,
        )
    if not rows:
        raise EconomyError(
            EconomyErrorCode.INSUFFICIENT_BALANCE, "Not enough points.", field="amount"
        )
    return int(rows[0]["wallet_balance"])


async def balance_of(user_id: str) -> int:
    """The current balance (0 for a user without a dashboard row)."""
    row = (
        await ProfileDashboardState.select(ProfileDashboardState.wallet_balance)
        .where(ProfileDashboardState.user_id == user_id)
        .first()
    )
    return int(row["wallet_balance"]) if row else 0


def registration_ledger_id(user_id: str) -> str:
    return f"new-user-registration:{user_id}"


async def grant_registration_reward(*, user_id: str, points: int) -> WalletChange:
    """The one-time registration grant; calling it again never grants twice."""
    return await apply_wallet_change(
        user_id=user_id,
        ledger_id=registration_ledger_id(user_id),
        delta=points,
        source=LedgerSource.NEW_USER_REGISTRATION_REWARD,
    )
