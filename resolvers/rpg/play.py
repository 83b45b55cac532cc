"""Part 2's actions on a story session's run (runs.py hands them here): battles, treasure
and quests, plus the quest signals of part 1's moves (a chat is `talk`, exploring a place
is `reach` and `collect` of its find).

Actions (each guarded by the run's version, like every story action):
- `{"kind": "battle_start", "targetNpcId"}`, `{"kind": "battle_act", "battleId", "action",
  "itemId"}`: battle.py;
- `{"kind": "treasure", "encounterId", "action"}`: treasure.py;
- `{"kind": "quest_accept", "npcId"}`, `{"kind": "quest_turn_in", "questKey"}`: quests.py.
Each returns (event kind, changes, session columns to write).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, TypeVar

from resolvers.rpg import battle, quests, treasure
from resolvers.rpg.errors import RpgError, RpgErrorCode
from resolvers.rpg.model import BattleAction, QuestSignalKind, TreasureInteractionAction
from resolvers.rpg.records import WorldContent
from resolvers.rpg.rows import StorySessionRow

KINDS = frozenset({"battle_start", "battle_act", "treasure", "quest_accept", "quest_turn_in"})
E = TypeVar("E", BattleAction, TreasureInteractionAction)
Applied = tuple[str, list[dict[str, Any]], dict[str, Any]]


def _text(action: Mapping[str, Any], key: str) -> str:
    return str(action.get(key) or "")[:128]


def _enum(kind: type[E], action: Mapping[str, Any]) -> E:
    try:
        return kind(str(action.get("action")))
    except ValueError as error:
        raise RpgError(RpgErrorCode.ACTION_INVALID, "Unknown action.", field="action") from error


async def apply(
    session: StorySessionRow, content: WorldContent, action: Mapping[str, Any], now: datetime
) -> Applied:
    kind = str(action.get("kind"))
    if kind == "battle_start":
        changes, columns = await battle.start(session, content, _text(action, "targetNpcId"), now)
        return "battle_start", changes, columns
    if kind == "battle_act":
        move = _enum(BattleAction, action)
        item_id = action.get("itemId")
        changes, columns = await battle.act(
            session,
            content,
            _text(action, "battleId"),
            move,
            str(item_id) if item_id is not None else None,
            now,
        )
        return f"battle_{move.value}", changes, columns
    if kind == "treasure":
        what = _enum(TreasureInteractionAction, action)
        changes, columns = await treasure.interact(
            session, content, _text(action, "encounterId"), what, now
        )
        return f"treasure_{what.value}", changes, columns
    if kind == "quest_accept":
        return (
            "quest_accept",
            await quests.accept(session, content, _text(action, "npcId"), now),
            {},
        )
    changes = await quests.turn_in(session, content, _text(action, "questKey"), now)
    return "quest_turn_in", changes, {}


async def story_signals(
    session: StorySessionRow, content: WorldContent, choice_function_id: str | None, now: datetime
) -> list[dict[str, Any]]:
    """The quest signals of a story choice: exploring a place reaches it and collects its
    find."""
    if not choice_function_id or not choice_function_id.startswith("explore:"):
        return []
    place = content.place(choice_function_id.removeprefix("explore:"))
    if place is None:
        return []
    changes = await quests.signal(session, QuestSignalKind.REACH, place.place_id, now)
    return changes + await quests.signal(session, QuestSignalKind.COLLECT, place.find.item_id, now)


async def chat_signals(
    session: StorySessionRow, npc_id: str, now: datetime
) -> list[dict[str, Any]]:
    return await quests.signal(session, QuestSignalKind.TALK, npc_id, now)
