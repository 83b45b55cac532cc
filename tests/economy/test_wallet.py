"""The wallet function: ledger row + balance in one transaction, never negative, at most once."""

from __future__ import annotations

import asyncio
import random

import pytest

from db.tables.economy import ProfileDashboardState, ProfileWalletLedger
from resolvers.economy.errors import EconomyError, EconomyErrorCode
from resolvers.economy.wallet import (
    LedgerSource,
    apply_wallet_change,
    balance_of,
    grant_registration_reward,
)
from tests.factories.auth import make_user


async def _ledger(user_id: str) -> list[dict[str, object]]:
    return await ProfileWalletLedger.select().where(ProfileWalletLedger.user_id == user_id)


async def test_registration_grants_ten_points_once_even_when_retried() -> None:
    # given a registered user
    user = await make_user()
    # when the registration grant is retried
    again = await grant_registration_reward(user_id=user.user_id, points=10)
    # then nothing more was granted
    assert again.applied is False
    assert await balance_of(user.user_id) == 10
    rows = await _ledger(user.user_id)
    assert [
        (r["wallet_ledger_id"], r["amount_delta"], r["balance_after"], r["source_type"])
        for r in rows
    ] == [(f"new-user-registration:{user.user_id}", 10, 10, "new_user_registration_reward")]


async def test_a_spend_beyond_the_balance_is_refused_and_writes_nothing() -> None:
    # given a user with 10 points
    user = await make_user()
    # when they try to spend 11
    with pytest.raises(EconomyError) as refused:
        await apply_wallet_change(
            user_id=user.user_id, ledger_id="spend:1", delta=-11, source=LedgerSource.SPEND
        )
    # then it is refused and neither the balance nor the ledger moved
    assert refused.value.code is EconomyErrorCode.INSUFFICIENT_BALANCE
    assert await balance_of(user.user_id) == 10
    assert len(await _ledger(user.user_id)) == 1


async def test_a_spend_without_a_wallet_is_refused() -> None:
    with pytest.raises(EconomyError):
        await apply_wallet_change(
            user_id="nobody", ledger_id="spend:x", delta=-1, source=LedgerSource.SPEND
        )
    assert await ProfileDashboardState.count() == 0
    assert await ProfileWalletLedger.count() == 0


async def test_a_zero_change_is_refused() -> None:
    user = await make_user()
    with pytest.raises(EconomyError) as refused:
        await apply_wallet_change(
            user_id=user.user_id, ledger_id="zero", delta=0, source=LedgerSource.SPEND
        )
    assert refused.value.code is EconomyErrorCode.INVALID_AMOUNT


async def test_the_same_ledger_id_applied_concurrently_moves_the_balance_once() -> None:
    # given a user with 10 points
    user = await make_user()
    # when 20 callers apply the same ledger id at once
    results = await asyncio.gather(
        *[
            apply_wallet_change(
                user_id=user.user_id,
                ledger_id="task:once",
                delta=5,
                source=LedgerSource.TASK_REWARD,
            )
            for _ in range(20)
        ]
    )
    # then exactly one applied it
    assert sum(result.applied for result in results) == 1
    assert await balance_of(user.user_id) == 15
    assert len(await _ledger(user.user_id)) == 2


async def test_concurrent_spends_never_take_the_balance_below_zero() -> None:
    # given 10 points
    user = await make_user()

    async def spend(number: int) -> bool:
        try:
            await apply_wallet_change(
                user_id=user.user_id,
                ledger_id=f"spend:{number}",
                delta=-1,
                source=LedgerSource.SPEND,
            )
        except EconomyError:
            return False
        return True

    # when 25 spends of 1 race
    outcomes = await asyncio.gather(*[spend(n) for n in range(25)])
    # then exactly 10 succeeded and the balance is 0
    assert sum(outcomes) == 10
    assert await balance_of(user.user_id) == 0
    assert len(await _ledger(user.user_id)) == 11


async def test_random_concurrent_operations_keep_the_ledger_and_balance_consistent() -> None:
    # given two users and a seeded random mix of credits, debits and retried ids
    users = [await make_user(), await make_user()]
    generator = random.Random(20261122)
    operations = []
    for number in range(120):
        user = generator.choice(users)
        delta = generator.choice([-7, -3, -1, 2, 5, 9])
        ledger_id = f"op:{generator.randrange(80)}:{user.user_id}"
        operations.append((user.user_id, ledger_id, delta, number))

    async def run(user_id: str, ledger_id: str, delta: int) -> None:
        source = LedgerSource.SPEND if delta < 0 else LedgerSource.ADMIN_ADJUSTMENT
        try:
            await apply_wallet_change(
                user_id=user_id, ledger_id=ledger_id, delta=delta, source=source
            )
        except EconomyError:
            pass

    # when they all run concurrently
    await asyncio.gather(
        *[run(user_id, ledger_id, delta) for user_id, ledger_id, delta, _ in operations]
    )
    # then for each user: balance = sum of ledger deltas, never negative, each id once
    for user in users:
        rows = await _ledger(user.user_id)
        balance = await balance_of(user.user_id)
        assert balance == sum(row["amount_delta"] for row in rows)
        assert balance >= 0
        assert len({row["wallet_ledger_id"] for row in rows}) == len(rows)
        ordered = sorted(rows, key=lambda row: (row["created_at"], row["wallet_ledger_id"]))
        assert all(row["balance_after"] >= 0 for row in ordered)
