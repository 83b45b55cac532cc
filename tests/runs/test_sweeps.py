"""The periodic jobs of runs (resolvers/runs/sweeps.py): expiry sweeps from any number of
processes, and the purge of old event streams."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from db.tables.realtime import RealtimeStreamCounter, RealtimeStreamEvent
from db.tables.runs import RunsRunEvent
from resolvers.runs.lifecycle import abandon_run, start_run
from resolvers.runs.model import RunStatus, run_stream
from resolvers.runs.sweeps import RunSweeper, purge_finished_events, sweep_expired
from settings import get_settings
from subscriptions.channels import stream_channel
from tests.factories.auth import make_user
from tests.factories.gallery import TEST_PLAY_TYPE, publish
from tests.factories.runs import events_of, stored_run
from tests.fixtures import FakeClock
from tests.runs.fake import LIMIT_MS, CounterRules


async def test_concurrent_sweeps_expire_each_overdue_run_once(
    clock: FakeClock, hub: Any, counter: CounterRules
) -> None:
    # given three runs whose time is up and one started later that still runs
    author, player = await make_user(), await make_user()
    work_id, _ = await publish(author.user_id)
    overdue = [
        await start_run(
            viewer=player.principal, play_type=TEST_PLAY_TYPE, work_id=work_id, mode="play"
        )
        for _ in range(3)
    ]
    clock.advance(milliseconds=LIMIT_MS - 1)
    fresh = await start_run(
        viewer=player.principal, play_type=TEST_PLAY_TYPE, work_id=work_id, mode="play"
    )
    clock.advance(milliseconds=1)
    # when three sweeps (three processes) run at once, with batches of 2
    counts = await asyncio.gather(*(sweep_expired(limit=2) for _ in range(3)))
    # then the three overdue runs expired once each, and the fresh one runs on
    assert sum(counts) == 3
    for run in overdue:
        expired = await stored_run(run.run_id)
        assert (expired.status, expired.reason, expired.elapsed_ms) == (
            RunStatus.EXPIRED,
            "TIME_UP",
            LIMIT_MS,
        )
        assert [event["kind"] for event in await events_of(run.run_id)] == ["started", "finished"]
    assert (await stored_run(fresh.run_id)).status is RunStatus.RUNNING
    assert sorted(counter.finished) == sorted((run.run_id, RunStatus.EXPIRED) for run in overdue)
    # and a later sweep finds nothing left to do
    assert await sweep_expired() == 0


async def test_the_purge_drops_event_streams_of_runs_finished_over_30_days_ago(
    clock: FakeClock, hub: Any
) -> None:
    # given a run abandoned 30 days and a second ago, one abandoned 30 seconds later, and
    # one still running
    author, player = await make_user(), await make_user()
    work_id, _ = await publish(author.user_id)

    async def run_started() -> str:
        run = await start_run(
            viewer=player.principal, play_type=TEST_PLAY_TYPE, work_id=work_id, mode="play"
        )
        return run.run_id

    old, recent, running = await run_started(), await run_started(), await run_started()
    await abandon_run(viewer=player.principal, run_id=old)
    clock.advance(seconds=30)
    await abandon_run(viewer=player.principal, run_id=recent)
    clock.advance(days=get_settings().run_event_retention_days, seconds=1 - 30)
    # when the purge runs (twice, as two processes would)
    retention = timedelta(days=get_settings().run_event_retention_days)
    purged = await asyncio.gather(
        purge_finished_events(older_than=retention), purge_finished_events(older_than=retention)
    )
    # then only the old run's stream is gone (events, log, counter); the run row stays
    assert sum(purged) == 1
    assert await RunsRunEvent.count().where(RunsRunEvent.run_id == old) == 0
    assert (
        await RealtimeStreamEvent.count().where(RealtimeStreamEvent.stream_key == run_stream(old))
        == 0
    )
    assert (
        await RealtimeStreamCounter.count().where(
            RealtimeStreamCounter.stream_key == run_stream(old)
        )
        == 0
    )
    assert (await stored_run(old)).status is RunStatus.ABANDONED
    assert [event["kind"] for event in await events_of(recent)] == ["started", "finished"]
    assert [event["kind"] for event in await events_of(running)] == ["started"]
    # and a later purge finds nothing more to do
    assert await purge_finished_events(older_than=retention) == 0


async def test_the_sweeper_of_the_lifespan_expires_runs_on_its_own(
    clock: FakeClock, hub: Any, monkeypatch: Any
) -> None:
    # given a run whose time is up, and a sweeper running every 10 ms
    author, player = await make_user(), await make_user()
    work_id, _ = await publish(author.user_id)
    run = await start_run(
        viewer=player.principal, play_type=TEST_PLAY_TYPE, work_id=work_id, mode="play"
    )
    clock.advance(milliseconds=LIMIT_MS)
    monkeypatch.setenv("RUN_SWEEP_SECONDS", "0.01")
    get_settings.cache_clear()
    sweeper = RunSweeper(get_settings())
    # when it starts
    async with hub.subscribe(stream_channel(run_stream(run.run_id))) as events:
        await sweeper.start()
        try:
            # (the expiry publishes the run's FINISHED event after its commit)
            finished = await asyncio.wait_for(events.get(), timeout=5)
        finally:
            await sweeper.stop()
    assert finished["kind"] == "finished"
    # then the run expired without anyone touching it
    assert (await stored_run(run.run_id)).reason == "TIME_UP"
