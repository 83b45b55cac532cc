"""What the graph calls for part 2: battles, treasure and quests on a story session.

Each goes through the run framework's guard like every story action (actions.py): the
session's `expectedVersion`, the owner (another user's session or battle is NOT_FOUND, an
anonymous caller UNAUTHENTICATED), one transaction, the event published after commit.
"""

from __future__ import annotations

from typing import Any

from resolvers.errors import NotFound
from resolvers.principal import Principal
from resolvers.rpg import actions
from resolvers.rpg.model import BattleAction, TreasureInteractionAction
from resolvers.rpg.play_rows import BattleStateRow
from resolvers.rpg.state import StoryView
from resolvers.rpg.store import play as play_store

NO_BATTLE = "No such battle."


async def battle_start(
    *, viewer: Principal, story_session_id: str, target_npc_id: str, expected_version: int
) -> StoryView:
    move = {"kind": "battle_start", "targetNpcId": target_npc_id}
    return await actions.act(viewer, story_session_id, expected_version, move)


async def battle_act(
    *,
    viewer: Principal,
    battle_id: str,
    action: BattleAction,
    item_id: str | None,
    expected_version: int,
) -> StoryView:
    """A turn of one of the viewer's battles (NOT_FOUND for another user's)."""
    user_id = viewer.require_user()
    battle = await play_store.one(BattleStateRow, battle_state_id=battle_id[:64])
    if battle is None or battle.actor_user_id != user_id:
        raise NotFound(NO_BATTLE)
    move: dict[str, Any] = {"kind": "battle_act", "battleId": battle_id, "action": action.value}
    if item_id is not None:
        move["itemId"] = item_id
    return await actions.act(viewer, battle.story_session_id, expected_version, move)


async def treasure_interact(
    *,
    viewer: Principal,
    story_session_id: str,
    encounter_id: str,
    action: TreasureInteractionAction,
    expected_version: int,
) -> StoryView:
    move = {"kind": "treasure", "encounterId": encounter_id, "action": action.value}
    return await actions.act(viewer, story_session_id, expected_version, move)


async def quest_accept(
    *, viewer: Principal, story_session_id: str, npc_id: str, expected_version: int
) -> StoryView:
    move = {"kind": "quest_accept", "npcId": npc_id}
    return await actions.act(viewer, story_session_id, expected_version, move)


async def quest_turn_in(
    *, viewer: Principal, story_session_id: str, quest_key: str, expected_version: int
) -> StoryView:
    move = {"kind": "quest_turn_in", "questKey": quest_key}
    return await actions.act(viewer, story_session_id, expected_version, move)
