"""Lists of custom worlds and sessions cost a constant number of SQL statements."""

from __future__ import annotations

from typing import Any

import pytest

from resolvers.worlds import sessions
from tests.factories.auth import TestUser, make_user
from tests.fixtures import GraphQLClient

WORLDS = """
query($first: Int!) { viewer { customWorlds(first: $first) {
  nodes {
    workId title coverUrl publicationStatus publicWorkCode subtitle themeMode landmarkCount
    likeCount playCount plays7d viewerHasLiked author { displayName }
    publishReady publishGate { ready blockers { code anchor } }
    world { anchors { key filled } characters { name } }
    agentSession { sessionId stage cards { cardId assetStatus } latestOperation { status } }
  }
  pageInfo { hasNextPage }
} } }
"""
SESSIONS = """
query($first: Int!) { viewer { customWorldAgentSessions(first: $first) {
  nodes {
    sessionId stage progress anchors { key text }
    cards { cardId kind assetStatus assetStatusLabel }
    publishGate { blockers { code } }
    messages(first: 5) { nodes { text } }
    operations { nodes { status task { status } } }
    worldOperations { status }
    work { workId title coverUrl }
  }
} } }
"""


@pytest.fixture(autouse=True)
def no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """No generation worker: its polling would add statements to the counts."""
    from settings import get_settings

    monkeypatch.setenv("GENERATION_WORKER_ENABLED", "false")
    get_settings.cache_clear()


async def _worlds(user: TestUser, count: int) -> None:
    for number in range(count):
        saved = await sessions.create_session(viewer=user.principal, seed=f"World {number}")
        await sessions.autosave(
            viewer=user.principal,
            session_id=saved.session.session_id,
            fields=sessions.AutosaveInput(world_name=f"W{number}"),
        )


async def _count(
    gql: GraphQLClient, count_statements: Any, query: str, token: str, first: int
) -> int:
    with count_statements() as counter:
        result = await gql.execute(query, {"first": first}, token=token)
    assert "errors" not in result, result
    viewer = result["data"]["viewer"]
    (connection,) = viewer.values()
    assert len(connection["nodes"]) == first
    return int(counter.count)


async def test_the_worlds_list_costs_the_same_for_one_world_or_twenty(
    gql: GraphQLClient, count_statements: Any
) -> None:
    user = await make_user()
    await _worlds(user, 21)
    one = await _count(gql, count_statements, WORLDS, user.access_token, 1)
    twenty = await _count(gql, count_statements, WORLDS, user.access_token, 20)
    assert one == twenty
    assert one == 10  # viewer, worlds page, total, and one batch per nested field


async def test_the_sessions_list_costs_the_same_for_one_session_or_twenty(
    gql: GraphQLClient, count_statements: Any
) -> None:
    user = await make_user()
    await _worlds(user, 21)
    one = await _count(gql, count_statements, SESSIONS, user.access_token, 1)
    twenty = await _count(gql, count_statements, SESSIONS, user.access_token, 20)
    assert one == twenty
    assert one == 10  # viewer, worlds page, total, and one batch per nested field
