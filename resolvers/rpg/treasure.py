"""Treasure (docs/rpg.md, "Treasure"): interacting with one of the session's encounters
(`cache_<placeId>`) writes one `treasure_record`.

- OPEN: once per encounter per session (TREASURE_ALREADY_OPENED; the partial unique index
  `(runtime_session_id, encounter_id) WHERE action = 'open'` and the conditional insert
  hold it under any concurrency): its items enter the backpack (source `treasure`), its hp
  and mana are added to the session's vitals (up to their maximum), its currency to the
  vitals' currency; a `collect` quest signal per item.
  Not during an active battle (BATTLE_IN_PROGRESS): the battle's end writes the vitals.
- INSPECT: a record with the story hint (what it holds), no reward.
- LEAVE: a record, nothing else.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from resolvers.ids import new_id
from resolvers.rpg import inventory, quests
from resolvers.rpg.battle import refuse_during_battle, vitals_of
from resolvers.rpg.changes import change
from resolvers.rpg.errors import RpgError, RpgErrorCode
from resolvers.rpg.model import InventoryItemSourceKind, QuestSignalKind, TreasureInteractionAction
from resolvers.rpg.play_rows import TreasureRecordRow
from resolvers.rpg.records import WorldContent
from resolvers.rpg.rows import StorySessionRow
from resolvers.rpg.store import play as play_store

TABLE = TreasureRecordRow.TABLE


def _hint(name: str, items: list[str], currency: int) -> str:
    return f"{name} holds {', '.join(items)} and {currency} coins."


async def interact(
    session: StorySessionRow,
    content: WorldContent,
    encounter_id: str,
    action: TreasureInteractionAction,
    now: datetime,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The changes and the session columns to write (the vitals after an open)."""
    spec = next((e for e in content.encounters if e.encounter_id == encounter_id), None)
    if spec is None:
        raise RpgError(RpgErrorCode.ILLEGAL_MOVE, "No such encounter here.", field="encounterId")
    opening = action is TreasureInteractionAction.OPEN
    if opening:
        await refuse_during_battle(session)
    place = content.place(spec.place_id)
    row = {
        "treasure_record_id": new_id(),
        "runtime_session_id": session.runtime_session_id,
        "story_session_id": session.story_session_id,
        "actor_user_id": session.actor_user_id,
        "encounter_id": spec.encounter_id,
        "encounter_name": spec.name,
        "scene_id": spec.place_id,
        "scene_name": place.name if place else None,
        "action": action.value,
        "reward_items": [item.as_json() for item in spec.reward_items] if opening else [],
        "reward_hp": spec.reward_hp if opening else 0,
        "reward_mana": spec.reward_mana if opening else 0,
        "reward_currency": spec.reward_currency if opening else 0,
        "story_hint": _hint(spec.name, [i.name for i in spec.reward_items], spec.reward_currency)
        if action is TreasureInteractionAction.INSPECT
        else None,
        "created_at": now,
        "updated_at": now,
    }
    record = (
        await play_store.insert_new(TreasureRecordRow, row)
        if opening
        else await play_store.insert(TreasureRecordRow, row)
    )
    if record is None:
        raise RpgError(
            RpgErrorCode.TREASURE_ALREADY_OPENED,
            f"{spec.name} is already open.",
            field="encounterId",
        )
    changes = [change(TABLE, "insert", record)]
    if not opening:
        return changes, {}
    changes += await inventory.add_items(
        session,
        spec.reward_items,
        source_kind=InventoryItemSourceKind.TREASURE,
        source_reference_id=spec.encounter_id,
        now=now,
    )
    for item in spec.reward_items:
        changes += await quests.signal(session, QuestSignalKind.COLLECT, item.item_id, now)
    vitals = vitals_of(session)
    vitals = vitals.model_copy(
        update={
            "hp": min(vitals.max_hp, vitals.hp + spec.reward_hp),
            "mana": min(vitals.max_mana, vitals.mana + spec.reward_mana),
            "currency": vitals.currency + spec.reward_currency,
        }
    )
    return changes, {"vitals_json": vitals.as_json()}
