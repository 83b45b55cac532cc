"""A story session's start (docs/rpg.md, "Start"): its seed is the first 16 hex digits of
the SHA-256 of its run id, and it has no time limit (the framework's NO_TIME_LIMIT), so it
never expires however long it waits."""

from __future__ import annotations

import hashlib

from db.tables.runs import RunsRun
from resolvers.rpg import actions
from resolvers.rpg.model import NpcAction
from resolvers.runs.model import NO_DEADLINE
from resolvers.runs.sweeps import sweep_expired
from tests.factories import rpg
from tests.factories.auth import make_user
from tests.fixtures import FakeClock


async def test_a_story_session_is_seeded_by_its_run_id_and_never_expires(
    clock: FakeClock,
) -> None:
    # given a player's new story session
    player = await make_user()
    view = await rpg.draft_session(player)
    run_id = view.session.runtime_session_id
    sid = view.session.story_session_id
    # then its seed is the first 16 hex digits of the SHA-256 of the run id
    assert view.session.seed == hashlib.sha256(run_id.encode()).hexdigest()[:16]
    assert len(view.session.seed) == 16
    # and its framework row has no time limit: 0 ms and the far deadline
    row = await RunsRun.select().where(RunsRun.run_id == run_id).first()
    assert row is not None
    assert (row["status"], row["duration_limit_ms"], row["deadline_at"]) == (
        "running",
        0,
        NO_DEADLINE,
    )
    # when 400 days pass and the sweep runs
    clock.advance(days=400)
    swept = await sweep_expired()
    # then nothing expired and the player still acts on version 0
    chatted = await actions.npc_interact(
        viewer=player.principal,
        story_session_id=sid,
        npc_id="oren",
        action=NpcAction.CHAT,
        slot_id=None,
        expected_version=0,
    )
    assert swept == 0
    assert (chatted.session.status, chatted.session.version) == ("active", 1)
    after = await RunsRun.select().where(RunsRun.run_id == run_id).first()
    assert after is not None
    assert (after["status"], after["snapshot_version"], after["reason"]) == ("running", 1, None)
