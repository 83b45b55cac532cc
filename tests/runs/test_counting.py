"""What runs count (resolvers/runs/played.py): plays once per 10 minutes, nothing for TEST
runs, and no runs at all for a play type without rules."""

from __future__ import annotations

from typing import Any

import pytest

from db.tables.profile import ProfilePlayedWorld
from resolvers.errors import BadUserInput, NotFound
from resolvers.gallery.play_types import PlayType
from resolvers.runs.errors import RunError, RunErrorCode
from resolvers.runs.lifecycle import act, start_run
from resolvers.runs.model import RunMode, RunStatus
from resolvers.worlds.plugin import CUSTOM_WORLD
from tests.factories.auth import make_user
from tests.factories.gallery import TEST_PLAY_TYPE, publish
from tests.factories.runs import every_table, play_count, play_time
from tests.fixtures import FakeClock
from tests.runs.fake import CounterRules


async def test_plays_count_once_per_user_and_work_every_ten_minutes(
    clock: FakeClock, hub: Any
) -> None:
    # given a published work and a player
    author, player, other = await make_user(), await make_user(), await make_user()
    work_id, _ = await publish(author.user_id)

    async def play(user: Any) -> None:
        await start_run(
            viewer=user.principal, play_type=TEST_PLAY_TYPE, work_id=work_id, mode="play"
        )

    # when the player starts runs at 0, 9:59 and 10:01, and another player once
    await play(player)
    clock.advance(minutes=9, seconds=59)
    await play(player)
    counted_within = await play_count(work_id)
    clock.advance(seconds=2)
    await play(player)
    await play(other)
    # then the second run counted nothing, the third and the other player's did
    assert counted_within == 1
    assert await play_count(work_id) == 3


async def test_a_test_run_plays_your_own_draft_and_counts_nothing(
    clock: FakeClock, hub: Any, counter: CounterRules
) -> None:
    # given a draft of the player's own
    player, other = await make_user(), await make_user()
    counter.drafts["draft-1"] = player.user_id
    # when they TEST it to a win
    run = await start_run(
        viewer=player.principal, play_type=TEST_PLAY_TYPE, work_id="draft-1", mode="test"
    )
    clock.advance(seconds=3)
    won = await act(
        viewer=player.principal,
        run_id=run.run_id,
        expected_snapshot_version=0,
        action={"kind": "add", "n": 3},
    )
    # then the run was refereed as usual but no play, played work or play time was written
    assert (won.mode, won.status, won.elapsed_ms) == (RunMode.TEST, RunStatus.WON, 3_000)
    assert await ProfilePlayedWorld.select() == []
    assert await play_time(player.user_id) == 0
    # and someone else's draft is NOT_FOUND, and writes nothing
    before = await every_table()
    with pytest.raises(NotFound):
        await start_run(
            viewer=other.principal, play_type=TEST_PLAY_TYPE, work_id="draft-1", mode="test"
        )
    assert await every_table() == before


async def test_a_play_type_without_runs_is_unsupported(
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a user and custom worlds made a play type without runs for the test (every
    # built play type has runs now) / when they start a run of it
    monkeypatch.setattr(CUSTOM_WORLD, "runs", None)
    player = await make_user()
    with pytest.raises(RunError) as refused:
        await start_run(
            viewer=player.principal, play_type=PlayType.CUSTOM_WORLD, work_id="w", mode="play"
        )
    # then it is PLAY_TYPE_UNSUPPORTED
    assert (refused.value.code, refused.value.field) == (
        RunErrorCode.PLAY_TYPE_UNSUPPORTED,
        "playType",
    )


async def test_a_work_id_longer_than_128_characters_is_bad_input(clock: FakeClock) -> None:
    # given a user / when they start a run of a work id of 129 characters
    player = await make_user()
    before = await every_table()
    with pytest.raises(BadUserInput):
        await start_run(
            viewer=player.principal, play_type=TEST_PLAY_TYPE, work_id="w" * 129, mode="play"
        )
    # then it is refused before anything is written
    assert await every_table() == before
