"""Products, orders and membership: service-confirmed payments, idempotent by order."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from db.tables.economy import ProfileMembership, ProfileRechargeOrder, ProfileWalletLedger
from resolvers.economy.membership import MembershipStatus, membership_of
from resolvers.economy.orders import confirm_order, create_order
from resolvers.economy.wallet import balance_of
from tests.factories.auth import make_user
from tests.factories.economy import SERVICE, service_token
from tests.fixtures import FakeClock, GraphQLClient

CREATE = """
mutation($p: String!, $c: String!) { rechargeOrderCreate(productId: $p, paymentChannel: $c) {
    errors { code field } order { id productId kind amountCents status pointsDelta paidAt }
} }
"""
CONFIRM = """
mutation($o: ID!) { rechargeOrderConfirm(orderId: $o) {
    errors { code } newlyPaid order { id status pointsDelta membershipExpiresAt }
} }
"""
ORDERS = """
query($f: Int) { viewer { rechargeOrders(first: $f) { nodes { productId status } } } }
"""
MEMBERSHIP = "{ viewer { membership { status tier startedAt expiresAt } } }"


async def _create(gql: GraphQLClient, token: str, product: str) -> dict[str, Any]:
    result = await gql.execute(CREATE, {"p": product, "c": "mock"}, token=token)
    payload: dict[str, Any] = result["data"]["rechargeOrderCreate"]
    return payload


async def test_the_catalogue_is_public(gql: GraphQLClient) -> None:
    result = await gql.execute("{ publicRechargeProducts { id kind amountCents points tier } }")
    products = result["data"]["publicRechargeProducts"]
    assert products[0] == {
        "id": "points_60",
        "kind": "POINTS",
        "amountCents": 600,
        "points": 60,
        "tier": None,
    }
    assert {p["tier"] for p in products if p["kind"] == "MEMBERSHIP"} == {
        "MONTHLY",
        "QUARTERLY",
        "YEARLY",
    }


async def test_a_points_order_credits_once_when_the_payment_is_confirmed(
    gql: GraphQLClient,
) -> None:
    # given a pending order for 300 points
    user = await make_user()
    created = await _create(gql, user.access_token, "points_300")
    order = created["order"]
    assert (order["status"], order["amountCents"], order["pointsDelta"], order["paidAt"]) == (
        "PENDING",
        2800,
        300,
        None,
    )
    assert await balance_of(user.user_id) == 10
    # when the payment service confirms it twice
    token = await service_token()
    first = await gql.execute(CONFIRM, {"o": order["id"]}, token=token)
    again = await gql.execute(CONFIRM, {"o": order["id"]}, token=token)
    # then 300 points arrived once, and the second answer is the same order
    assert first["data"]["rechargeOrderConfirm"]["newlyPaid"] is True
    assert again["data"]["rechargeOrderConfirm"]["newlyPaid"] is False
    assert (
        first["data"]["rechargeOrderConfirm"]["order"]
        == again["data"]["rechargeOrderConfirm"]["order"]
    )
    assert await balance_of(user.user_id) == 310
    ledger = await ProfileWalletLedger.select(
        ProfileWalletLedger.wallet_ledger_id, ProfileWalletLedger.amount_delta
    ).where(ProfileWalletLedger.source_type == "recharge")
    assert ledger == [{"wallet_ledger_id": f"recharge:{order['id']}", "amount_delta": 300}]


async def test_concurrent_confirmations_of_one_order_credit_once() -> None:
    user = await make_user()
    order = await create_order(
        viewer=user.principal, product_id="points_60", payment_channel="mock"
    )
    results = await asyncio.gather(
        *[confirm_order(viewer=SERVICE, order_id=order.order_id) for _ in range(10)]
    )
    assert sum(result.newly_paid for result in results) == 1
    assert await balance_of(user.user_id) == 70


async def test_membership_orders_extend_the_expiry_and_keep_the_higher_tier(
    gql: GraphQLClient, clock: FakeClock
) -> None:
    user = await make_user()
    token = await service_token()
    assert (await gql.execute(MEMBERSHIP, token=user.access_token))["data"]["viewer"][
        "membership"
    ] == {"status": "NONE", "tier": None, "startedAt": None, "expiresAt": None}
    # a yearly membership, then a monthly one on top
    yearly = await create_order(
        viewer=user.principal, product_id="membership_yearly", payment_channel="mock"
    )
    await confirm_order(viewer=SERVICE, order_id=yearly.order_id)
    monthly = await _create(gql, user.access_token, "membership_monthly")
    confirmed = await gql.execute(CONFIRM, {"o": monthly["order"]["id"]}, token=token)
    start = clock.current
    row = await ProfileMembership.select().first()
    assert row is not None
    assert row["expires_at"] == start + timedelta(days=395)
    assert row["tier"] == "yearly"
    assert confirmed["data"]["rechargeOrderConfirm"]["order"]["membershipExpiresAt"] is not None
    # points did not move
    assert await balance_of(user.user_id) == 10
    # after expiry the membership reads as expired; a new order starts from now
    clock.advance(days=400)
    # (resolver, not GraphQL: tokens minted 400 days ahead fail PyJWT's real-time checks)
    assert (await membership_of(user.user_id)).status is MembershipStatus.EXPIRED
    again = await create_order(
        viewer=user.principal, product_id="membership_monthly", payment_channel="mock"
    )
    await confirm_order(viewer=SERVICE, order_id=again.order_id)
    row = await ProfileMembership.select().first()
    assert row is not None
    assert (row["tier"], row["started_at"], row["expires_at"]) == (
        "monthly",
        clock.current,
        clock.current + timedelta(days=30),
    )


async def test_bad_orders_are_refused_and_write_nothing(gql: GraphQLClient) -> None:
    user = await make_user()
    unknown = await _create(gql, user.access_token, "points_999999")
    assert unknown["errors"] == [{"code": "PRODUCT_NOT_FOUND", "field": "productId"}]
    channel = await gql.execute(CREATE, {"p": "points_60", "c": "cash"}, token=user.access_token)
    assert channel["data"]["rechargeOrderCreate"]["errors"] == [
        {"code": "PAYMENT_CHANNEL_INVALID", "field": "paymentChannel"}
    ]
    assert await ProfileRechargeOrder.count() == 0
    missing = await gql.execute(CONFIRM, {"o": "nope"}, token=await service_token())
    assert missing["data"]["rechargeOrderConfirm"]["errors"] == [{"code": "ORDER_NOT_FOUND"}]


async def test_only_the_payment_service_confirms_and_users_see_only_their_orders(
    gql: GraphQLClient,
) -> None:
    owner, other = await make_user(), await make_user()
    order = (await _create(gql, owner.access_token, "points_60"))["order"]
    anonymous = await gql.execute(CONFIRM, {"o": order["id"]})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    for user in (owner, other):
        refused = await gql.execute(CONFIRM, {"o": order["id"]}, token=user.access_token)
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await balance_of(owner.user_id) == 10
    row = await ProfileRechargeOrder.select(ProfileRechargeOrder.status).first()
    assert row == {"status": "pending"}
    # the other user's list is empty; anonymous callers cannot order or list
    listed = await gql.execute(ORDERS, {"f": 10}, token=other.access_token)
    assert listed["data"]["viewer"]["rechargeOrders"]["nodes"] == []
    assert (await gql.execute(CREATE, {"p": "points_60", "c": "mock"}))["errors"][0]["extensions"][
        "code"
    ] == "UNAUTHENTICATED"
    assert (await gql.execute(ORDERS, {"f": 10}))["errors"][0]["extensions"][
        "code"
    ] == "UNAUTHENTICATED"
    assert await ProfileRechargeOrder.count() == 1


async def test_orders_are_listed_newest_first_at_a_constant_cost(
    gql: GraphQLClient, clock: FakeClock, count_statements: Any
) -> None:
    user = await make_user()
    for product in ("points_60", "points_300", "membership_monthly"):
        await create_order(viewer=user.principal, product_id=product, payment_channel="mock")
        clock.advance(seconds=1)
    await gql.execute(ORDERS, {"f": 1}, token=user.access_token)  # warm up the app
    costs = []
    statements: list[Any] = []
    for first in (1, 3):
        with count_statements() as counter:
            result = await gql.execute(ORDERS, {"f": first}, token=user.access_token)
        costs.append(counter.count)
        statements.append(counter.statements)
        nodes = result["data"]["viewer"]["rechargeOrders"]["nodes"]
        assert [n["productId"] for n in nodes] == [
            "membership_monthly",
            "points_300",
            "points_60",
        ][:first]
    # auth, viewer, one page, whatever the page size
    assert costs[0] == costs[1] == 3, statements


async def test_membership_orders_confirmed_at_once_both_count(clock: FakeClock) -> None:
    user = await make_user()
    orders = [
        await create_order(
            viewer=user.principal, product_id="membership_monthly", payment_channel="mock"
        )
        for _ in range(4)
    ]
    await asyncio.gather(
        *[confirm_order(viewer=SERVICE, order_id=order.order_id) for order in orders]
    )
    row = await ProfileMembership.select().first()
    assert row is not None
    assert row["expires_at"] == clock.current + timedelta(days=120)
