"""NPC rules (docs/rpg.md, "NPCs"): one `npc_state` per (runtime session, npc).

Affinity stays within -100..100; `relation_state` follows it after every change
(`relation_for`); lists grow without duplicates.
- chat: `chatted_count` + 1; +5 affinity for each of the first 5 chats; reveals the next
  fact not yet revealed and the next backstory chapter not yet seen.
- gift (a backpack slot id): one unit of it is given (decremented, deleted at zero);
  `gifts_given` + 1; +15 when the item carries the tag the NPC likes, else +8; reveals the
  next rumor not yet known.
- help: once per session (`help_used`), with affinity >= 15: the NPC's charm goes into the
  backpack (source `npc_help`), and affinity − 5.
- recruit: affinity >= 50 and not recruited yet: `recruited`, +10 affinity, `companion`.
The first chat, gift, help or recruit sets `first_meaningful_contact_resolved` (a meeting
through the story only introduces). A refused interaction is ILLEGAL_MOVE, nothing written.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from resolvers.rpg import inventory
from resolvers.rpg.changes import change
from resolvers.rpg.model import (
    AFFINITY_MAX,
    AFFINITY_MIN,
    CHAT_AFFINITY,
    CHAT_AFFINITY_CHATS,
    GIFT_AFFINITY,
    HELP_AFFINITY_COST,
    HELP_THRESHOLD,
    LIKED_GIFT_AFFINITY,
    RECRUIT_AFFINITY,
    RECRUIT_THRESHOLD,
    InventoryItemSourceKind,
    NpcAction,
    relation_for,
)
from resolvers.rpg.records import NpcSpec, WorldContent
from resolvers.rpg.rows import NpcStateRow, StorySessionRow
from resolvers.rpg.store import story as store

TABLE = "npc_state"


def _next_new(candidates: list[str], known: list[str]) -> list[str]:
    """`known` and the first candidate not in it (no duplicates)."""
    fresh = next((c for c in candidates if c not in known), None)
    return [*known, fresh] if fresh is not None else list(known)


def _affinity(value: int) -> int:
    return max(AFFINITY_MIN, min(AFFINITY_MAX, value))


async def reveal(
    row: NpcStateRow, spec: NpcSpec, now: datetime, *, chapter_id: str | None = None
) -> list[dict[str, Any]]:
    """The story's reveals: a meeting shows the first fact, a chapter marks it seen."""
    facts = _next_new(spec.facts[:1], row.revealed_facts)
    seen = list(row.seen_backstory_chapter_ids)
    if chapter_id is not None and chapter_id not in seen:
        seen.append(chapter_id)
    if facts == row.revealed_facts and seen == row.seen_backstory_chapter_ids:
        return []
    after = await store.write_npc(
        row.npc_state_id, revealed_facts=facts, seen_backstory_chapter_ids=seen, updated_at=now
    )
    return [change(TABLE, "update", after)]


async def interact(
    *,
    session: StorySessionRow,
    content: WorldContent,
    npc_id: str,
    action: NpcAction,
    slot_id: str | None,
    now: datetime,
) -> list[dict[str, Any]]:
    spec = content.npc(npc_id)
    row = await store.npc_row(session.runtime_session_id, npc_id[:64])
    if spec is None or row is None:
        raise inventory.illegal("No such character in this story.", "npcId")
    affinity = int(row.affinity)
    recruited = bool(row.recruited)
    columns: dict[str, Any] = {}
    changes: list[dict[str, Any]] = []
    if action is NpcAction.CHAT:
        chats = int(row.chatted_count)
        if chats < CHAT_AFFINITY_CHATS:
            affinity += CHAT_AFFINITY
        columns["chatted_count"] = chats + 1
        columns["revealed_facts"] = _next_new(spec.facts, row.revealed_facts)
        columns["seen_backstory_chapter_ids"] = _next_new(
            spec.backstory_chapter_ids, row.seen_backstory_chapter_ids
        )
    elif action is NpcAction.GIFT:
        if not slot_id:
            raise inventory.illegal("Name the backpack slot of the gift.", "slotId")
        given, changes = await inventory.take_one(session.runtime_session_id, slot_id, now)
        liked = spec.likes in given.tags
        affinity += LIKED_GIFT_AFFINITY if liked else GIFT_AFFINITY
        columns["gifts_given"] = int(row.gifts_given) + 1
        columns["known_attribute_rumors"] = _next_new(spec.rumors, row.known_attribute_rumors)
    elif action is NpcAction.HELP:
        if row.help_used:
            raise inventory.illegal(f"{spec.name} has already helped you.", "npcId")
        if affinity < HELP_THRESHOLD:
            raise inventory.illegal(
                f"{spec.name} does not trust you enough yet (affinity {affinity} < "
                f"{HELP_THRESHOLD}).",
                "npcId",
            )
        affinity -= HELP_AFFINITY_COST
        columns["help_used"] = True
        changes = await inventory.add_items(
            session,
            [spec.help_item],
            source_kind=InventoryItemSourceKind.NPC_HELP,
            source_reference_id=spec.npc_id,
            now=now,
        )
    else:
        if recruited:
            raise inventory.illegal(f"{spec.name} already travels with you.", "npcId")
        if affinity < RECRUIT_THRESHOLD:
            raise inventory.illegal(
                f"{spec.name} will not join you yet (affinity {affinity} < {RECRUIT_THRESHOLD}).",
                "npcId",
            )
        affinity += RECRUIT_AFFINITY
        recruited = True
        columns["recruited"] = True
    affinity = _affinity(affinity)
    after = await store.write_npc(
        row.npc_state_id,
        **columns,
        affinity=affinity,
        relation_state=relation_for(affinity, recruited).value,
        first_meaningful_contact_resolved=True,
        updated_at=now,
    )
    return [*changes, change(TABLE, "update", after)]
