"""Puzzle leaderboards in the public-response cache: a board's own stream is followed once
a result needs it, and its events drop that board's results only."""

from __future__ import annotations

import asyncio
from typing import Any

from db.tables.puzzle import PuzzleLeaderboardEntry
from db.transactions import write_transaction
from resolvers import clock
from resolvers.gallery.likes import like_work
from resolvers.gallery.play_types import PlayType
from resolvers.puzzle import leaderboard
from schema.public_cache import PublicCache
from subscriptions import streams
from subscriptions.channels import stream_channel
from tests.factories.auth import TestUser, make_user
from tests.factories.puzzle_runs import stored_work
from tests.fixtures import GraphQLClient

BOARD = """query Board($w: ID!) { puzzleLeaderboard(workId: $w, gridSize: 4) {
  entries { edges { node { rank nickname bestElapsedMs } } } viewerEntry { rank } } }"""


def _cache(app: Any) -> PublicCache:
    cache = app.state.public_cache
    assert isinstance(cache, PublicCache)
    return cache


async def _record(work_id: str, user: TestUser, elapsed_ms: int) -> None:
    async with write_transaction():
        entries = await leaderboard.record_time(
            work_id=work_id,
            grid_size=4,
            user_id=user.user_id,
            run_id=f"run-{user.user_id}",
            elapsed_ms=elapsed_ms,
            now=clock.now(),
        )
    await streams.publish(entries)


def _rows(body: dict[str, Any]) -> list[tuple[int, str, int]]:
    board = body["data"]["puzzleLeaderboard"]
    assert board["viewerEntry"] is None
    return [
        (edge["node"]["rank"], edge["node"]["nickname"], edge["node"]["bestElapsedMs"])
        for edge in board["entries"]["edges"]
    ]


async def _until(condition: Any, timeout: float = 5) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.005)


async def test_a_board_is_kept_once_followed_and_dropped_by_its_own_events(
    app: Any, gql: GraphQLClient
) -> None:
    # given a published puzzle work with one time on its board
    cache = _cache(app)
    owner, ana, bob = await make_user(), await make_user("ana"), await make_user("bob")
    work_id = await stored_work(owner.user_id, 4)
    await _record(work_id, ana, 3000)
    channel = stream_channel(f"puzzle:lb:{work_id}:4")
    # when an anonymous caller reads the board: the cache starts following its stream
    first = await gql.execute(BOARD, {"w": work_id})
    await _until(lambda: watch_has(cache, channel))
    # and reads it again (kept now), then its row changes without an event
    await gql.execute(BOARD, {"w": work_id})
    await PuzzleLeaderboardEntry.update({PuzzleLeaderboardEntry.nickname: "ANA"}).where(
        PuzzleLeaderboardEntry.user_id == ana.user_id
    )
    kept = await gql.execute(BOARD, {"w": work_id})
    # then the kept result is served
    assert _rows(first) == _rows(kept) == [(1, "ana", 3000)]
    # when another work's like count changes (a gallery event)
    other = await stored_work(owner.user_id, 4)
    generation = cache.generation
    await like_work(viewer=bob.principal, play_type=PlayType.PUZZLE, work_id=other)
    await _until(lambda: cache.generation > generation)
    # then the board is still served from the cache
    assert _rows(await gql.execute(BOARD, {"w": work_id})) == [(1, "ana", 3000)]
    # when bob sets a better time (an event on the board's stream)
    generation = cache.generation
    await _record(work_id, bob, 2000)
    await _until(lambda: cache.generation > generation)
    # then the board is read again
    assert _rows(await gql.execute(BOARD, {"w": work_id})) == [
        (1, "bob", 2000),
        (2, "ANA", 3000),
    ]


def watch_has(cache: PublicCache, channel: str) -> bool:
    return cache.watch is not None and channel in cache.watch.live


async def test_a_drafts_board_is_not_found_for_anonymous_callers_and_never_kept(
    app: Any, gql: GraphQLClient
) -> None:
    # given a draft puzzle work with its owner's time
    cache = _cache(app)
    owner = await make_user()
    work_id = await stored_work(owner.user_id, 4, published=False)
    await _record(work_id, owner, 1000)
    # when an anonymous caller asks its board twice
    answers = [await gql.execute(BOARD, {"w": work_id}) for _ in range(2)]
    # then NOT_FOUND both times, nothing kept; its owner sees the board and their entry
    assert [body["errors"][0]["extensions"]["code"] for body in answers] == ["NOT_FOUND"] * 2
    assert len(cache) == 0
    mine = await gql.execute(BOARD, {"w": work_id}, token=owner.access_token)
    assert mine["data"]["puzzleLeaderboard"]["viewerEntry"] == {"rank": 1}
