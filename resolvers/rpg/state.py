"""A custom-world run's state: its story session and everything played in it, as typed
rows (`CustomWorldRunRules.states`, what the schema's story session reads)."""

from __future__ import annotations

from dataclasses import dataclass

from resolvers.rpg.play_rows import (
    BattleStateRow,
    ChapterProgressionRow,
    PlayerProgressionRow,
    TreasureRecordRow,
)
from resolvers.rpg.quest_rows import QuestLogRow, QuestRecordRow
from resolvers.rpg.rows import InventorySlotRow, NpcStateRow, StoryEventRow, StorySessionRow


@dataclass(frozen=True, slots=True)
class StoryView:
    """A story session with its NPCs, inventory, story events, battles, treasure records,
    quests and quest logs, and its player's progression (typed rows, JSON decoded)."""

    session: StorySessionRow
    npcs: list[NpcStateRow]
    inventory: list[InventorySlotRow]
    events: list[StoryEventRow]
    battles: list[BattleStateRow]
    treasures: list[TreasureRecordRow]
    quests: list[QuestRecordRow]
    quest_logs: list[QuestLogRow]
    progression: PlayerProgressionRow | None
    chapters: list[ChapterProgressionRow]
