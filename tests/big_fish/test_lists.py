"""`viewer.bigFishSessions`: newest first, and a page costs the same statements for one
session or many."""

from __future__ import annotations

from typing import Any

from resolvers.big_fish.plugin import BIG_FISH
from tests.factories.auth import TestUser, make_user
from tests.fixtures import GraphQLClient

SESSIONS = (
    "query($first: Int!) { viewer { bigFishSessions(first: $first) { edges { node { "
    "sessionId stage publicationStatus slots { slot status } } } } } }"
)


async def _page(gql: GraphQLClient, user: TestUser, first: int) -> list[dict[str, Any]]:
    result = await gql.execute(SESSIONS, {"first": first}, token=user.access_token)
    assert "errors" not in result, result
    return [edge["node"] for edge in result["data"]["viewer"]["bigFishSessions"]["edges"]]


async def test_a_page_costs_the_same_for_one_session_or_five(
    gql: GraphQLClient, count_statements: Any
) -> None:
    # given five sessions, each with a draft and its slot rows
    user = await make_user()
    started = []
    for number in range(5):
        session = await BIG_FISH.start_session(viewer=user.principal, seed_text=f"sea {number}")
        await BIG_FISH.autosave(
            viewer=user.principal,
            session_id=session.session_id,
            seed_text=None,
            draft=BIG_FISH.example_draft(),
        )
        await BIG_FISH.blockers(viewer=user.principal, work_id=session.work_id)
        started.append(session.session_id)
    # when pages of 1 and 5 are read
    with count_statements() as one:
        first = await _page(gql, user, 1)
    with count_statements() as five:
        every = await _page(gql, user, 5)
    # then the newest comes first, each with its six slots, at the same cost
    assert [node["sessionId"] for node in every] == started[::-1]
    assert first == every[:1]
    assert all(len(node["slots"]) == 6 for node in every)
    assert one.count == five.count
