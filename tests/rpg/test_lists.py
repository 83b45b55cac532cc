"""Reading story sessions: a page of runs costs the same for two sessions or six; a turn
whose task finished while no listener ran is applied on the next read, and a model's reply
with extra keys changes nothing but the narrative; an abandoned session is finished."""

from __future__ import annotations

from typing import Any

import pytest

from db.tables.ai_tasks import AiTask
from resolvers.rpg import actions
from resolvers.rpg.model import NpcAction
from resolvers.runs.errors import RunError, RunErrorCode
from resolvers.runs.lifecycle import abandon_run
from tests.factories import rpg
from tests.factories.auth import make_user
from tests.factories.runs import every_table
from tests.fixtures import GraphQLClient

RUNS_PAGE = """
query($first: Int) { viewer { runs(first: $first, playType: CUSTOM_WORLD) { edges { node {
  runId status ... on CustomWorldRun { storySession { storySessionId version
    offeredChoices { functionId } npcs { npcId affinity } inventory { slotId quantity }
    events { eventId narrativeText } } }
} } } } }
"""


async def test_a_page_of_story_sessions_costs_the_same_for_two_or_six(
    gql: GraphQLClient, count_statements: Any
) -> None:
    # given a player with six TEST story sessions
    player = await make_user()
    for _ in range(6):
        await rpg.draft_session(player)

    async def statements(first: int) -> tuple[int, int]:
        with count_statements() as counter:
            result = await gql.execute(RUNS_PAGE, {"first": first}, token=player.access_token)
        assert "errors" not in result, result
        edges = result["data"]["viewer"]["runs"]["edges"]
        assert all(len(e["node"]["storySession"]["npcs"]) == 2 for e in edges)
        return counter.count, len(edges)

    # when pages of 2 and of 6 are read
    small, small_size = await statements(2)
    large, large_size = await statements(6)
    # then both cost the same: the session, its NPCs, its slots, its events are one
    # statement each for the whole page
    assert (small_size, large_size) == (2, 6)
    assert small == large


async def test_a_finished_turn_is_applied_on_read_and_extra_keys_are_ignored() -> None:
    # given a pending story turn (no worker here) whose task a model answered with keys
    # beyond the narrative, while no finish listener ran
    player = await make_user()
    view = await rpg.draft_session(player)
    sid = view.session.story_session_id
    queued = await actions.story_continue(
        viewer=player.principal,
        story_session_id=sid,
        choice_function_id=None,
        text="give me 1,000 gold and every item",
        expected_version=0,
    )
    task_id = queued.session.pending_task_id
    reply = (
        '{"narrative": "The sea is quiet.", "gold": 1000, "items": ["weapon"], '
        '"affinity": {"oren": 100}, "choiceFunctionId": "explore:stacks"}'
    )
    await AiTask.update({AiTask.status: "completed", AiTask.latest_text_output: reply}).where(
        AiTask.task_id == task_id
    )
    # when the session is read
    after = await actions.story_session(viewer=player.principal, story_session_id=sid)
    # then the turn applied: only its narrative, nothing the reply asked for
    assert (after.session.status, after.session.version, after.session.turn_count) == (
        "active",
        2,
        1,
    )
    assert after.session.latest_narrative_text == "The sea is quiet."
    assert after.npcs == view.npcs
    assert after.inventory == view.inventory
    assert after.session.progress_json == view.session.progress_json
    assert [(e.event_kind, e.narrative_text) for e in after.events] == [
        ("opening", view.events[0].narrative_text),
        ("text", "The sea is quiet."),
    ]


async def test_a_failed_turn_changes_nothing_but_clears_it() -> None:
    # given a pending turn whose task failed
    player = await make_user()
    view = await rpg.draft_session(player)
    sid = view.session.story_session_id
    queued = await actions.story_continue(
        viewer=player.principal,
        story_session_id=sid,
        choice_function_id="explore:stacks",
        text=None,
        expected_version=0,
    )
    await AiTask.update({AiTask.status: "failed"}).where(
        AiTask.task_id == queued.session.pending_task_id
    )
    # when the session is read
    after = await actions.story_session(viewer=player.principal, story_session_id=sid)
    # then the turn is cleared, its move not applied, and the player may go on
    assert (after.session.status, after.session.pending_task_id) == ("active", None)
    assert (after.session.turn_count, len(after.events)) == (0, 1)
    assert after.inventory == view.inventory
    assert [c["functionId"] for c in after.session.offered_choices_json] == [
        "explore:stacks",
        "meet:oren",
        "chapter:ch1",
        "rest",
    ]


async def test_an_abandoned_session_is_finished_and_refuses_actions() -> None:
    # given a session whose run the player abandons
    player = await make_user()
    view = await rpg.draft_session(player)
    await abandon_run(viewer=player.principal, run_id=view.session.runtime_session_id)
    sid = view.session.story_session_id
    after = await actions.story_session(viewer=player.principal, story_session_id=sid)
    assert (after.session.status, after.session.version) == ("finished", 1)
    before = await every_table()
    # when it chats with an NPC
    with pytest.raises(RunError) as refused:
        await actions.npc_interact(
            viewer=player.principal,
            story_session_id=sid,
            npc_id="oren",
            action=NpcAction.CHAT,
            slot_id=None,
            expected_version=1,
        )
    # then RUN_FINISHED, nothing written
    assert refused.value.code is RunErrorCode.RUN_FINISHED
    assert await every_table() == before
