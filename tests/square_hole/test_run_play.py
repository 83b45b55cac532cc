"""Square-hole runs through the real ASGI app: a cheating client (a shape that is not the
current one, an unknown hole, a stale version, another user's run, a drop after the end,
a drop after the time limit) is refused with nothing written; shapes arrive in a seeded
order that a run keeps."""

from __future__ import annotations

from typing import Any

import schema.build  # noqa: F401
from resolvers.square_hole.plugin import SQUARE_HOLE
from resolvers.square_hole.runs import SQUARE_HOLE_RUNS, dealt
from tests.factories import square_hole
from tests.factories.auth import TestUser, make_user
from tests.factories.play_types import ready_work
from tests.factories.runs import every_table
from tests.fixtures import FakeClock, GraphQLClient


async def _published(gql: GraphQLClient, author: TestUser) -> str:
    started = await ready_work(SQUARE_HOLE, gql, author)
    await SQUARE_HOLE.publish(viewer=author.principal, work_id=started.work_id)
    return started.work_id


def _codes(answer: dict[str, Any]) -> list[str]:
    return [error["code"] for error in answer["errors"]]


async def test_a_cheating_client_is_refused_and_nothing_is_written(gql: GraphQLClient) -> None:
    # given a run one drop along (version 1), and another user
    author, player, other = await make_user(), await make_user(), await make_user()
    work_id = await _published(gql, author)
    run = await square_hole.start_run(gql, player.access_token, work_id)
    first = await square_hole.drop(
        gql, player.access_token, run["runId"], run["currentShapeId"], "square", 0
    )
    current = first["run"]["currentShapeId"]
    later = first["run"]["shapes"][2]["shapeId"]
    before = await every_table()
    # when the client drops a later shape, into an unknown hole, on a stale version, and
    # another user drops on this run
    not_current = await square_hole.drop(gql, player.access_token, run["runId"], later, "square", 1)
    no_hole = await square_hole.drop(gql, player.access_token, run["runId"], current, "slot", 1)
    stale = await square_hole.drop(gql, player.access_token, run["runId"], current, "square", 0)
    foreign = await square_hole.drop(gql, other.access_token, run["runId"], current, "square", 1)
    # then each is refused, and no table changed
    assert (_codes(not_current), not_current["errors"][0]["field"]) == (["ILLEGAL_MOVE"], "shapeId")
    assert (_codes(no_hole), no_hole["errors"][0]["field"]) == (["ILLEGAL_MOVE"], "holeId")
    assert (_codes(stale), stale["currentSnapshotVersion"]) == (["SNAPSHOT_STALE"], 1)
    assert foreign == {"top": "NOT_FOUND"}
    assert await every_table() == before
    # and once the run is won, another drop is refused and changes nothing
    second = await square_hole.drop(gql, player.access_token, run["runId"], current, "square", 1)
    won = await square_hole.drop(
        gql, player.access_token, run["runId"], second["run"]["currentShapeId"], "square", 2
    )
    assert won["run"]["status"] == "WON"
    ended = await every_table()
    after_end = await square_hole.drop(gql, player.access_token, run["runId"], later, "square", 3)
    assert (_codes(after_end), after_end["currentSnapshotVersion"]) == (["RUN_FINISHED"], 3)
    assert await every_table() == ended


async def test_the_time_limit_expires_a_run_with_its_shapes_left(
    gql: GraphQLClient, clock: FakeClock
) -> None:
    # given a running run one drop along
    author, player = await make_user(), await make_user()
    work_id = await _published(gql, author)
    run = await square_hole.start_run(gql, player.access_token, work_id)
    first = await square_hole.drop(
        gql, player.access_token, run["runId"], run["currentShapeId"], "square", 0
    )
    # when its time limit passes and the next drop arrives
    clock.advance(milliseconds=SQUARE_HOLE_RUNS.time_limit_ms())
    late = await square_hole.drop(
        gql, player.access_token, run["runId"], first["run"]["currentShapeId"], "square", 1
    )
    # then it is refused, the run EXPIRED (TIME_UP) with one shape placed and 10 points
    assert (_codes(late), late["currentSnapshotVersion"]) == (["RUN_FINISHED"], 2)
    state = (await SQUARE_HOLE_RUNS.states([run["runId"]]))[run["runId"]]
    assert (state.completed_shape_count, state.score) == (1, 10)
    from db.tables.square_hole import SquareHoleRuntimeRun

    mirror = (
        await SquareHoleRuntimeRun.select(
            SquareHoleRuntimeRun.status,
            SquareHoleRuntimeRun.snapshot_version,
            SquareHoleRuntimeRun.elapsed_ms,
            SquareHoleRuntimeRun.duration_limit_ms,
        )
        .where(SquareHoleRuntimeRun.run_id == run["runId"])
        .first()
    )
    limit = SQUARE_HOLE_RUNS.time_limit_ms()
    assert mirror == {
        "status": "expired",
        "snapshot_version": 2,
        "elapsed_ms": limit,
        "duration_limit_ms": limit,
    }


async def test_shapes_arrive_in_the_order_the_run_s_seed_deals(gql: GraphQLClient) -> None:
    # given a published work of four shapes dealing three
    author, player = await make_user(), await make_user()
    work_id = await _published(gql, author)
    # when a run starts
    run = await square_hole.start_run(gql, player.access_token, work_id)
    # then its shapes are the seed's deal of the work's shapes, the first one current
    state = (await SQUARE_HOLE_RUNS.states([run["runId"]]))[run["runId"]]
    snapshot = state.snapshot_json
    shapes = SQUARE_HOLE.example_draft()["config"]["shapes"]
    expected = [shape["shapeId"] for shape in dealt(snapshot["seed"], shapes, 3)]
    assert [shape["shapeId"] for shape in run["shapes"]] == expected
    assert run["currentShapeId"] == expected[0]
    assert len(set(expected)) == 3 and set(expected) <= {s["shapeId"] for s in shapes}
    assert (state.total_shape_count, state.completed_shape_count, state.score) == (3, 0, 0)


async def test_a_test_run_plays_the_owner_s_draft(gql: GraphQLClient) -> None:
    # given the owner's ready draft (never published)
    owner = await make_user()
    started = await ready_work(SQUARE_HOLE, gql, owner)
    # when the owner TEST-plays it into the circle hole every time
    run = await square_hole.start_run(gql, owner.access_token, started.work_id, mode="TEST")
    for version in range(3):
        answer = await square_hole.drop(
            gql, owner.access_token, run["runId"], run["currentShapeId"], "circle", version
        )
        run = answer["run"]
    # then every drop was refused by the default (5 off, never below 0) and the run is lost
    assert (run["status"], run["reason"], run["score"], run["completedShapeCount"]) == (
        "LOST",
        "SCORE_TOO_LOW",
        0,
        0,
    )
