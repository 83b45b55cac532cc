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

from db.transactions import write_transaction
from resolvers import clock
from resolvers.economy.errors import EconomyError, EconomyErrorCode
from resolvers.economy.model import LedgerSource as LedgerSource  # re-exported
from resolvers.economy.store import wallet as store


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
        claimed = await store.claim_ledger_id(
            ledger_id=ledger_id, user_id=user_id, delta=delta, source=source, now=now
        )
        if not claimed:
            return WalletChange(
                ledger_id=ledger_id, applied=False, balance=await balance_of(user_id)
            )
        if delta > 0:
            balance: int | None = await store.credit_balance(user_id=user_id, delta=delta, now=now)
        else:
            balance = await store.debit_balance(user_id=user_id, delta=delta, now=now)
        if balance is None:
            raise EconomyError(
                EconomyErrorCode.INSUFFICIENT_BALANCE, "Not enough points.", field="amount"
            )
        await store.set_balance_after(ledger_id=ledger_id, balance=balance)
    return WalletChange(ledger_id=ledger_id, applied=True, balance=balance)


async def balance_of(user_id: str) -> int:
    """The current balance (0 for a user without a dashboard row)."""
    return await store.balance_of(user_id)


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
