"""Part 2's rules through the resolvers: the damage model is deterministic per battle, the
XP curve and pace bands, a TEST session plays battles and quests but writes no
progression, concurrent grants add up, and a quest moves only on its own signal."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

from db.tables.rpg import ChapterProgression, PlayerProgression
from db.transactions import write_transaction
from resolvers import clock
from resolvers.rpg import actions, damage_model, play_actions, progression, quests
from resolvers.rpg.model import (
    SKILL_MANA,
    BattleAction,
    ChapterPaceBand,
    PlayerProgressionGrantSource,
    level_for,
    pace_band,
    pseudo_level_millis,
    xp_to_next,
)
from resolvers.rpg.records import WorldContent
from resolvers.rpg.state import StoryView
from tests.factories import rpg
from tests.factories.auth import make_user


def _battle(battle_id: str) -> dict[str, Any]:
    return {
        "battle_state_id": battle_id,
        "turn_index": 0,
        "player_hp": 100,
        "player_max_hp": 100,
        "player_mana": 30,
        "target_hp": 1000,
        "target_name": "Shade",
    }


def _rolls(seed: str, battle_id: str) -> list[tuple[int, int]]:
    rolls = []
    for turn_index in range(12):
        battle = _battle(battle_id) | {"turn_index": turn_index}
        turn = damage_model.turn(seed, battle, BattleAction.ATTACK, None, 5)
        rolls.append((turn.dealt, turn.taken))
    return rolls


def test_the_damage_model_is_deterministic_per_battle() -> None:
    # given one session seed / when two battles' turns are rolled twice
    first, again = _rolls("abc", "battle-1"), _rolls("abc", "battle-1")
    other = _rolls("abc", "battle-2")
    # then the same battle rolls the same numbers, another battle others, within the model
    assert first == again
    assert first != other
    assert all(8 <= dealt <= 11 and 5 <= taken <= 7 for dealt, taken in first + other)
    # and a skill costs its mana and deals twice an attack's range
    skill = damage_model.turn("abc", _battle("b"), BattleAction.SKILL, None, 5)
    assert (skill.player_mana, 16 <= skill.dealt <= 22) == (30 - SKILL_MANA, True)
    broke = damage_model.turn("abc", _battle("b") | {"player_mana": 3}, BattleAction.SKILL, None, 5)
    assert broke.refusal == f"Not enough mana (3 < {SKILL_MANA})."


def test_the_xp_curve_and_the_pace_bands() -> None:
    # then level n to n + 1 takes 100 * n XP
    assert [xp_to_next(n) for n in (1, 2, 3)] == [100, 200, 300]
    assert [level_for(xp) for xp in (0, 99, 100, 299, 300)] == [
        (1, 0),
        (1, 99),
        (2, 0),
        (2, 199),
        (3, 0),
    ]
    assert pseudo_level_millis(200) == 2500
    # and the pace band reads actual / planned XP
    assert [pace_band(a, 100) for a in (0, 49, 50, 100, 101)] == [
        ChapterPaceBand.BEHIND,
        ChapterPaceBand.BEHIND,
        ChapterPaceBand.ON_PACE,
        ChapterPaceBand.ON_PACE,
        ChapterPaceBand.AHEAD,
    ]


async def test_a_test_session_plays_battles_and_quests_but_writes_no_progression() -> None:
    # given a TEST session (oren's quest: defeat hostile_stacks)
    player = await make_user()
    view = await rpg.draft_session(player)
    sid = view.session.story_session_id
    version = 0

    async def step(call: Any, **fields: Any) -> StoryView:
        nonlocal version
        done: StoryView = await call(viewer=player.principal, expected_version=version, **fields)
        version += 1
        return done

    view = await step(play_actions.quest_accept, story_session_id=sid, npc_id="oren")
    view = await step(
        play_actions.battle_start, story_session_id=sid, target_npc_id="hostile_stacks"
    )
    battle_id = view.battles[0].battle_state_id
    # when the player wins the battle and turns the quest in
    while view.battles[0].status == "active":
        view = await step(
            play_actions.battle_act, battle_id=battle_id, action=BattleAction.ATTACK, item_id=None
        )
    assert view.battles[0].status == "won"
    assert view.quests[0].status == "completed"
    view = await step(play_actions.quest_turn_in, story_session_id=sid, quest_key="quest_oren")
    # then the quest is turned in, its items granted, but no progression row exists
    assert view.quests[0].status == "turned_in"
    draughts = [s.quantity for s in view.inventory if s.item_id == "healing_draught"]
    assert draughts == [3 + 1 + 2]  # starting, the battle's reward, the quest's
    assert view.progression is None
    assert await PlayerProgression.count() == 0
    assert await ChapterProgression.count() == 0


async def test_ten_concurrent_grants_to_one_player_add_up() -> None:
    # given a PLAY session's player (the grant of two of its chapters' hostiles)
    player = await make_user()
    view = await rpg.draft_session(player)
    session = replace(view.session, mode="play")
    content = WorldContent.model_validate(session.content_json)

    async def grant() -> None:
        async with write_transaction():
            await progression.grant(
                session=session,
                content=content,
                xp=25,
                source=PlayerProgressionGrantSource.HOSTILE_DEFEAT,
                chapter_id="ch1",
                now=clock.now(),
            )

    # when ten grants of 25 XP race
    await asyncio.gather(*(grant() for _ in range(10)))
    # then they add up on the player's row (level 2, 150 of 200) and the chapter's
    (row,) = await PlayerProgression.select().where(PlayerProgression.user_id == player.user_id)
    assert (row["total_xp"], row["level"], row["current_level_xp"], row["pending_level_ups"]) == (
        250,
        2,
        150,
        1,
    )
    (chapter,) = await ChapterProgression.select()
    world = session.world_profile_id
    assert (chapter["chapter_id"], chapter["actual_hostile_xp"]) == (f"{world}:ch1", 250)
    assert chapter["actual_hostile_defeat_count"] == 10
    # ch1 plans oren's quest (50) and hostile_stacks (25): 250 of 75 is ahead
    assert (chapter["planned_total_xp"], chapter["pace_band"]) == (75, "ahead")


async def test_a_collect_signal_completes_a_matching_quest_only() -> None:
    # given tal's accepted quest (collect the pier's relic) in a TEST session
    player = await make_user()
    view = await rpg.draft_session(player)
    sid = view.session.story_session_id
    view = await play_actions.quest_accept(
        viewer=player.principal, story_session_id=sid, npc_id="tal", expected_version=0
    )
    session = view.session
    # when signals arrive: another item, then the relic
    async with write_transaction():
        missed = await quests.signal(session, "collect", "find_stacks", clock.now())
        changes = await quests.signal(session, "collect", "find_pier", clock.now())
    # then only the relic moved it on, to completed (a progressed and a completed log)
    assert missed == []
    logs = [c["row"]["event_kind"] for c in changes if c["table"] == "quest_log"]
    assert logs == ["progressed", "completed"]
    view = await actions.story_session(viewer=player.principal, story_session_id=sid)
    (quest,) = view.quests
    assert (quest.status, quest.completion_notified, quest.active_step_id) == (
        "completed",
        True,
        None,
    )
