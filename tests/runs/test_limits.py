"""Runs under concurrency and at their limits: one action per version, at most 20
unfinished runs per user, on both engines."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from db.tables.runs import RunsRun
from resolvers.runs.errors import RunError, RunErrorCode
from resolvers.runs.lifecycle import abandon_run, act, start_run
from resolvers.runs.model import Run, RunStatus
from settings import get_settings
from tests.factories.auth import TestUser, make_user
from tests.factories.gallery import TEST_PLAY_TYPE, publish
from tests.factories.runs import events_of, every_table, stored_run
from tests.fixtures import FakeClock
from tests.runs.fake import LIMIT_MS, CounterRules

ADD = {"kind": "add", "n": 1}


async def _start(player: TestUser, work_id: str) -> Run:
    return await start_run(
        viewer=player.principal, play_type=TEST_PLAY_TYPE, work_id=work_id, mode="play"
    )


async def test_twenty_concurrent_actions_on_one_version_apply_exactly_once(
    clock: FakeClock, hub: Any, counter: CounterRules
) -> None:
    # given a running run at version 0
    author, player = await make_user(), await make_user()
    work_id, _ = await publish(author.user_id)
    run = await _start(player, work_id)
    # when 20 actions expecting version 0 arrive at once
    results = await asyncio.gather(
        *(
            act(viewer=player.principal, run_id=run.run_id, expected_snapshot_version=0, action=ADD)
            for _ in range(20)
        ),
        return_exceptions=True,
    )
    # then exactly one applied; the others were told the version moved on
    applied = [result for result in results if isinstance(result, Run)]
    refused = [result for result in results if isinstance(result, RunError)]
    assert len(applied) == 1 and len(refused) == 19
    assert {(error.code, error.current_version) for error in refused} == {
        (RunErrorCode.SNAPSHOT_STALE, 1)
    }
    assert (await stored_run(run.run_id)).snapshot_version == 1
    assert counter.counts[run.run_id] == 1
    assert [event["kind"] for event in await events_of(run.run_id)] == ["started", "action"]


async def test_an_action_and_an_abandon_at_once_never_both_apply(
    clock: FakeClock, hub: Any
) -> None:
    # given a running run at version 0
    author, player = await make_user(), await make_user()
    work_id, _ = await publish(author.user_id)
    run = await _start(player, work_id)
    # when an action and an abandon race
    results = await asyncio.gather(
        act(viewer=player.principal, run_id=run.run_id, expected_snapshot_version=0, action=ADD),
        abandon_run(viewer=player.principal, run_id=run.run_id),
        return_exceptions=True,
    )
    # then the run ended ABANDONED, and its events are one consistent story
    final = await stored_run(run.run_id)
    assert final.status is RunStatus.ABANDONED
    kinds = [event["kind"] for event in await events_of(run.run_id)]
    if isinstance(results[0], Run):  # the action came first
        assert kinds == ["started", "action", "finished"] and final.snapshot_version == 2
    else:
        assert isinstance(results[0], RunError)
        assert results[0].code is RunErrorCode.RUN_FINISHED
        assert kinds == ["started", "finished"] and final.snapshot_version == 1


async def test_at_most_twenty_unfinished_runs_per_user(clock: FakeClock, hub: Any) -> None:
    # given a player with 20 running runs
    author, player = await make_user(), await make_user()
    work_id, _ = await publish(author.user_id)
    runs = [await _start(player, work_id) for _ in range(get_settings().run_limit)]
    before = await every_table()
    # when they start a 21st
    with pytest.raises(RunError) as refused:
        await _start(player, work_id)
    # then it is refused and nothing was written
    assert refused.value.code is RunErrorCode.RUN_LIMIT_REACHED
    assert await every_table() == before
    # and abandoning one makes room for one more
    await abandon_run(viewer=player.principal, run_id=runs[0].run_id)
    await _start(player, work_id)
    with pytest.raises(RunError):
        await _start(player, work_id)


async def test_runs_whose_time_is_up_do_not_count_toward_the_limit(
    clock: FakeClock, hub: Any
) -> None:
    # given a player whose 20 runs' time is up (not swept yet)
    author, player = await make_user(), await make_user()
    work_id, _ = await publish(author.user_id)
    for _ in range(get_settings().run_limit):
        await _start(player, work_id)
    clock.advance(milliseconds=LIMIT_MS)
    # when they start another
    run = await _start(player, work_id)
    # then it runs
    assert run.status is RunStatus.RUNNING


async def test_concurrent_starts_never_pass_the_limit(clock: FakeClock, hub: Any) -> None:
    # given a player with 15 running runs
    author, player = await make_user(), await make_user()
    work_id, _ = await publish(author.user_id)
    for _ in range(15):
        await _start(player, work_id)
    # when 10 more starts arrive at once
    results = await asyncio.gather(
        *(_start(player, work_id) for _ in range(10)), return_exceptions=True
    )
    # then exactly 5 started and 5 were refused
    assert sum(isinstance(result, Run) for result in results) == 5
    refused = [result for result in results if isinstance(result, RunError)]
    assert [error.code for error in refused] == [RunErrorCode.RUN_LIMIT_REACHED] * 5
    running = await RunsRun.count().where(
        (RunsRun.owner_user_id == player.user_id) & (RunsRun.status == "running")
    )
    assert running == get_settings().run_limit
