"""The run framework through its resolvers (resolvers/runs/lifecycle.py), with the counter
play type of tests/runs/fake.py: start, act, win, lose, abandon, expire, and every refusal
writing nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from db.tables.profile import ProfilePlayedWorld
from resolvers.errors import NotFound
from resolvers.gallery.play_types import PlayType
from resolvers.runs.errors import RunError, RunErrorCode
from resolvers.runs.lifecycle import abandon_run, act, start_run
from resolvers.runs.model import RunMode, RunStatus
from tests.factories.auth import make_user
from tests.factories.gallery import TEST_PLAY_TYPE, publish
from tests.factories.runs import events_of, every_table, play_count, play_time, stored_run
from tests.fixtures import FakeClock
from tests.runs.fake import LIMIT_MS, CounterRules

ADD = {"kind": "add", "n": 1}


async def test_a_play_run_starts_running_and_counts_a_play_and_the_played_work(
    clock: FakeClock, hub: Any
) -> None:
    # given a published work of another user
    author, player = await make_user(), await make_user()
    work_id, _ = await publish(author.user_id, title="Counting Sheep")
    # when the player starts a PLAY run
    run = await start_run(
        viewer=player.principal, play_type=TEST_PLAY_TYPE, work_id=work_id, mode="play"
    )
    # then it runs at version 0 with the play type's limit, and one play is counted
    stored = await stored_run(run.run_id)
    assert stored == run
    assert (stored.status, stored.mode, stored.snapshot_version) == (
        RunStatus.RUNNING,
        RunMode.PLAY,
        0,
    )
    assert stored.deadline_at - stored.started_at == timedelta(milliseconds=LIMIT_MS)
    assert await play_count(work_id) == 1
    played = await ProfilePlayedWorld.select().where(ProfilePlayedWorld.user_id == player.user_id)
    assert [
        (row["world_key"], row["world_title"], row["owner_user_id"], row["world_type"])
        for row in played
    ] == [
        (
            f"{TEST_PLAY_TYPE.value}:{work_id}",
            "Counting Sheep",
            author.user_id,
            TEST_PLAY_TYPE.value,
        )
    ]
    assert await events_of(run.run_id) == [
        {
            "sequence": 1,
            "kind": "started",
            "version": 0,
            "status": "running",
            "payload": {"target": 3},
        }
    ]


async def test_actions_bump_the_version_until_the_rules_win_the_run(
    clock: FakeClock, hub: Any, counter: CounterRules
) -> None:
    # given a running PLAY run
    author, player = await make_user(), await make_user()
    work_id, _ = await publish(author.user_id)
    run = await start_run(
        viewer=player.principal, play_type=TEST_PLAY_TYPE, work_id=work_id, mode="play"
    )
    # when three actions are applied, 5 seconds apart, each on the version before
    versions = []
    for version in range(3):
        clock.advance(seconds=5)
        after = await act(
            viewer=player.principal,
            run_id=run.run_id,
            expected_snapshot_version=version,
            action=ADD,
        )
        versions.append((after.snapshot_version, after.status))
    # then each bumped the version, and the third won the run after 15 s of play
    assert versions == [(1, RunStatus.RUNNING), (2, RunStatus.RUNNING), (3, RunStatus.WON)]
    won = await stored_run(run.run_id)
    assert (won.status, won.reason, won.elapsed_ms, won.finished_at) == (
        RunStatus.WON,
        "COMPLETED",
        15_000,
        clock.current,
    )
    assert [
        (event["kind"], event["version"], event["status"]) for event in await events_of(run.run_id)
    ] == [
        ("started", 0, "running"),
        ("action", 1, "running"),
        ("action", 2, "running"),
        ("action", 3, "running"),
        ("finished", 3, "won"),
    ]
    # and the play time, the played work and the play type's bookkeeping followed
    assert await play_time(player.user_id) == 15_000
    played = await ProfilePlayedWorld.select().where(ProfilePlayedWorld.user_id == player.user_id)
    assert [row["last_observed_play_time_ms"] for row in played] == [15_000]
    assert counter.finished == [(run.run_id, RunStatus.WON)]


async def test_a_losing_action_ends_the_run_with_the_rules_reason(
    clock: FakeClock, hub: Any
) -> None:
    # given a running PLAY run
    author, player = await make_user(), await make_user()
    work_id, _ = await publish(author.user_id)
    run = await start_run(
        viewer=player.principal, play_type=TEST_PLAY_TYPE, work_id=work_id, mode="play"
    )
    # when the player gives up after 2 seconds
    clock.advance(seconds=2)
    lost = await act(
        viewer=player.principal,
        run_id=run.run_id,
        expected_snapshot_version=0,
        action={"kind": "give_up"},
    )
    # then the run is LOST with the play type's reason, and its 2 s count
    assert (lost.status, lost.reason, lost.snapshot_version, lost.elapsed_ms) == (
        RunStatus.LOST,
        "GAVE_UP",
        1,
        2_000,
    )
    assert await play_time(player.user_id) == 2_000


async def test_refused_actions_change_no_table(clock: FakeClock, hub: Any) -> None:
    # given a running run at version 1 and another user
    author, player, other = await make_user(), await make_user(), await make_user()
    work_id, _ = await publish(author.user_id)
    run = await start_run(
        viewer=player.principal, play_type=TEST_PLAY_TYPE, work_id=work_id, mode="play"
    )
    await act(viewer=player.principal, run_id=run.run_id, expected_snapshot_version=0, action=ADD)
    before = await every_table()
    # when a stale version, an illegal move, another user and a missing run are tried
    with pytest.raises(RunError) as stale:
        await act(
            viewer=player.principal, run_id=run.run_id, expected_snapshot_version=0, action=ADD
        )
    with pytest.raises(RunError) as illegal:
        await act(
            viewer=player.principal,
            run_id=run.run_id,
            expected_snapshot_version=1,
            action={"kind": "add", "n": 9},
        )
    with pytest.raises(NotFound) as foreign:
        await act(
            viewer=other.principal, run_id=run.run_id, expected_snapshot_version=1, action=ADD
        )
    with pytest.raises(NotFound) as missing:
        await act(
            viewer=player.principal, run_id="01MISSING", expected_snapshot_version=1, action=ADD
        )
    with pytest.raises(NotFound) as wrong_type:
        await act(
            viewer=player.principal,
            run_id=run.run_id,
            expected_snapshot_version=1,
            action=ADD,
            play_type=PlayType.PUZZLE,
        )
    # then each is refused as it should be, and no table changed
    assert (stale.value.code, stale.value.current_version) == (RunErrorCode.SNAPSHOT_STALE, 1)
    assert (illegal.value.code, illegal.value.field) == (RunErrorCode.ILLEGAL_MOVE, "action")
    assert str(foreign.value) == str(missing.value) == str(wrong_type.value) == "No such run."
    assert await every_table() == before


async def test_an_action_after_the_end_is_refused_and_changes_nothing(
    clock: FakeClock, hub: Any
) -> None:
    # given a run that was abandoned at version 1
    author, player = await make_user(), await make_user()
    work_id, _ = await publish(author.user_id)
    run = await start_run(
        viewer=player.principal, play_type=TEST_PLAY_TYPE, work_id=work_id, mode="play"
    )
    abandoned = await abandon_run(viewer=player.principal, run_id=run.run_id)
    before = await every_table()
    # when the player acts on it, or abandons it again
    with pytest.raises(RunError) as acted:
        await act(
            viewer=player.principal, run_id=run.run_id, expected_snapshot_version=1, action=ADD
        )
    with pytest.raises(RunError) as again:
        await abandon_run(viewer=player.principal, run_id=run.run_id)
    # then both are RUN_FINISHED with the current version, and nothing changed
    assert (abandoned.status, abandoned.reason, abandoned.snapshot_version) == (
        RunStatus.ABANDONED,
        "ABANDONED",
        1,
    )
    assert (acted.value.code, acted.value.current_version) == (RunErrorCode.RUN_FINISHED, 1)
    assert (again.value.code, again.value.current_version) == (RunErrorCode.RUN_FINISHED, 1)
    assert await every_table() == before


async def test_a_late_action_expires_the_run_and_never_finishes_it(
    clock: FakeClock, hub: Any, counter: CounterRules
) -> None:
    # given a run one action from winning, and its time limit passed by a millisecond
    author, player = await make_user(), await make_user()
    work_id, _ = await publish(author.user_id)
    run = await start_run(
        viewer=player.principal, play_type=TEST_PLAY_TYPE, work_id=work_id, mode="play"
    )
    await act(
        viewer=player.principal,
        run_id=run.run_id,
        expected_snapshot_version=0,
        action={"kind": "add", "n": 2},
    )
    clock.advance(milliseconds=LIMIT_MS + 1)
    # when the winning action arrives
    with pytest.raises(RunError) as late:
        await act(
            viewer=player.principal, run_id=run.run_id, expected_snapshot_version=1, action=ADD
        )
    # then the run EXPIRED (TIME_UP) at its deadline instead, counting the whole limit
    assert (late.value.code, late.value.current_version) == (RunErrorCode.RUN_FINISHED, 2)
    expired = await stored_run(run.run_id)
    assert (expired.status, expired.reason, expired.elapsed_ms, expired.finished_at) == (
        RunStatus.EXPIRED,
        "TIME_UP",
        LIMIT_MS,
        expired.deadline_at,
    )
    assert counter.counts[run.run_id] == 2
    assert counter.finished == [(run.run_id, RunStatus.EXPIRED)]
    assert await play_time(player.user_id) == LIMIT_MS
    # and a second late request changes nothing more
    before = await every_table()
    with pytest.raises(RunError) as again:
        await act(
            viewer=player.principal, run_id=run.run_id, expected_snapshot_version=2, action=ADD
        )
    assert again.value.code is RunErrorCode.RUN_FINISHED
    assert await every_table() == before
