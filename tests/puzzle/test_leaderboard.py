"""Puzzle leaderboards (resolvers/puzzle/leaderboard.py): best time per (user, work, grid
size), ranks with ties, pages with the viewer's own entry, one event per improvement, and
concurrent finishes of one user keeping the minimum on both engines."""

from __future__ import annotations

import asyncio

import pytest

from db.tables.puzzle import PuzzleLeaderboardEntry, PuzzleLeaderboardEvent
from db.transactions import write_transaction
from resolvers import clock as clock_module
from resolvers.errors import BadUserInput, NotFound
from resolvers.gallery.play_types import PlayType
from resolvers.principal import ANONYMOUS
from resolvers.puzzle import leaderboard
from resolvers.puzzle.runs import PUZZLE_RUNS
from resolvers.runs import lifecycle
from resolvers.runs.model import RunStatus
from subscriptions import streams
from tests.factories.auth import TestUser, make_user
from tests.factories.puzzle_runs import stored_work
from tests.fixtures import FakeClock


async def _record(work_id: str, user: TestUser, elapsed_ms: int, run_id: str = "run") -> int:
    async with write_transaction():
        entries = await leaderboard.record_time(
            work_id=work_id,
            grid_size=4,
            user_id=user.user_id,
            run_id=run_id,
            elapsed_ms=elapsed_ms,
            now=clock_module.now(),
        )
    return len(entries)


def _rows(board: leaderboard.Leaderboard) -> list[tuple[int, str, int]]:
    return [(entry.rank, entry.nickname, entry.best_elapsed_ms) for entry in board.page.items]


async def _events(work_id: str) -> list[tuple[str, int, int]]:
    entries = await streams.replay(f"puzzle:lb:{work_id}:4", after=0, limit=100)
    rows = await leaderboard.events_by_ids([entry.event_id for entry in entries])
    return [
        (
            rows[entry.event_id].nickname,
            rows[entry.event_id].best_elapsed_ms,
            rows[entry.event_id].rank,
        )
        for entry in entries
    ]


async def test_ranks_count_better_times_and_ties_go_to_the_earlier_entry(
    clock: FakeClock,
) -> None:
    # given five players' times on one board: a tie in time (ana before cai) and a tie in
    # time and moment (dan and eve)
    owner = await make_user()
    work_id = await stored_work(owner.user_id, 4)
    ana, bob, cai, dan, eve = [
        await make_user(name) for name in ("ana", "bob", "cai", "dan", "eve")
    ]
    await _record(work_id, ana, 3000)
    clock.advance(seconds=1)
    await _record(work_id, bob, 2000)
    clock.advance(seconds=1)
    await _record(work_id, cai, 3000)
    clock.advance(seconds=1)
    await _record(work_id, dan, 5000)
    await _record(work_id, eve, 5000)
    # when dan reads it two entries at a time
    first = await leaderboard.leaderboard(
        viewer=dan.principal, work_id=work_id, grid_size=4, first=2
    )
    second = await leaderboard.leaderboard(
        viewer=dan.principal, work_id=work_id, grid_size=4, first=2, after=first.page.cursors[-1]
    )
    third = await leaderboard.leaderboard(
        viewer=dan.principal, work_id=work_id, grid_size=4, first=2, after=second.page.cursors[-1]
    )
    # then ranks are 1 + the better entries, across pages, and dan sees his own entry
    assert _rows(first) == [(1, "bob", 2000), (2, "ana", 3000)]
    assert _rows(second)[0] == (3, "cai", 3000)
    assert sorted(_rows(second)[1:] + _rows(third)) == [(4, "dan", 5000), (4, "eve", 5000)]
    assert (first.page.has_next_page, second.page.has_next_page) == (True, True)
    assert third.page.has_next_page is False
    assert first.viewer_entry is not None
    assert (first.viewer_entry.rank, first.viewer_entry.best_elapsed_ms) == (4, 5000)
    assert first.viewer_entry.user_id == dan.user_id


async def test_only_a_better_time_changes_the_entry_and_makes_an_event(
    clock: FakeClock,
) -> None:
    # given a player's first time on a board, after someone faster
    owner, fast, player = await make_user(), await make_user("fast"), await make_user("mei")
    work_id = await stored_work(owner.user_id, 4)
    await _record(work_id, fast, 1000)
    first = await _record(work_id, player, 3000, "run1")
    # when they finish slower, equal, then faster
    clock.advance(seconds=5)
    slower = await _record(work_id, player, 4000, "run2")
    equal = await _record(work_id, player, 3000, "run3")
    faster = await _record(work_id, player, 800, "run4")
    # then only the first and the faster times were kept, each with one event and its rank
    assert (first, slower, equal, faster) == (1, 0, 0, 1)
    rows = await PuzzleLeaderboardEntry.select(
        PuzzleLeaderboardEntry.nickname,
        PuzzleLeaderboardEntry.best_elapsed_ms,
        PuzzleLeaderboardEntry.last_run_id,
    ).where(PuzzleLeaderboardEntry.user_id == player.user_id)
    assert rows == [{"nickname": "mei", "best_elapsed_ms": 800, "last_run_id": "run4"}]
    assert await _events(work_id) == [("fast", 1000, 1), ("mei", 3000, 2), ("mei", 800, 1)]


async def test_anyone_reads_a_published_board_and_nobody_else_a_draft_one(
    clock: FakeClock,
) -> None:
    # given a published work with one time, and someone's draft
    owner, player = await make_user(), await make_user("player")
    work_id = await stored_work(owner.user_id, 4)
    draft_id = await stored_work(owner.user_id, 4, published=False)
    await _record(work_id, player, 1234)
    # when an anonymous visitor reads the published board
    board = await leaderboard.leaderboard(viewer=ANONYMOUS, work_id=work_id, grid_size=4)
    # then they see it without an entry of their own
    assert _rows(board) == [(1, "player", 1234)]
    assert board.viewer_entry is None
    # and the draft's board, or a grid size outside 3..8, is refused
    with pytest.raises(NotFound):
        await leaderboard.leaderboard(viewer=player.principal, work_id=draft_id, grid_size=4)
    for size in (2, 9):
        with pytest.raises(BadUserInput):
            await leaderboard.leaderboard(viewer=ANONYMOUS, work_id=work_id, grid_size=size)


async def test_twenty_concurrent_finishes_of_one_user_keep_the_best_time(
    clock: FakeClock,
) -> None:
    # given twenty runs of one player on a 4x4 work, started a second apart, each one swap
    # from solving it
    owner, player = await make_user(), await make_user("mei")
    work_id = await stored_work(owner.user_id, 4)
    runs = []
    for _ in range(20):
        run = await lifecycle.start_run(
            viewer=player.principal, play_type=PlayType.PUZZLE, work_id=work_id, mode="play"
        )
        state = (await PUZZLE_RUNS.states([run.run_id]))[run.run_id]
        actions = PUZZLE_RUNS.winning_actions(state)
        version = 0
        for action in actions[:-1]:
            run = await lifecycle.act(
                viewer=player.principal,
                run_id=run.run_id,
                expected_snapshot_version=version,
                action=action,
            )
            version = run.snapshot_version
        runs.append((run, actions[-1]))
        clock.advance(seconds=1)
    # when all twenty finish at once
    finished = await asyncio.gather(
        *[
            lifecycle.act(
                viewer=player.principal,
                run_id=run.run_id,
                expected_snapshot_version=run.snapshot_version,
                action=last,
            )
            for run, last in runs
        ]
    )
    # then every run is won, one entry holds the best time (the last-started run's, 1 s),
    # and each event improved on the one before
    assert {run.status for run in finished} == {RunStatus.WON}
    rows = await PuzzleLeaderboardEntry.select(
        PuzzleLeaderboardEntry.best_elapsed_ms, PuzzleLeaderboardEntry.last_run_id
    )
    assert rows == [{"best_elapsed_ms": 1000, "last_run_id": runs[-1][0].run_id}]
    times = [elapsed for _, elapsed, _ in await _events(work_id)]
    assert times == sorted(times, reverse=True)
    assert len(set(times)) == len(times)
    assert times[-1] == 1000
    assert await PuzzleLeaderboardEvent.count() == len(times)
