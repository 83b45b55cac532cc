"""The server's clock of a run (resolvers/runs/server_clock.py) on a time-limited play type
(the counter of tests/runs/fake.py): a PAUSED run does not expire, refuses actions with
RUN_PAUSED writing nothing, resumes with its deadline pushed by the pause, counts only the
time it ran, and may be ended by the server through the framework's finishing."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from db.transactions import write_transaction
from resolvers.runs import server_clock
from resolvers.runs.errors import RunError, RunErrorCode
from resolvers.runs.lifecycle import abandon_run, act, start_run
from resolvers.runs.model import Run, RunStatus
from resolvers.runs.sweeps import sweep_expired
from subscriptions import streams
from tests.factories.auth import TestUser, make_user
from tests.factories.gallery import TEST_PLAY_TYPE, publish
from tests.factories.runs import events_of, every_table, play_time, stored_run
from tests.fixtures import FakeClock
from tests.runs.fake import LIMIT_MS

ADD = {"kind": "add", "n": 1}


async def _running(player: TestUser) -> Run:
    author = await make_user()
    work_id, _ = await publish(author.user_id)
    return await start_run(
        viewer=player.principal, play_type=TEST_PLAY_TYPE, work_id=work_id, mode="play"
    )


async def _pause(run: Run, clock: FakeClock) -> Run | None:
    async with write_transaction():
        return await server_clock.pause(run.run_id, clock.now())


async def _resume(run: Run, clock: FakeClock) -> Run | None:
    async with write_transaction():
        return await server_clock.resume(run.run_id, clock.now())


async def test_a_paused_run_never_expires_and_resumes_with_its_deadline_pushed(
    clock: FakeClock, hub: Any
) -> None:
    # given a run that ran 10 s, then paused
    player = await make_user()
    run = await _running(player)
    clock.advance(seconds=10)
    paused = await _pause(run, clock)
    # when twice its time limit passes, and the sweep runs
    clock.advance(milliseconds=2 * LIMIT_MS)
    swept = await sweep_expired()
    during = await stored_run(run.run_id)
    # then it is still PAUSED, 10 s played
    assert paused is not None and swept == 0
    assert (during.status, during.elapsed_at(clock.now())) == (RunStatus.PAUSED, 10_000)
    # when it resumes
    resumed = await _resume(run, clock)
    # then it runs again with the pause counted apart and its deadline pushed by the pause
    assert resumed is not None
    assert (resumed.status, resumed.paused_at, resumed.paused_ms) == (
        RunStatus.RUNNING,
        None,
        2 * LIMIT_MS,
    )
    assert resumed.deadline_at == run.deadline_at + timedelta(milliseconds=2 * LIMIT_MS)
    assert resumed.elapsed_at(clock.now()) == 10_000
    # and it expires only when its played time reaches the limit, counting the whole limit
    clock.advance(milliseconds=LIMIT_MS - 10_000 - 1)
    assert await sweep_expired() == 0
    clock.advance(milliseconds=1)
    assert await sweep_expired() == 1
    expired = await stored_run(run.run_id)
    assert (expired.status, expired.elapsed_ms) == (RunStatus.EXPIRED, LIMIT_MS)
    assert await play_time(player.user_id) == LIMIT_MS


async def test_an_action_on_a_paused_run_is_refused_and_changes_nothing(
    clock: FakeClock, hub: Any
) -> None:
    # given a paused run
    player = await make_user()
    run = await _running(player)
    await _pause(run, clock)
    before = await every_table()
    # when the player acts on it
    with pytest.raises(RunError) as refused:
        await act(
            viewer=player.principal, run_id=run.run_id, expected_snapshot_version=0, action=ADD
        )
    # then RUN_PAUSED with its version, and no table changed
    assert (refused.value.code, refused.value.current_version) == (RunErrorCode.RUN_PAUSED, 0)
    assert await every_table() == before


async def test_a_paused_run_can_be_abandoned_counting_the_time_before_the_pause(
    clock: FakeClock, hub: Any
) -> None:
    # given a run that ran 4 s, then paused for a minute
    player = await make_user()
    run = await _running(player)
    clock.advance(seconds=4)
    await _pause(run, clock)
    clock.advance(minutes=1)
    # when the player abandons it
    ended = await abandon_run(viewer=player.principal, run_id=run.run_id)
    # then it is ABANDONED after 4 s of play, which his play time counts
    assert (ended.status, ended.elapsed_ms) == (RunStatus.ABANDONED, 4000)
    assert await play_time(player.user_id) == 4000


async def test_the_server_ends_a_run_once_whoever_tries_at_the_same_time(
    clock: FakeClock, hub: Any
) -> None:
    # given a run that ran 3 s
    player = await make_user()
    run = await _running(player)
    clock.advance(seconds=3)

    async def finish() -> Any:
        async with write_transaction():
            ended = await server_clock.finish(run.run_id, RunStatus.WON, "COMPLETED", clock.now())
        if ended is not None:
            await streams.publish(ended[1])
        return ended

    # when five processes' tickers end it at once
    results = await asyncio.gather(*(finish() for _ in range(5)))
    # then exactly one ended it, through the framework's finishing (one FINISHED event)
    assert sum(result is not None for result in results) == 1
    stored = await stored_run(run.run_id)
    assert (stored.status, stored.reason, stored.elapsed_ms, stored.snapshot_version) == (
        RunStatus.WON,
        "COMPLETED",
        3000,
        1,
    )
    assert [event["kind"] for event in await events_of(run.run_id)] == ["started", "finished"]
    assert await play_time(player.user_id) == 3000
