"""Progression (docs/rpg.md, "Progression"): XP granted by a won battle or a turned-in
quest goes to the player's `player_progression` and to the chapter's `chapter_progression`,
inside the action's transaction (one grant, one transaction, every row it touches).

- Levels come from the server-side curve (`model.xp_to_next`: level n to n + 1 takes
  100 * n XP), never from numbers a creator wrote; `pending_level_ups` counts the levels
  gained.
- The total is added with one conditional statement (`total_xp = total_xp + n … RETURNING`),
  which also locks the row on PostgreSQL: two sessions of one user granting at once add up.
- A chapter's row (`chapter_id` = `<worldProfileId>:<chapterId>`, unique per user) plans the
  XP of the chapter's quests and hostiles and counts what was earned; its pace band comes
  from actual / planned XP (`model.pace_band`). `level_at_exit` is set once the plan is met.
- A TEST session grants nothing (`granted` returns no change).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from resolvers.ids import new_id
from resolvers.rpg.changes import change
from resolvers.rpg.model import (
    PlayerProgressionGrantSource,
    level_for,
    pace_band,
    pseudo_level_millis,
    xp_to_next,
)
from resolvers.rpg.play_rows import ChapterProgressionRow, PlayerProgressionRow
from resolvers.rpg.records import WorldContent
from resolvers.rpg.rows import StorySessionRow
from resolvers.rpg.store import play as play_store

PLAYER = PlayerProgressionRow.TABLE
CHAPTER = ChapterProgressionRow.TABLE


def _planned(content: WorldContent, chapter_id: str) -> tuple[int, int, int]:
    """(planned quest XP, planned hostile XP, hostiles) of a chapter."""
    quest_xp = sum(q.reward_xp for q in content.quests if q.chapter_id == chapter_id)
    hostiles = [h for h in content.hostiles if h.chapter_id == chapter_id]
    return quest_xp, sum(h.experience_reward for h in hostiles), len(hostiles)


def _planned_before(content: WorldContent, chapter_id: str) -> int:
    total = 0
    for each in content.chapter_ids:
        if each == chapter_id:
            break
        quest_xp, hostile_xp, _ = _planned(content, each)
        total += quest_xp + hostile_xp
    return total


async def _grant_player(
    user_id: str, xp: int, source: PlayerProgressionGrantSource, now: datetime
) -> tuple[PlayerProgressionRow, str]:
    inserted = await play_store.insert_new(
        PlayerProgressionRow,
        {
            "user_id": user_id,
            "level": 1,
            "current_level_xp": 0,
            "total_xp": 0,
            "xp_to_next_level": xp_to_next(1),
            "pending_level_ups": 0,
            "last_granted_source": None,
            "created_at": now,
            "updated_at": now,
        },
    )
    added = await play_store.add_to(PlayerProgressionRow, {"total_xp": xp}, user_id=user_id)
    before_level = added.level
    level, within = level_for(added.total_xp)
    after = await play_store.update(
        PlayerProgressionRow,
        user_id,
        level=level,
        current_level_xp=within,
        xp_to_next_level=xp_to_next(level) - within,
        pending_level_ups=added.pending_level_ups + max(0, level - before_level),
        last_granted_source=source.value,
        updated_at=now,
    )
    return after, "insert" if inserted is not None else "update"


async def _grant_chapter(
    *,
    user_id: str,
    session: StorySessionRow,
    content: WorldContent,
    chapter_id: str,
    level: int,
    quest_xp: int,
    hostile_xp: int,
    now: datetime,
) -> dict[str, Any]:
    qualified = f"{session.world_profile_id}:{chapter_id}"
    planned_quest, planned_hostile, hostiles = _planned(content, chapter_id)
    before = _planned_before(content, chapter_id)
    entry = pseudo_level_millis(before)
    exit_ = pseudo_level_millis(before + planned_quest + planned_hostile)
    inserted = await play_store.insert_new(
        ChapterProgressionRow,
        {
            "chapter_progression_id": new_id(),
            "user_id": user_id,
            "chapter_id": qualified,
            "chapter_index": content.chapter_ids.index(chapter_id)
            if chapter_id in content.chapter_ids
            else 0,
            "total_chapters": len(content.chapter_ids),
            "entry_pseudo_level_millis": entry,
            "exit_pseudo_level_millis": exit_,
            "entry_level": entry // 1000,
            "exit_level": exit_ // 1000,
            "planned_total_xp": planned_quest + planned_hostile,
            "planned_quest_xp": planned_quest,
            "planned_hostile_xp": planned_hostile,
            "actual_quest_xp": 0,
            "actual_hostile_xp": 0,
            "expected_hostile_defeat_count": hostiles,
            "actual_hostile_defeat_count": 0,
            "level_at_entry": level,
            "level_at_exit": None,
            "pace_band": pace_band(0, planned_quest + planned_hostile).value,
            "created_at": now,
            "updated_at": now,
        },
    )
    row = await play_store.add_to(
        ChapterProgressionRow,
        {
            "actual_quest_xp": quest_xp,
            "actual_hostile_xp": hostile_xp,
            "actual_hostile_defeat_count": 1 if hostile_xp else 0,
        },
        user_id=user_id,
        chapter_id=qualified,
    )
    actual = row.actual_quest_xp + row.actual_hostile_xp
    planned = row.planned_total_xp
    done = planned > 0 and actual >= planned
    after = await play_store.update(
        ChapterProgressionRow,
        row.chapter_progression_id,
        level_at_exit=row.level_at_exit or (level if done else None),
        pace_band=pace_band(actual, planned).value,
        updated_at=now,
    )
    return change(CHAPTER, "insert" if inserted is not None else "update", after)


async def grant(
    *,
    session: StorySessionRow,
    content: WorldContent,
    xp: int,
    source: PlayerProgressionGrantSource,
    chapter_id: str | None,
    now: datetime,
) -> list[dict[str, Any]]:
    """Grant `xp` (a won battle or a turned-in quest); the changes. TEST sessions: none."""
    if session.mode == "test" or xp <= 0:
        return []
    user_id = session.actor_user_id
    player, op = await _grant_player(user_id, xp, source, now)
    changes = [change(PLAYER, op, player)]
    if chapter_id is not None:
        hostile = source is PlayerProgressionGrantSource.HOSTILE_DEFEAT
        changes.append(
            await _grant_chapter(
                user_id=user_id,
                session=session,
                content=content,
                chapter_id=chapter_id,
                level=int(player.level),
                quest_xp=0 if hostile else xp,
                hostile_xp=xp if hostile else 0,
                now=now,
            )
        )
    return changes
