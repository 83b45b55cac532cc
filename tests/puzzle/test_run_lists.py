"""Puzzle runs in the framework's lists: `viewer.runs` shows each puzzle run's state with a
constant number of statements, and `node(id:)` reads a `PuzzleRun` for its player only."""

from __future__ import annotations

from typing import Any

from resolvers.gallery.play_types import PlayType
from resolvers.puzzle.runs import PUZZLE_RUNS
from resolvers.runs import lifecycle
from tests.factories.auth import TestUser, make_user
from tests.factories.puzzle_runs import stored_work
from tests.fixtures import FakeClock, GraphQLClient

RUNS = """
{ viewer { runs(first: 50) { nodes { runId status ... on PuzzleRun {
  currentLevelIndex clearedLevelCount currentGridSize tiles levelTimesMs
  levels { gridSize elapsedMs } work { workId title } } } } } }
"""
NODE = "query($id: ID!) { node(id: $id) { ... on PuzzleRun { runId tiles } } }"


async def _runs(player: TestUser, work_id: str, count: int) -> list[str]:
    run_ids = []
    for _ in range(count):
        run = await lifecycle.start_run(
            viewer=player.principal, play_type=PlayType.PUZZLE, work_id=work_id, mode="play"
        )
        run_ids.append(run.run_id)
    return run_ids


async def _read(gql: GraphQLClient, player: TestUser) -> list[dict[str, Any]]:
    result = await gql.execute(RUNS, token=player.access_token)
    assert "errors" not in result, result
    nodes: list[dict[str, Any]] = result["data"]["viewer"]["runs"]["nodes"]
    return nodes


async def test_the_viewers_puzzle_runs_cost_the_same_whatever_their_number(
    gql: GraphQLClient, clock: FakeClock, count_statements: Any
) -> None:
    # given one player with 2 puzzle runs and another with 12, on two-level works
    owner, few, many = await make_user(), await make_user(), await make_user()
    work_id = await stored_work(owner.user_id, 3, 5)
    await _runs(few, work_id, 2)
    many_ids = await _runs(many, work_id, 12)
    # when each reads their runs with the puzzle state and the work
    counts = []
    for player in (few, many):
        with count_statements() as counter:
            nodes = await _read(gql, player)
        counts.append(counter.count)
    # then both cost the same, and each run shows its state as stored
    # (the token check, the viewer, the page of runs, their puzzle states, their works: the
    # puzzle profiles and the gallery's rows)
    assert counts == [6, 6]
    assert sorted(node["runId"] for node in nodes) == sorted(many_ids)
    states = await PUZZLE_RUNS.states(many_ids)
    for node in nodes:
        assert node["tiles"] == states[node["runId"]].snapshot_json["tiles"]
        assert (node["currentLevelIndex"], node["clearedLevelCount"]) == (0, 0)
        assert node["currentGridSize"] == 3
        assert node["levels"] == [
            {"gridSize": 3, "elapsedMs": None},
            {"gridSize": 5, "elapsedMs": None},
        ]
        assert node["work"] == {"workId": work_id, "title": "Harbour Lights"}


async def test_a_puzzle_run_is_a_node_only_its_player_reads(
    gql: GraphQLClient, clock: FakeClock
) -> None:
    # given a player's puzzle run
    owner, player = await make_user(), await make_user()
    (run_id,) = await _runs(player, await stored_work(owner.user_id, 4), 1)
    (listed,) = await _read(gql, player)
    global_id = await _global_id(gql, player, run_id)
    # when the player and the work's owner read it by its global id
    mine = await gql.execute(NODE, {"id": global_id}, token=player.access_token)
    theirs = await gql.execute(NODE, {"id": global_id}, token=owner.access_token)
    # then only the player sees it
    assert mine["data"]["node"] == {"runId": run_id, "tiles": listed["tiles"]}
    assert theirs["data"]["node"] is None


async def _global_id(gql: GraphQLClient, player: TestUser, run_id: str) -> str:
    result = await gql.execute(
        "{ viewer { runs { nodes { id runId } } } }", token=player.access_token
    )
    (node,) = [
        node for node in result["data"]["viewer"]["runs"]["nodes"] if node["runId"] == run_id
    ]
    global_id: str = node["id"]
    return global_id
