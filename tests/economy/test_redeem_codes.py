"""Redeem codes: public / unique / private counting, refusals, races, admin surfaces."""

from __future__ import annotations

import asyncio

from db.tables.economy import (
    EconomyRedeemThrottle,
    ProfileRedeemCode,
    ProfileRedeemCodeUsage,
    ProfileWalletLedger,
)
from resolvers.economy.errors import EconomyError, EconomyErrorCode
from resolvers.economy.redeem_codes import RedeemCodeMode, redeem
from resolvers.economy.wallet import balance_of
from tests.factories.auth import TestUser, make_user
from tests.factories.economy import make_admin, make_redeem_code
from tests.fixtures import FakeClock, GraphQLClient

USE = """
mutation($c: String!) { redeemCodeUse(code: $c) { errors { code field } code pointsGranted balance } }
"""


async def _use(user: TestUser, code: str) -> EconomyErrorCode | int:
    """The balance after a successful use, or the refusal's code."""
    try:
        return (await redeem(viewer=user.principal, code=code)).balance
    except EconomyError as error:
        return EconomyErrorCode(error.code)


async def test_a_public_code_counts_per_user(gql: GraphQLClient) -> None:
    # given a public code usable twice per user, 7 points each
    admin = await make_admin()
    await make_redeem_code(admin, code="SPRING", max_uses=2)
    alice, bob = await make_user(), await make_user()
    # when alice uses it three times (any case) and bob once
    first = await gql.execute(USE, {"c": "spring"}, token=alice.access_token)
    assert first["data"]["redeemCodeUse"] == {
        "errors": [],
        "code": "SPRING",
        "pointsGranted": 7,
        "balance": 17,
    }
    assert await _use(alice, "SPRING") == 24
    assert await _use(alice, "SPRING") is EconomyErrorCode.REDEEM_CODE_USER_LIMIT
    assert await _use(bob, "SPRING") == 17
    # then every use is a usage row and a ledger row
    usages = await ProfileRedeemCodeUsage.select(
        ProfileRedeemCodeUsage.usage_id, ProfileRedeemCodeUsage.amount_granted
    ).order_by(ProfileRedeemCodeUsage.usage_id)
    assert usages == sorted(
        [
            {"usage_id": f"SPRING:{alice.user_id}:1", "amount_granted": 7},
            {"usage_id": f"SPRING:{alice.user_id}:2", "amount_granted": 7},
            {"usage_id": f"SPRING:{bob.user_id}:1", "amount_granted": 7},
        ],
        key=lambda row: str(row["usage_id"]),
    )
    assert (
        await ProfileWalletLedger.count().where(ProfileWalletLedger.source_type == "redeem_code")
        == 3
    )
    code = await ProfileRedeemCode.select().where(ProfileRedeemCode.code == "SPRING").first()
    assert code is not None and code["global_used_count"] == 3


async def test_a_unique_code_counts_across_users() -> None:
    admin = await make_admin()
    await make_redeem_code(admin, code="ONLY-TWO", mode=RedeemCodeMode.UNIQUE, max_uses=2)
    users = [await make_user() for _ in range(3)]
    outcomes = [await _use(user, "ONLY-TWO") for user in users]
    assert outcomes == [17, 17, EconomyErrorCode.REDEEM_CODE_EXHAUSTED]
    assert sorted(row["usage_id"] for row in await ProfileRedeemCodeUsage.select()) == [
        "ONLY-TWO:#1",
        "ONLY-TWO:#2",
    ]


async def test_a_private_code_serves_only_its_users() -> None:
    admin = await make_admin()
    invited, stranger = await make_user(), await make_user()
    await make_redeem_code(
        admin,
        code="VIP-1",
        mode=RedeemCodeMode.PRIVATE,
        max_uses=5,
        allowed_user_ids=(invited.user_id,),
    )
    assert await _use(stranger, "VIP-1") is EconomyErrorCode.REDEEM_CODE_NOT_ALLOWED
    assert await _use(invited, "VIP-1") == 17
    assert await ProfileRedeemCodeUsage.count() == 1


async def test_disabled_and_unknown_codes_are_refused_and_write_nothing() -> None:
    admin = await make_admin()
    await make_redeem_code(admin, code="PAUSED", enabled=False)
    user = await make_user()
    assert await _use(user, "PAUSED") is EconomyErrorCode.REDEEM_CODE_DISABLED
    assert await _use(user, "NOPE") is EconomyErrorCode.REDEEM_CODE_NOT_FOUND
    assert await _use(user, "!") is EconomyErrorCode.REDEEM_CODE_INVALID
    assert await ProfileRedeemCodeUsage.count() == 0
    assert await balance_of(user.user_id) == 10


async def test_guessing_codes_locks_redeeming_for_a_while(clock: FakeClock) -> None:
    admin = await make_admin()
    await make_redeem_code(admin, code="REAL")
    user = await make_user()
    for number in range(10):
        assert await _use(user, f"GUESS{number}") is EconomyErrorCode.REDEEM_CODE_NOT_FOUND
    # the 11th attempt is refused even with a real code
    assert await _use(user, "REAL") is EconomyErrorCode.REDEEM_THROTTLED
    clock.advance(minutes=16)
    assert await _use(user, "REAL") == 17
    assert await EconomyRedeemThrottle.count() == 1


async def test_fifty_concurrent_uses_of_a_unique_code_with_one_use_left_succeed_once() -> None:
    # given a unique code with 3 uses, 2 of them taken
    admin = await make_admin()
    await make_redeem_code(admin, code="LAST-ONE", mode=RedeemCodeMode.UNIQUE, max_uses=3)
    early = [await make_user(), await make_user()]
    for user in early:
        assert await _use(user, "LAST-ONE") == 17
    # when 50 redemptions race (10 users, 5 each)
    racers = [await make_user() for _ in range(10)]
    outcomes = await asyncio.gather(*[_use(user, "LAST-ONE") for user in racers * 5])
    # then exactly one succeeded and the others were told it is used up
    assert sum(1 for outcome in outcomes if outcome == 17) == 1
    assert {o for o in outcomes if o != 17} == {EconomyErrorCode.REDEEM_CODE_EXHAUSTED}
    assert await ProfileRedeemCodeUsage.count() == 3
    code = await ProfileRedeemCode.select().where(ProfileRedeemCode.code == "LAST-ONE").first()
    assert code is not None and code["global_used_count"] == 3
    assert (
        await ProfileWalletLedger.count().where(ProfileWalletLedger.source_type == "redeem_code")
        == 3
    )


async def test_fifty_concurrent_uses_of_a_public_code_by_one_user_stop_at_the_limit() -> None:
    # given a public code usable 3 times per user
    admin = await make_admin()
    await make_redeem_code(admin, code="PER-USER", max_uses=3)
    user = await make_user()
    # when the same user fires 50 redemptions at once
    outcomes = await asyncio.gather(*[_use(user, "PER-USER") for _ in range(50)])
    # then exactly 3 succeeded, and the balance and ledger agree
    assert sum(1 for outcome in outcomes if isinstance(outcome, int)) == 3
    assert {o for o in outcomes if not isinstance(o, int)} == {
        EconomyErrorCode.REDEEM_CODE_USER_LIMIT
    }
    assert await balance_of(user.user_id) == 10 + 3 * 7
    assert sorted(row["usage_id"] for row in await ProfileRedeemCodeUsage.select()) == [
        f"PER-USER:{user.user_id}:{n}" for n in (1, 2, 3)
    ]


UPSERT = """
mutation($i: RedeemCodeUpsertInput!) { redeemCodeUpsert(input: $i) {
    errors { code field } redeemCode { code mode rewardPoints maxUses globalUsedCount enabled
        allowedUserIds }
} }
"""
LIST = "query { redeemCodes(first: 10) { nodes { code mode globalUsedCount } } }"


async def test_admins_upsert_and_list_codes(gql: GraphQLClient) -> None:
    admin = await make_admin()
    created = await gql.execute(
        UPSERT,
        {"i": {"code": "welcome", "mode": "UNIQUE", "rewardPoints": 5, "maxUses": 2}},
        token=admin.access_token,
    )
    assert created["data"]["redeemCodeUpsert"] == {
        "errors": [],
        "redeemCode": {
            "code": "WELCOME",
            "mode": "UNIQUE",
            "rewardPoints": 5,
            "maxUses": 2,
            "globalUsedCount": 0,
            "enabled": True,
            "allowedUserIds": [],
        },
    }
    user = await make_user()
    await _use(user, "WELCOME")
    changed = await gql.execute(
        UPSERT,
        {"i": {"code": "WELCOME", "mode": "UNIQUE", "rewardPoints": 5, "maxUses": 9}},
        token=admin.access_token,
    )
    assert changed["data"]["redeemCodeUpsert"]["redeemCode"]["globalUsedCount"] == 1
    bad = await gql.execute(
        UPSERT,
        {"i": {"code": "SECRET", "mode": "PRIVATE", "rewardPoints": 5, "maxUses": 1}},
        token=admin.access_token,
    )
    assert bad["data"]["redeemCodeUpsert"]["errors"] == [
        {"code": "REDEEM_CODE_INVALID", "field": "allowedUserIds"}
    ]
    listed = await gql.execute(LIST, token=admin.access_token)
    assert listed["data"]["redeemCodes"]["nodes"] == [
        {"code": "WELCOME", "mode": "UNIQUE", "globalUsedCount": 1}
    ]


async def test_code_admin_surfaces_refuse_anonymous_callers_and_users(
    gql: GraphQLClient,
) -> None:
    user = await make_user()
    for operation, variables in [
        (UPSERT, {"i": {"code": "HACK", "mode": "PUBLIC", "rewardPoints": 999, "maxUses": 9}}),
        (LIST, {}),
    ]:
        anonymous = await gql.execute(operation, variables)
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        plain = await gql.execute(operation, variables, token=user.access_token)
        assert plain["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await ProfileRedeemCode.count() == 0


async def test_redeeming_refuses_anonymous_callers(gql: GraphQLClient) -> None:
    admin = await make_admin()
    await make_redeem_code(admin, code="OPEN")
    result = await gql.execute(USE, {"c": "OPEN"})
    assert result["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await ProfileRedeemCodeUsage.count() == 0
