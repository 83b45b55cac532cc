"""Battles (docs/rpg.md, "Battles"): one `battle_state` per fight against a hostile NPC.

- start: a hostile of the session (`hostile_<placeId>`), no other battle active
  (BATTLE_IN_PROGRESS): the player's hp and mana from the session's vitals, the hostile's
  from its derivation; status `active`, outcome `started`, version 0.
- a turn (`battle_turn`, damage_model.py): ATTACK, SKILL (costs mana), ITEM (a consumable
  the player has in the backpack, by item id: one unit used up, heals) or FLEE; the hostile
  strikes back while it stands. Every turn bumps the battle's `version` and `turn_index`.
- victory (target at 0 hp): status `won`; the hostile's XP is granted (progression.py) and
  its reward items enter the backpack (source `battle`), a `defeat` quest signal is sent,
  all in the action's transaction. Defeat (player at 0 hp): status `lost`, the player is
  left at 1 hp. Fleeing: status `fled`, nothing granted. The session's vitals follow.
- acting in a battle that is not active is BATTLE_FINISHED; another session's battle is
  NOT_FOUND (the mutation checks the owner before the run's guard).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from resolvers.ids import new_id
from resolvers.rpg import damage_model, inventory, progression, quests
from resolvers.rpg.changes import change
from resolvers.rpg.errors import RpgError, RpgErrorCode
from resolvers.rpg.model import (
    BattleAction,
    BattleMode,
    BattleStatus,
    CombatOutcome,
    InventoryItemSourceKind,
    ItemCategory,
    PlayerProgressionGrantSource,
    QuestSignalKind,
)
from resolvers.rpg.play_rows import BattleStateRow
from resolvers.rpg.records import ItemSpec, Vitals, WorldContent
from resolvers.rpg.rows import StorySessionRow
from resolvers.rpg.store import inventory as inventory_store
from resolvers.rpg.store import play as play_store

TABLE = BattleStateRow.TABLE


def vitals_of(session: StorySessionRow) -> Vitals:
    return session.vitals


async def refuse_during_battle(session: StorySessionRow) -> None:
    """BATTLE_IN_PROGRESS while the session has an active battle: its end writes the
    player's hp and mana from the battle, which would overwrite anything gained meanwhile."""
    active = await play_store.one(
        BattleStateRow,
        runtime_session_id=session.runtime_session_id,
        status=BattleStatus.ACTIVE.value,
    )
    if active is not None:
        raise RpgError(
            RpgErrorCode.BATTLE_IN_PROGRESS, "Finish your current battle first.", field="battleId"
        )


async def start(
    session: StorySessionRow, content: WorldContent, target_npc_id: str, now: datetime
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The changes and the session columns to write (none)."""
    hostile = next((h for h in content.hostiles if h.npc_id == target_npc_id), None)
    if hostile is None:
        raise RpgError(RpgErrorCode.ILLEGAL_MOVE, "No such adversary here.", field="targetNpcId")
    await refuse_during_battle(session)
    vitals = vitals_of(session)
    row = await play_store.insert(
        BattleStateRow,
        {
            "battle_state_id": new_id(),
            "story_session_id": session.story_session_id,
            "runtime_session_id": session.runtime_session_id,
            "actor_user_id": session.actor_user_id,
            "chapter_id": hostile.chapter_id,
            "target_npc_id": hostile.npc_id,
            "target_name": hostile.name,
            "battle_mode": BattleMode.HOSTILE.value,
            "status": BattleStatus.ACTIVE.value,
            "player_hp": vitals.hp,
            "player_max_hp": vitals.max_hp,
            "player_mana": vitals.mana,
            "player_max_mana": vitals.max_mana,
            "target_hp": hostile.hp,
            "target_max_hp": hostile.hp,
            "experience_reward": hostile.experience_reward,
            "reward_items": [item.as_json() for item in hostile.reward_items],
            "turn_index": 0,
            "last_outcome": CombatOutcome.STARTED.value,
            "version": 0,
            "created_at": now,
            "updated_at": now,
        },
    )
    return [change(TABLE, "insert", row)], {}


async def _use_item(
    session: StorySessionRow, item_id: str | None, now: datetime
) -> tuple[str, list[dict[str, Any]]]:
    """One unit of a consumable the player has (by item id): its name and the changes."""
    slots = (await inventory_store.slots_of([session.runtime_session_id]))[
        session.runtime_session_id
    ]
    slot = next(
        (
            s
            for s in slots
            if s.item_id == item_id
            and s.container_kind == inventory.BACKPACK
            and s.category == ItemCategory.CONSUMABLE.value
        ),
        None,
    )
    if slot is None:
        raise RpgError(RpgErrorCode.ILLEGAL_MOVE, "You have no such item to use.", field="itemId")
    taken, changes = await inventory.take_one(session.runtime_session_id, slot.slot_id, now)
    return str(taken.name), changes


async def act(
    session: StorySessionRow,
    content: WorldContent,
    battle_id: str,
    action: BattleAction,
    item_id: str | None,
    now: datetime,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One turn: the changes and the session columns to write (vitals after the battle)."""
    battle = await play_store.one(
        BattleStateRow,
        battle_state_id=battle_id[:64],
        runtime_session_id=session.runtime_session_id,
    )
    if battle is None:
        raise RpgError(RpgErrorCode.ILLEGAL_MOVE, "No such battle in this story.", field="battleId")
    if battle.status != BattleStatus.ACTIVE.value:
        raise RpgError(
            RpgErrorCode.BATTLE_FINISHED,
            f"This battle is over ({battle.status}).",
            field="battleId",
        )
    changes: list[dict[str, Any]] = []
    item_name = None
    if action is BattleAction.ITEM:
        item_name, changes = await _use_item(session, item_id, now)
    hostile = next(h for h in content.hostiles if h.npc_id == battle.target_npc_id)
    # the damage model is a pure function of the battle's numbers, which its tests give
    # as a partial mapping
    turn = damage_model.turn(session.seed, asdict(battle), action, item_name, hostile.attack)
    if turn.refusal is not None:
        raise RpgError(RpgErrorCode.ILLEGAL_MOVE, turn.refusal, field="action")
    after = await play_store.update(
        BattleStateRow,
        battle.battle_state_id,
        status=turn.status.value,
        player_hp=turn.player_hp,
        player_mana=turn.player_mana,
        target_hp=turn.target_hp,
        turn_index=int(battle.turn_index) + 1,
        last_action_function_id=action.value,
        last_action_text=turn.action_text,
        last_result_text=turn.result_text,
        last_damage_dealt=turn.dealt,
        last_damage_taken=turn.taken,
        last_outcome=turn.outcome.value,
        version=int(battle.version) + 1,
        updated_at=now,
    )
    changes.append(change(TABLE, "update", after))
    if turn.status is BattleStatus.ACTIVE:
        return changes, {}
    vitals = vitals_of(session).model_copy(update={"hp": turn.player_hp, "mana": turn.player_mana})
    if turn.status is BattleStatus.WON:
        changes += await _victory(session, content, after, now)
    return changes, {"vitals_json": vitals.as_json()}


async def _victory(
    session: StorySessionRow, content: WorldContent, battle: BattleStateRow, now: datetime
) -> list[dict[str, Any]]:
    items = [ItemSpec.model_validate(item) for item in battle.reward_items]
    changes = await inventory.add_items(
        session,
        items,
        source_kind=InventoryItemSourceKind.BATTLE,
        source_reference_id=battle.target_npc_id,
        now=now,
    )
    changes += await progression.grant(
        session=session,
        content=content,
        xp=int(battle.experience_reward),
        source=PlayerProgressionGrantSource.HOSTILE_DEFEAT,
        chapter_id=battle.chapter_id,
        now=now,
    )
    changes += await quests.signal(session, QuestSignalKind.DEFEAT, battle.target_npc_id, now)
    for item in items:
        changes += await quests.signal(session, QuestSignalKind.COLLECT, item.item_id, now)
    return changes
