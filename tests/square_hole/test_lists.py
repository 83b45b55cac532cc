"""Lists with square-hole items cost a constant number of SQL statements: the gallery feed
of square-hole works (with their own fields) and the viewer's square-hole runs."""

from __future__ import annotations

from typing import Any

import schema.build  # noqa: F401
from resolvers.square_hole.plugin import SQUARE_HOLE
from tests.factories import square_hole
from tests.factories.auth import TestUser, make_user
from tests.factories.play_types import ready_work
from tests.fixtures import GraphQLClient

FEED = """
query { gallery(playType: SQUARE_HOLE, first: 50) { nodes { workId title coverUrl
  ... on SquareHoleWork { twistRule shapeCount difficulty publicWorkCode sessionId
    publishReady config { rules { shape hole accepts points } } } } } }
"""
RUNS = """
query { viewer { runs(playType: SQUARE_HOLE, first: 50) { nodes { runId status
  ... on SquareHoleRun { currentShapeId score completedShapeCount totalShapeCount
    shapes { shapeId } drops { holeId } work { workId title } } } } } }
"""


async def _statements(gql: GraphQLClient, count_statements: Any, token: str, query: str) -> Any:
    # A first read refreshes the gallery's stored 7-day plays (due once a day); then count.
    await gql.execute(query, token=token)
    with count_statements() as counter:
        result = await gql.execute(query, token=token)
    assert "errors" not in result, result
    return int(counter.count), result["data"]


async def _published(gql: GraphQLClient, author: TestUser, count: int) -> list[str]:
    work_ids = []
    for _ in range(count):
        started = await ready_work(SQUARE_HOLE, gql, author)
        await SQUARE_HOLE.publish(viewer=author.principal, work_id=started.work_id)
        work_ids.append(started.work_id)
    return work_ids


async def test_the_gallery_feed_of_square_hole_works_costs_the_same_for_one_or_five(
    gql: GraphQLClient, count_statements: Any
) -> None:
    # given one published work, then five
    author, reader = await make_user(), await make_user()
    await _published(gql, author, 1)
    one, _ = await _statements(gql, count_statements, reader.access_token, FEED)
    await _published(gql, author, 4)
    five, data = await _statements(gql, count_statements, reader.access_token, FEED)
    # then both pages cost the same, and the feed shows every work's own fields
    assert len(data["gallery"]["nodes"]) == 5
    assert one == five
    assert {node["shapeCount"] for node in data["gallery"]["nodes"]} == {3}
    assert {node["sessionId"] for node in data["gallery"]["nodes"]} == {None}


async def test_the_viewer_s_square_hole_runs_cost_the_same_for_one_or_five(
    gql: GraphQLClient, count_statements: Any
) -> None:
    # given a player with one run, then five (one of them a drop along)
    author, player = await make_user(), await make_user()
    (work_id,) = await _published(gql, author, 1)
    run = await square_hole.start_run(gql, player.access_token, work_id)
    one, _ = await _statements(gql, count_statements, player.access_token, RUNS)
    for _ in range(4):
        await square_hole.start_run(gql, player.access_token, work_id)
    await square_hole.drop(
        gql, player.access_token, run["runId"], run["currentShapeId"], "square", 0
    )
    five, data = await _statements(gql, count_statements, player.access_token, RUNS)
    # then both pages cost the same
    nodes = data["viewer"]["runs"]["nodes"]
    assert len(nodes) == 5 and one == five
    assert sorted(node["score"] for node in nodes) == [0, 0, 0, 0, 10]
