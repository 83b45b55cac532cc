"""Puzzle runs through the real ASGI app: a published puzzle played to a win, the
leaderboards it feeds, a cheating client refused with nothing written, twenty concurrent
finishes of one player keeping the best time, and constant-cost leaderboard pages."""

from __future__ import annotations

import asyncio
from typing import Any

from db.transactions import write_transaction
from resolvers import clock as clock_module
from resolvers.puzzle import grids, leaderboard
from tests.factories.auth import TestUser, make_user
from tests.factories.puzzle_runs import published_work, stored_work
from tests.factories.runs import every_table
from tests.fixtures import FakeClock, GraphQLClient

RUN_FIELDS = """
  runId snapshotVersion status reason mode elapsedMs currentLevelIndex clearedLevelCount
  currentGridSize tiles levelTimesMs playedWorkIds previousLevelTags
  levels { levelId name gridSize elapsedMs }
"""
START = (
    "mutation($i: RunStartInput!) { runStart(input: $i) { errors { code field message } "
    "run { ... on PuzzleRun { " + RUN_FIELDS + " } } } }"
)
SWAP = (
    "mutation($r: ID!, $a: Int!, $b: Int!, $v: Int!) { puzzleRunSwap(runId: $r, a: $a, b: $b, "
    "expectedSnapshotVersion: $v) { errors { code field message } currentSnapshotVersion "
    "run { " + RUN_FIELDS + " } } }"
)
BOARD = """
query($w: ID!, $g: Int!, $first: Int, $after: String) {
  puzzleLeaderboard(workId: $w, gridSize: $g, first: $first, after: $after) {
    workId gridSize
    entries { edges { cursor node { rank nickname bestElapsedMs } } pageInfo { hasNextPage endCursor } }
    viewerEntry { rank nickname bestElapsedMs }
  }
}
"""


async def _start(gql: GraphQLClient, user: TestUser, work_id: str) -> dict[str, Any]:
    variables = {"i": {"playType": "PUZZLE", "workId": work_id, "mode": "PLAY"}}
    result = await gql.execute(START, variables, token=user.access_token)
    assert "errors" not in result, result
    payload = result["data"]["runStart"]
    assert payload["errors"] == [], payload
    run: dict[str, Any] = payload["run"]
    return run


async def _swap(
    gql: GraphQLClient, token: str | None, run_id: str, a: int, b: int, version: int
) -> dict[str, Any]:
    variables = {"r": run_id, "a": a, "b": b, "v": version}
    return await gql.execute(SWAP, variables, token=token)


async def _swapped(gql: GraphQLClient, user: TestUser, run: dict[str, Any], a: int, b: int) -> Any:
    result = await _swap(gql, user.access_token, run["runId"], a, b, run["snapshotVersion"])
    assert "errors" not in result, result
    payload = result["data"]["puzzleRunSwap"]
    assert payload["errors"] == [], payload
    return payload["run"]


async def _almost_solve(gql: GraphQLClient, user: TestUser, run: dict[str, Any]) -> Any:
    """Play the current level up to its last swap; returns the run and that swap."""
    swaps = grids.solving_swaps(run["tiles"])
    for a, b in swaps[:-1]:
        run = await _swapped(gql, user, run, a, b)
    return run, swaps[-1]


async def _board(
    gql: GraphQLClient, work_id: str, size: int, token: str | None = None, **page: Any
) -> dict[str, Any]:
    result = await gql.execute(BOARD, {"w": work_id, "g": size, **page}, token=token)
    assert "errors" not in result, result
    board: dict[str, Any] = result["data"]["puzzleLeaderboard"]
    return board


def _entries(board: dict[str, Any]) -> list[tuple[int, str, int]]:
    return [
        (edge["node"]["rank"], edge["node"]["nickname"], edge["node"]["bestElapsedMs"])
        for edge in board["entries"]["edges"]
    ]


async def test_a_published_puzzle_is_played_to_a_win(gql: GraphQLClient, clock: FakeClock) -> None:
    # given a published puzzle of two levels (3x3, then 4x4) and a player's run
    owner, player = await make_user("author"), await make_user("player")
    work_id = await published_work(gql, owner, 3, 4)
    run = await _start(gql, player, work_id)
    assert (run["status"], run["currentGridSize"], sorted(run["tiles"])) == (
        "RUNNING",
        3,
        list(range(9)),
    )
    # when they solve the first level in 3 s and the second in 5 s
    run, last = await _almost_solve(gql, player, run)
    clock.advance(seconds=3)
    run = await _swapped(gql, player, run, *last)
    assert (run["currentLevelIndex"], run["currentGridSize"], len(run["tiles"])) == (1, 4, 16)
    run, last = await _almost_solve(gql, player, run)
    clock.advance(seconds=5)
    run = await _swapped(gql, player, run, *last)
    # then the run is won with both levels timed, and each board ranks the player first
    assert (run["status"], run["reason"], run["clearedLevelCount"]) == ("WON", "COMPLETED", 2)
    assert run["levelTimesMs"] == [3000, 5000]
    assert [level["elapsedMs"] for level in run["levels"]] == [3000, 5000]
    assert run["elapsedMs"] == 8000
    assert run["playedWorkIds"] == [work_id]
    assert run["previousLevelTags"] == ["sea", "evening"]
    assert run["tiles"] == list(range(16))
    for size, elapsed in ((3, 3000), (4, 5000)):
        board = await _board(gql, work_id, size, player.access_token)
        assert _entries(board) == [(1, "player", elapsed)]
        assert board["viewerEntry"] == {"rank": 1, "nickname": "player", "bestElapsedMs": elapsed}
    anonymous = await _board(gql, work_id, 3)
    assert (anonymous["workId"], anonymous["gridSize"]) == (work_id, 3)
    assert anonymous["viewerEntry"] is None


async def test_a_cheating_client_is_refused_every_time_and_nothing_changes(
    gql: GraphQLClient, clock: FakeClock
) -> None:
    # given a player's run on a published 3x3 puzzle, and someone else
    owner, player, other = await make_user(), await make_user("player"), await make_user()
    work_id = await published_work(gql, owner, 3)
    run = await _start(gql, player, work_id)
    run_id, version = run["runId"], run["snapshotVersion"]
    before = await every_table()
    cheats = [
        ("outside the grid", player.access_token, (9, 0, version)),
        ("negative position", player.access_token, (0, -1, version)),
        ("a tile with itself", player.access_token, (4, 4, version)),
        ("a stale version", player.access_token, (0, 1, version + 3)),
    ]
    # when the player cheats, each way
    refusals = {}
    for name, token, (a, b, expected) in cheats:
        result = await _swap(gql, token, run_id, a, b, expected)
        payload = result["data"]["puzzleRunSwap"]
        refusals[name] = (
            [(error["code"], error["field"]) for error in payload["errors"]],
            payload["currentSnapshotVersion"],
            payload["run"],
        )
    # and someone else, or nobody, swaps on the player's run
    stranger = await _swap(gql, other.access_token, run_id, 0, 1, version)
    anonymous = await _swap(gql, None, run_id, 0, 1, version)
    # then every attempt is refused, and no table changed
    assert refusals == {
        "outside the grid": ([("ILLEGAL_MOVE", "a")], None, None),
        "negative position": ([("ILLEGAL_MOVE", "b")], None, None),
        "a tile with itself": ([("ILLEGAL_MOVE", "b")], None, None),
        "a stale version": ([("SNAPSHOT_STALE", "expectedSnapshotVersion")], version, None),
    }
    assert stranger["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await every_table() == before
    # when the player wins, then swaps again
    for a, b in grids.solving_swaps(run["tiles"]):
        run = await _swapped(gql, player, run, a, b)
    assert run["status"] == "WON"
    after_win = await every_table()
    late = (await _swap(gql, player.access_token, run_id, 0, 1, run["snapshotVersion"]))["data"]
    # then that is refused too, and nothing changed
    assert [error["code"] for error in late["puzzleRunSwap"]["errors"]] == ["RUN_FINISHED"]
    assert late["puzzleRunSwap"]["run"] is None
    assert late["puzzleRunSwap"]["currentSnapshotVersion"] == run["snapshotVersion"]
    assert await every_table() == after_win


async def test_twenty_concurrent_finishes_of_one_player_keep_the_best_time(
    gql: GraphQLClient, clock: FakeClock
) -> None:
    # given twenty runs of one player on a published 3x3 puzzle, started a second apart,
    # each one swap from solving it
    owner, player = await make_user(), await make_user("player")
    work_id = await published_work(gql, owner, 3)
    ready = []
    for _ in range(20):
        run = await _start(gql, player, work_id)
        ready.append(await _almost_solve(gql, player, run))
        clock.advance(seconds=1)
    # when all twenty finish at once
    results = await asyncio.gather(
        *[
            _swap(gql, player.access_token, run["runId"], a, b, run["snapshotVersion"])
            for run, (a, b) in ready
        ]
    )
    # then all are won, and the board keeps the best time: the last-started run's, 1 s
    assert [result["data"]["puzzleRunSwap"]["run"]["status"] for result in results] == ["WON"] * 20
    board = await _board(gql, work_id, 3, player.access_token)
    assert _entries(board) == [(1, "player", 1000)]
    assert board["viewerEntry"] == {"rank": 1, "nickname": "player", "bestElapsedMs": 1000}


async def _times(work_id: str, count: int) -> TestUser:
    """`count` players with a time each on the 4x4 board; returns the slowest."""
    players = [await make_user() for _ in range(count)]
    for position, player in enumerate(players):
        async with write_transaction():
            await leaderboard.record_time(
                work_id=work_id,
                grid_size=4,
                user_id=player.user_id,
                run_id=f"run{position}",
                elapsed_ms=1000 + position,
                now=clock_module.now(),
            )
    return players[-1]


async def test_a_leaderboard_page_costs_the_same_whatever_its_size(
    gql: GraphQLClient, clock: FakeClock, count_statements: Any
) -> None:
    # given a board of 3 entries and one of 30, each read by its slowest player
    owner = await make_user()
    small, large = await stored_work(owner.user_id, 4), await stored_work(owner.user_id, 4)
    small_viewer, large_viewer = await _times(small, 3), await _times(large, 30)
    # when each is read, a first page and a page after a cursor
    counts = []
    for work_id, viewer in ((small, small_viewer), (large, large_viewer)):
        first = await _board(gql, work_id, 4, viewer.access_token, first=2)
        with count_statements() as counter:
            board = await _board(gql, work_id, 4, viewer.access_token, first=2)
        counts.append(counter.count)
        with count_statements() as counter:
            await _board(
                gql,
                work_id,
                4,
                viewer.access_token,
                first=20,
                after=first["entries"]["pageInfo"]["endCursor"],
            )
        counts.append(counter.count)
        assert board == first
    # then every read costs a constant number of statements, and ranks run on
    # (the token check, the work, the page, the viewer's entry; after a cursor also the
    # rank of the page's first entry)
    assert counts == [4, 5, 4, 5]
    large_board = await _board(gql, large, 4, large_viewer.access_token, first=100)
    assert [rank for rank, _, _ in _entries(large_board)] == list(range(1, 31))
    assert large_board["viewerEntry"]["rank"] == 30
