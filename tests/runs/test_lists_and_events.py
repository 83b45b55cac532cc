"""The run lists cost a constant number of statements whatever their length and play types,
and `runEvents` replays a run's events from a cursor, then delivers live ones."""

from __future__ import annotations

from typing import Any

import httpx

from resolvers.gallery.play_types import PlayType
from resolvers.play_types.registry import plugin_for
from resolvers.runs.lifecycle import act
from resolvers.runs.model import run_stream
from subscriptions.channels import stream_channel
from tests.factories.auth import TestUser, make_user
from tests.factories.gallery import TEST_PLAY_TYPE, publish
from tests.factories.play_types import ready_work
from tests.factories.runs import RUN_START
from tests.fixtures import FakeClock, GraphQLClient
from tests.waiting import subscribed
from tests.ws import graphql_socket

RUNS_PAGE = """
query($first: Int) { viewer { runs(first: $first) { edges { cursor node {
  id runId playType status snapshotVersion elapsedMs work { workId title }
  ... on CounterTestRun { count target }
  ... on PuzzleRun { currentGridSize tiles levels { gridSize } }
} } pageInfo { hasNextPage } } } }
"""
PLAYED_PAGE = """
query($first: Int) { viewer { totalPlayTimeMs playedWorks(first: $first) { edges { node {
  worldKey title lastPlayedAt work { workId title } } } } } }
"""
RUN_EVENTS = """
subscription($id: ID!, $after: Int) { runEvents(runId: $id, after: $after) {
  sequence kind snapshotVersion status reason action payload runId } }
"""


async def _start(gql: GraphQLClient, user: TestUser, play_type: str, work_id: str) -> str:
    result = await gql.execute(
        RUN_START, {"input": {"playType": play_type, "workId": work_id}}, token=user.access_token
    )
    payload = result["data"]["runStart"]
    assert payload["errors"] == [], payload
    run_id: str = payload["run"]["runId"]
    return run_id


async def _published_puzzle(gql: GraphQLClient, author: TestUser) -> str:
    plugin = plugin_for(PlayType.PUZZLE)
    assert plugin is not None
    started = await ready_work(plugin, gql, author)
    await plugin.publish(viewer=author.principal, work_id=started.work_id)
    return started.work_id


async def test_run_and_played_work_pages_cost_the_same_for_two_items_or_twelve(
    gql: GraphQLClient, clock: FakeClock, count_statements: Any
) -> None:
    # given a player with six runs of counter works and six of a puzzle, interleaved
    author, player = await make_user(), await make_user()
    puzzle_id = await _published_puzzle(gql, author)
    for number in range(6):
        counter_id, _ = await publish(author.user_id, title=f"Counter {number}")
        await _start(gql, player, TEST_PLAY_TYPE.name, counter_id)
        clock.advance(seconds=1)
        await _start(gql, player, "PUZZLE", puzzle_id)
        clock.advance(seconds=1)

    async def statements(query: str, first: int, connection: str) -> tuple[int, int]:
        with count_statements() as counter:
            result = await gql.execute(query, {"first": first}, token=player.access_token)
        assert "errors" not in result, result
        return counter.count, len(result["data"]["viewer"][connection]["edges"])

    # when pages of 2 and of 12 runs, and of 2 and 7 played works, are read
    runs_small, runs_small_size = await statements(RUNS_PAGE, 2, "runs")
    runs_large, runs_large_size = await statements(RUNS_PAGE, 12, "runs")
    played_small, played_small_size = await statements(PLAYED_PAGE, 2, "playedWorks")
    played_large, played_large_size = await statements(PLAYED_PAGE, 7, "playedWorks")
    # then each list costs the same whatever its length (both play types on every page):
    # token, viewer, the page, the puzzle states (or the total play time), then the works
    # (puzzle profiles and their gallery rows; the counter works are big fish works, read as
    # gallery rows and, for drafts, their creation sessions: two statements)
    assert (runs_small_size, runs_large_size) == (2, 12)
    assert (played_small_size, played_large_size) == (2, 7)
    assert (runs_small, runs_large) == (8, 8)
    assert (played_small, played_large) == (8, 8)


async def test_run_events_replay_after_a_cursor_then_arrive_live(
    gql: GraphQLClient, client: httpx.AsyncClient, clock: FakeClock
) -> None:
    # given a run with two applied actions (events 1 to 3)
    author, player, other = await make_user(), await make_user(), await make_user()
    work_id, _ = await publish(author.user_id)
    run_id = await _start(gql, player, TEST_PLAY_TYPE.name, work_id)
    for version in range(2):
        await act(
            viewer=player.principal,
            run_id=run_id,
            expected_snapshot_version=version,
            action={"kind": "add", "n": 1},
        )
    async with graphql_socket(client, player.access_token) as socket:
        # when the player subscribes after sequence 1, and the run is then won
        await socket.subscribe(RUN_EVENTS, {"id": run_id, "after": 1})
        replayed = [payload["data"]["runEvents"] for payload in await socket.next_payloads(2)]
        await subscribed(stream_channel(run_stream(run_id)))
        await act(
            viewer=player.principal,
            run_id=run_id,
            expected_snapshot_version=2,
            action={"kind": "add", "n": 1},
        )
        live = [payload["data"]["runEvents"] for payload in await socket.next_payloads(2)]
    # then events 2 and 3 were replayed, and 4 (the action) and 5 (the win) came live
    assert [
        (e["sequence"], e["kind"], e["snapshotVersion"], e["status"], e["payload"])
        for e in replayed + live
    ] == [
        (2, "ACTION", 1, "RUNNING", {"count": 1}),
        (3, "ACTION", 2, "RUNNING", {"count": 2}),
        (4, "ACTION", 3, "RUNNING", {"count": 3}),
        (5, "FINISHED", 3, "WON", {"elapsedMs": 0}),
    ]
    assert replayed[0]["action"] == {"kind": "add", "n": 1}
    assert live[1]["reason"] == "COMPLETED"
    assert {e["runId"] for e in replayed + live} == {run_id}
    # and another user may not follow the run
    async with graphql_socket(client, other.access_token) as socket:
        await socket.subscribe(RUN_EVENTS, {"id": run_id, "after": 0})
        (refused,) = await socket.next_payloads(1)
    assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND"
