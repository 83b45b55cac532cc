"""`puzzleLeaderboardChanges` over WebSocket: public, one event per improved entry
(nickname, time, rank), replayed after a cursor, then live."""

from __future__ import annotations

from typing import Any

import httpx

from resolvers.gallery.play_types import PlayType
from resolvers.puzzle.model import leaderboard_stream
from resolvers.puzzle.runs import PUZZLE_RUNS
from resolvers.runs import lifecycle
from subscriptions.channels import stream_channel
from tests.factories.auth import TestUser, make_user
from tests.factories.puzzle_runs import stored_work
from tests.fixtures import FakeClock
from tests.waiting import subscribed
from tests.ws import graphql_socket

CHANGES = """
subscription($w: ID!, $g: Int!, $after: Int) {
  puzzleLeaderboardChanges(workId: $w, gridSize: $g, after: $after) {
    sequence workId gridSize nickname bestElapsedMs rank
  }
}
"""


async def _finish(player: TestUser, work_id: str, clock: FakeClock, seconds: float) -> None:
    """A PLAY run of the 3x3 work solved `seconds` after its start."""
    run = await lifecycle.start_run(
        viewer=player.principal, play_type=PlayType.PUZZLE, work_id=work_id, mode="play"
    )
    state = (await PUZZLE_RUNS.states([run.run_id]))[run.run_id]
    actions = PUZZLE_RUNS.winning_actions(state)
    for position, action in enumerate(actions):
        if position == len(actions) - 1:
            clock.advance(seconds=seconds)
        run = await lifecycle.act(
            viewer=player.principal,
            run_id=run.run_id,
            expected_snapshot_version=run.snapshot_version,
            action=action,
        )


def _changes(payloads: list[dict[str, Any]]) -> list[tuple[int, str, int, int]]:
    for payload in payloads:
        assert "errors" not in payload, payload
    return [
        (
            change["sequence"],
            change["nickname"],
            change["bestElapsedMs"],
            change["rank"],
        )
        for change in (payload["data"]["puzzleLeaderboardChanges"] for payload in payloads)
    ]


async def test_an_anonymous_subscriber_replays_then_follows_improvements(
    client: httpx.AsyncClient, clock: FakeClock
) -> None:
    # given a published 3x3 puzzle that ana solved in 4 s
    owner, ana, bob = await make_user(), await make_user("ana"), await make_user("bob")
    work_id = await stored_work(owner.user_id, 3)
    await _finish(ana, work_id, clock, 4)
    async with graphql_socket(client, None) as socket:
        # when an anonymous visitor follows the 3x3 board from the start
        await socket.subscribe(CHANGES, {"w": work_id, "g": 3, "after": 0})
        replayed = _changes(await socket.next_payloads(1))
        await subscribed(stream_channel(leaderboard_stream(work_id, 3)))
        # and bob solves it in 2 s, ana again in 5 s (no better), then in 1 s
        await _finish(bob, work_id, clock, 2)
        await _finish(ana, work_id, clock, 5)
        await _finish(ana, work_id, clock, 1)
        live = _changes(await socket.next_payloads(2))
    # then ana's first time is replayed, and each improvement arrives live with its rank
    assert replayed == [(1, "ana", 4000, 1)]
    assert live == [(2, "bob", 2000, 1), (3, "ana", 1000, 1)]


async def test_a_draft_board_cannot_be_followed(
    client: httpx.AsyncClient, clock: FakeClock
) -> None:
    # given someone's draft work
    owner = await make_user()
    draft_id = await stored_work(owner.user_id, 3, published=False)
    async with graphql_socket(client, None) as socket:
        # when an anonymous visitor follows its board
        await socket.subscribe(CHANGES, {"w": draft_id, "g": 3, "after": 0})
        (payload,) = await socket.next_payloads(1)
    # then it is NOT_FOUND
    assert payload["errors"][0]["extensions"]["code"] == "NOT_FOUND"
