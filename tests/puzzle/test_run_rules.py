"""The puzzle's run rules on their own (resolvers/puzzle/runs.py), inside a write
transaction as the framework calls them: levels dealt from the seed, swaps, solves, the
catalog columns, leaderboard times in PLAY mode only, refusals that write nothing."""

from __future__ import annotations

from typing import Any

import pytest

from db.tables.puzzle import PuzzleLeaderboardEntry, PuzzleLeaderboardEvent
from db.transactions import write_transaction
from resolvers import clock as clock_module
from resolvers.puzzle import grids
from resolvers.puzzle.plugin import PUZZLE
from resolvers.puzzle.run_state import PuzzleRunState
from resolvers.puzzle.runs import PUZZLE_RUNS
from resolvers.runs.errors import RunError, RunErrorCode
from resolvers.runs.model import Outcome, Run, RunMode, RunStatus
from tests.factories.auth import make_user
from tests.factories.puzzle_runs import draft_with, run_of, stored_work
from tests.factories.runs import every_table
from tests.fixtures import FakeClock


async def _started(work_id: str, user_id: str, mode: RunMode) -> tuple[Run, PuzzleRunState]:
    work = await PUZZLE_RUNS.playable_work(work_id=work_id, mode=mode, user_id=user_id)
    assert work is not None
    run = run_of(work_id, user_id, mode, clock_module.now())
    async with write_transaction():
        await PUZZLE_RUNS.start(run=run, work=work, now=clock_module.now())
    return run, await _state(run)


async def _state(run: Run) -> PuzzleRunState:
    return (await PUZZLE_RUNS.states([run.run_id]))[run.run_id]


async def _act(run: Run, action: dict[str, Any]) -> Outcome:
    async with write_transaction():
        return await PUZZLE_RUNS.apply(run=run, action=action, now=clock_module.now())


async def _solve_level(run: Run, clock: FakeClock, seconds: float) -> Outcome:
    """Play the current level's solving swaps, the last one `seconds` after its start."""
    swaps = grids.solving_swaps((await _state(run)).snapshot_json["tiles"])
    for a, b in swaps[:-1]:
        assert (await _act(run, grids.swap_action(a, b))).event["solved"] is False
    clock.advance(seconds=seconds)
    return await _act(run, grids.swap_action(*swaps[-1]))


async def test_a_play_run_deals_the_first_published_level_from_its_seed(clock: FakeClock) -> None:
    # given a published work of two levels (3x3, then 4x4)
    owner, player = await make_user(), await make_user()
    work_id = await stored_work(owner.user_id, 3, 4)
    # when a player's run starts
    _, state = await _started(work_id, player.user_id, RunMode.PLAY)
    # then its state is the catalog row with the first level dealt from the run's seed
    snapshot = state.snapshot_json
    assert (state.owner_user_id, state.entry_profile_id, state.current_profile_id) == (
        player.user_id,
        work_id,
        work_id,
    )
    assert (state.cleared_level_count, state.current_level_index) == (0, 0)
    assert state.current_grid_size == 3
    assert (state.played_profile_ids_json, state.previous_level_tags_json) == ([], [])
    assert snapshot["levels"] == [
        {"levelId": "level0", "name": "Level 0", "gridSize": 3},
        {"levelId": "level1", "name": "Level 1", "gridSize": 4},
    ]
    assert snapshot["tags"] == ["sea", "evening"]
    assert snapshot["tiles"] == grids.shuffled(snapshot["seed"], 0, 3)
    assert snapshot["levelStartedAt"] == clock.now().isoformat()
    assert snapshot["levelTimesMs"] == []


async def test_solving_each_level_advances_the_run_and_the_last_one_wins(
    clock: FakeClock,
) -> None:
    # given a player's run on a published work of two levels
    owner, player = await make_user(), await make_user()
    work_id = await stored_work(owner.user_id, 3, 4)
    run, _ = await _started(work_id, player.user_id, RunMode.PLAY)
    # when they solve the first level in 2.5 s
    first = await _solve_level(run, clock, 2.5)
    # then it is cleared, timed, and the second level is dealt
    state = await _state(run)
    assert first.event == {
        "kind": "swap",
        "a": first.event["a"],
        "b": first.event["b"],
        "solved": True,
        "levelIndex": 0,
        "elapsedMs": 2500,
    }
    assert (first.status, first.reason) == (None, None)
    assert (state.cleared_level_count, state.current_level_index) == (1, 1)
    assert state.current_grid_size == 4
    assert state.played_profile_ids_json == [work_id]
    assert state.previous_level_tags_json == ["sea", "evening"]
    assert state.snapshot_json["tiles"] == grids.shuffled(state.snapshot_json["seed"], 1, 4)
    assert state.snapshot_json["levelTimesMs"] == [2500]
    # when they solve the second level in 4 s
    last = await _solve_level(run, clock, 4)
    # then the run is won, and both times are on the leaderboards
    state = await _state(run)
    assert (last.status, last.reason) == (RunStatus.WON, "COMPLETED")
    assert state.cleared_level_count == 2
    assert state.snapshot_json["levelTimesMs"] == [2500, 4000]
    assert grids.is_solved(state.snapshot_json["tiles"])
    board = await PuzzleLeaderboardEntry.select(
        PuzzleLeaderboardEntry.grid_size,
        PuzzleLeaderboardEntry.user_id,
        PuzzleLeaderboardEntry.nickname,
        PuzzleLeaderboardEntry.best_elapsed_ms,
        PuzzleLeaderboardEntry.last_run_id,
    ).order_by(PuzzleLeaderboardEntry.grid_size)
    assert board == [
        {
            "grid_size": size,
            "user_id": player.user_id,
            "nickname": player.username,
            "best_elapsed_ms": elapsed,
            "last_run_id": run.run_id,
        }
        for size, elapsed in ((3, 2500), (4, 4000))
    ]
    assert [entry.stream for entry in first.entries + last.entries] == [
        f"puzzle:lb:{work_id}:3",
        f"puzzle:lb:{work_id}:4",
    ]


async def test_the_winning_actions_win_from_any_point(clock: FakeClock) -> None:
    # given a run of three levels with a few swaps already made
    owner = await make_user()
    work_id = await stored_work(owner.user_id, 5, 3, 8)
    run, _ = await _started(work_id, owner.user_id, RunMode.PLAY)
    await _act(run, grids.swap_action(0, 1))
    await _act(run, grids.swap_action(2, 3))
    # when the rules' winning actions are played from there
    actions = PUZZLE_RUNS.winning_actions(await _state(run))
    outcomes = [await _act(run, action) for action in actions]
    # then only the last one wins, after three solves
    assert [outcome.status for outcome in outcomes][-1] is RunStatus.WON
    assert {outcome.status for outcome in outcomes[:-1]} == {None}
    assert sum(outcome.event["solved"] for outcome in outcomes) == 3
    assert PUZZLE_RUNS.winning_actions(await _state(run)) == []


async def test_a_test_run_plays_the_owners_current_draft_and_writes_no_leaderboard(
    clock: FakeClock,
) -> None:
    # given a creator whose session draft has a 5x5 level and one without a grid size yet
    owner = await make_user()
    started = await PUZZLE.start_session(viewer=owner.principal, seed_text="")
    draft = draft_with(5, tags=["draft"])
    draft["levels"].append({"levelId": "later", "name": "Later", "gridSize": None})
    await PUZZLE.autosave(
        viewer=owner.principal, session_id=started.session_id, seed_text=None, draft=draft
    )
    # when they test it to the end
    run, state = await _started(started.work_id, owner.user_id, RunMode.TEST)
    outcomes = [await _act(run, action) for action in PUZZLE_RUNS.winning_actions(state)]
    # then the run walked the playable level only, and no leaderboard was written
    assert state.snapshot_json["levels"] == [
        {"levelId": "level0", "name": "Level 0", "gridSize": 5}
    ]
    assert outcomes[-1].status is RunStatus.WON
    assert all(outcome.entries == [] for outcome in outcomes)
    assert await PuzzleLeaderboardEntry.count() == 0
    assert await PuzzleLeaderboardEvent.count() == 0


async def test_only_published_works_play_and_only_the_owner_tests(clock: FakeClock) -> None:
    # given a draft work, a published one, and a draft without any grid size
    owner, stranger = await make_user(), await make_user()
    draft_id = await stored_work(owner.user_id, 3, published=False)
    published_id = await stored_work(owner.user_id, 3)
    started = await PUZZLE.start_session(viewer=owner.principal, seed_text="")
    # when each is asked for in each mode
    found = {
        name: await PUZZLE_RUNS.playable_work(work_id=work_id, mode=mode, user_id=user_id)
        for name, work_id, mode, user_id in [
            ("draft played", draft_id, RunMode.PLAY, owner.user_id),
            ("unknown", "01NOSUCHWORK0000000000000", RunMode.PLAY, owner.user_id),
            ("tested by a stranger", started.work_id, RunMode.TEST, stranger.user_id),
            ("tested without levels", started.work_id, RunMode.TEST, owner.user_id),
            ("published played", published_id, RunMode.PLAY, stranger.user_id),
        ]
    }
    # then only the published work is playable
    assert [name for name, work in found.items() if work is not None] == ["published played"]
    playable = found["published played"]
    assert playable is not None
    assert (playable.title, playable.owner_user_id) == ("Harbour Lights", owner.user_id)
    assert playable.subtitle == "Three evenings at the old harbour."


@pytest.mark.parametrize(
    "action",
    [
        {"kind": "swap", "a": 9, "b": 0},
        {"kind": "swap", "a": 4, "b": 4},
        {"kind": "swap", "a": 0},
    ],
)
async def test_a_refused_swap_writes_nothing(clock: FakeClock, action: dict[str, Any]) -> None:
    # given a run on a 3x3 level
    owner = await make_user()
    work_id = await stored_work(owner.user_id, 3)
    run, _ = await _started(work_id, owner.user_id, RunMode.PLAY)
    before = await every_table()
    # when a swap outside the grid, with itself or malformed is applied
    with pytest.raises(RunError) as refused:
        await _act(run, action)
    # then it is refused and no table changed
    assert refused.value.code in (RunErrorCode.ILLEGAL_MOVE, RunErrorCode.ACTION_INVALID)
    assert await every_table() == before


async def test_the_rules_name_an_illegal_action(clock: FakeClock) -> None:
    # given a run / when its illegal action is applied
    owner = await make_user()
    run, state = await _started(await stored_work(owner.user_id, 4), owner.user_id, RunMode.PLAY)
    with pytest.raises(RunError) as refused:
        await _act(run, PUZZLE_RUNS.illegal_action(state))
    # then the rules refuse it as an illegal move
    assert refused.value.code == RunErrorCode.ILLEGAL_MOVE
