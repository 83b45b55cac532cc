"""Match3D in the shared lists: `viewer.runs` with each `Match3dRun`'s board, and the
gallery's feed with each `Match3dWork`'s items, each at a constant number of statements."""

from __future__ import annotations

from typing import Any

import schema.build  # noqa: F401
from tests.factories import match3d
from tests.factories.auth import TestUser, make_user
from tests.fixtures import FakeClock, GraphQLClient

RUNS = """
{ viewer { runs(first: 50) { nodes { runId status ... on Match3dRun {
  side layers clearCount totalItemCount pile { itemId covered } tray { itemId }
  items { name cutImageUrl } work { workId title } } } } } }
"""
GALLERY = """
{ gallery(playType: MATCH3D, first: 50) { nodes { workId title author { displayName }
  ... on Match3dWork { layers clearCount items { name count cutImageUrl } } } } }
"""


async def _count(gql: GraphQLClient, count_statements: Any, query: str, user: TestUser) -> Any:
    with count_statements() as counter:
        result = await gql.execute(query, token=user.access_token)
    assert "errors" not in result, result
    return counter.count, result["data"]


async def test_runs_and_the_gallery_cost_the_same_whatever_their_number(
    gql: GraphQLClient, clock: FakeClock, count_statements: Any
) -> None:
    # given three published works; one player with a run, another with six
    author, few, many = await make_user(), await make_user(), await make_user()
    work_ids = []
    for _ in range(3):
        ready = await match3d.ready_work(gql, author.access_token)
        assert (await match3d.publish(gql, author.access_token, ready["workId"]))["errors"] == []
        work_ids.append(ready["workId"])
    await match3d.start_run(gql, few.access_token, work_ids[0])
    for number in range(6):
        await match3d.start_run(gql, many.access_token, work_ids[number % 3])
    # when each reads their runs with the boards and the works
    (one, _), (six, data) = [
        await _count(gql, count_statements, RUNS, player) for player in (few, many)
    ]
    # then both cost the same, and every run shows its whole board
    assert one == six
    nodes = data["viewer"]["runs"]["nodes"]
    assert len(nodes) == 6
    assert all(
        (node["totalItemCount"], len(node["pile"]), node["tray"]) == (12, 12, []) for node in nodes
    )
    assert all(len(node["items"]) == 4 and node["work"]["title"] == "Attic" for node in nodes)
    # and the gallery's Match3D feed (read once: the day's 7-day plays refresh) costs the
    # same for one work as for three
    await gql.execute(GALLERY, token=few.access_token)
    feed_three, feed = await _count(gql, count_statements, GALLERY, few)
    assert len(feed["gallery"]["nodes"]) == 3
    for work_id in work_ids[1:]:
        assert (await match3d_unpublish(gql, author, work_id))["errors"] == []
    feed_one, feed = await _count(gql, count_statements, GALLERY, few)
    assert feed_one == feed_three
    (node,) = feed["gallery"]["nodes"]
    assert [item["count"] for item in node["items"]] == [3, 3, 3, 3]
    assert all(item["cutImageUrl"] for item in node["items"])


async def match3d_unpublish(gql: GraphQLClient, author: TestUser, work_id: str) -> Any:
    result = await gql.execute(match3d.UNPUBLISH, {"w": work_id}, token=author.access_token)
    return result["data"]["match3dWorkUnpublish"]
