"""Part 2's rules through the resolvers: the damage model is deterministic per battle, the
XP curve and pace bands, and a TEST session plays battles and quests but writes no
progression."""

from __future__ import annotations

from typing import Any

from db.tables.rpg import ChapterProgression, PlayerProgression
from resolvers.rpg import actions, damage_model, play_actions
from resolvers.rpg.model import (
    SKILL_MANA,
    BattleAction,
    ChapterPaceBand,
    level_for,
    pace_band,
    pseudo_level_millis,
    xp_to_next,
)
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
    sid = view.session["story_session_id"]
    version = 0

    async def step(call: Any, **fields: Any) -> actions.StoryView:
        nonlocal version
        done: actions.StoryView = await call(
            viewer=player.principal, expected_version=version, **fields
        )
        version += 1
        return done

    view = await step(play_actions.quest_accept, story_session_id=sid, npc_id="oren")
    view = await step(
        play_actions.battle_start, story_session_id=sid, target_npc_id="hostile_stacks"
    )
    battle_id = view.battles[0]["battle_state_id"]
    # when the player wins the battle and turns the quest in
    while view.battles[0]["status"] == "active":
        view = await step(
            play_actions.battle_act, battle_id=battle_id, action=BattleAction.ATTACK, item_id=None
        )
    assert view.battles[0]["status"] == "won"
    assert view.quests[0]["status"] == "completed"
    view = await step(play_actions.quest_turn_in, story_session_id=sid, quest_key="quest_oren")
    # then the quest is turned in, its items granted, but no progression row exists
    assert view.quests[0]["status"] == "turned_in"
    draughts = [s["quantity"] for s in view.inventory if s["item_id"] == "healing_draught"]
    assert draughts == [3 + 1 + 2]  # starting, the battle's reward, the quest's
    assert view.progression is None
    assert await PlayerProgression.count() == 0
    assert await ChapterProgression.count() == 0
