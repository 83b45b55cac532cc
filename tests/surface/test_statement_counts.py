"""A list costs a constant number of SQL statements, whatever its length."""

from __future__ import annotations

from typing import Any

from resolvers.economy.wallet import LedgerSource, apply_wallet_change
from tests.factories.auth import make_user
from tests.fixtures import GraphQLClient

LEDGER = """
query($first: Int!) { viewer { wallet { balance ledger(first: $first) {
    edges { cursor node { id amountDelta balanceAfter sourceType createdAt } }
    pageInfo { hasNextPage endCursor }
} } } }
"""


async def _statements_for_page(
    gql: GraphQLClient, count_statements: Any, token: str, first: int
) -> int:
    with count_statements() as counter:
        result = await gql.execute(LEDGER, {"first": first}, token=token)
    assert len(result["data"]["viewer"]["wallet"]["ledger"]["edges"]) == first
    return int(counter.count)


async def test_the_ledger_page_costs_the_same_for_one_row_or_fifty(
    gql: GraphQLClient, count_statements: Any
) -> None:
    # given a user with 60 ledger rows
    user = await make_user()
    for number in range(59):
        await apply_wallet_change(
            user_id=user.user_id,
            ledger_id=f"bonus:{number}",
            delta=1,
            source=LedgerSource.ADMIN_ADJUSTMENT,
        )
    # when pages of 1 and 50 rows are read
    one = await _statements_for_page(gql, count_statements, user.access_token, 1)
    fifty = await _statements_for_page(gql, count_statements, user.access_token, 50)
    # then both cost the same few statements (auth, viewer, balance, page)
    assert one == fifty == 4


async def test_ledger_pages_walk_the_whole_list_newest_first(gql: GraphQLClient) -> None:
    user = await make_user()
    for number in range(4):
        await apply_wallet_change(
            user_id=user.user_id,
            ledger_id=f"bonus:{number}",
            delta=number + 1,
            source=LedgerSource.ADMIN_ADJUSTMENT,
        )
    seen: list[int] = []
    after = None
    while True:
        result = await gql.execute(
            "query($a: String) { viewer { wallet { ledger(first: 2, after: $a) { edges { node { amountDelta } } pageInfo { hasNextPage endCursor } } } } }",
            {"a": after},
            token=user.access_token,
        )
        ledger = result["data"]["viewer"]["wallet"]["ledger"]
        seen += [edge["node"]["amountDelta"] for edge in ledger["edges"]]
        if not ledger["pageInfo"]["hasNextPage"]:
            break
        after = ledger["pageInfo"]["endCursor"]
    assert seen == [4, 3, 2, 1, 10]


async def test_page_sizes_and_cursors_are_checked(gql: GraphQLClient) -> None:
    user = await make_user()
    for first, cursor in ((0, None), (101, None), (5, "garbage!")):
        result = await gql.execute(
            "query($f: Int!, $a: String) { viewer { wallet { ledger(first: $f, after: $a) { edges { cursor } } } } }",
            {"f": first, "a": cursor},
            token=user.access_token,
        )
        assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
