"""Typed rows of part 2 of the RPG runtime (battle_state, treasure_record,
player_progression, chapter_progression; the quests' are in quest_rows.py), each built in
`from_row` on both engines like resolvers/rpg/rows.py. Each names its table, key and JSON
columns (`TABLE`, `KEY`, `JSON`) so store/play.py's statements take the row class instead
of a table name."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from resolvers.rpg.model import (
    BattleMode,
    BattleStatus,
    ChapterPaceBand,
    CombatOutcome,
    PlayerProgressionGrantSource,
    TreasureInteractionAction,
)
from resolvers.runs.rows import json_value, utc_time


@dataclass(frozen=True, slots=True)
class BattleStateRow:
    """A battle against a hostile NPC (`battle_state`); `version` counts its turns."""

    TABLE: ClassVar[str] = "battle_state"
    KEY: ClassVar[str] = "battle_state_id"
    JSON: ClassVar[tuple[str, ...]] = ("reward_items",)

    battle_state_id: str
    story_session_id: str
    runtime_session_id: str
    actor_user_id: str
    chapter_id: str | None
    target_npc_id: str
    target_name: str
    battle_mode: BattleMode
    status: BattleStatus
    player_hp: int
    player_max_hp: int
    player_mana: int
    player_max_mana: int
    target_hp: int
    target_max_hp: int
    experience_reward: int
    reward_items: Any
    turn_index: int
    last_action_function_id: str | None
    last_action_text: str | None
    last_result_text: str | None
    last_damage_dealt: int
    last_damage_taken: int
    last_outcome: CombatOutcome
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> BattleStateRow:
        return cls(
            battle_state_id=row["battle_state_id"],
            story_session_id=row["story_session_id"],
            runtime_session_id=row["runtime_session_id"],
            actor_user_id=row["actor_user_id"],
            chapter_id=row["chapter_id"],
            target_npc_id=row["target_npc_id"],
            target_name=row["target_name"],
            battle_mode=BattleMode(row["battle_mode"]),
            status=BattleStatus(row["status"]),
            player_hp=int(row["player_hp"]),
            player_max_hp=int(row["player_max_hp"]),
            player_mana=int(row["player_mana"]),
            player_max_mana=int(row["player_max_mana"]),
            target_hp=int(row["target_hp"]),
            target_max_hp=int(row["target_max_hp"]),
            experience_reward=int(row["experience_reward"]),
            reward_items=json_value(row["reward_items"]),
            turn_index=int(row["turn_index"]),
            last_action_function_id=row["last_action_function_id"],
            last_action_text=row["last_action_text"],
            last_result_text=row["last_result_text"],
            last_damage_dealt=int(row["last_damage_dealt"]),
            last_damage_taken=int(row["last_damage_taken"]),
            last_outcome=CombatOutcome(row["last_outcome"]),
            version=int(row["version"]),
            created_at=utc_time(row["created_at"]),
            updated_at=utc_time(row["updated_at"]),
        )


@dataclass(frozen=True, slots=True)
class TreasureRecordRow:
    """One interaction with a treasure encounter (`treasure_record`)."""

    TABLE: ClassVar[str] = "treasure_record"
    KEY: ClassVar[str] = "treasure_record_id"
    JSON: ClassVar[tuple[str, ...]] = ("reward_items",)

    treasure_record_id: str
    runtime_session_id: str
    story_session_id: str
    actor_user_id: str
    encounter_id: str
    encounter_name: str
    scene_id: str | None
    scene_name: str | None
    action: TreasureInteractionAction
    reward_items: Any
    reward_hp: int
    reward_mana: int
    reward_currency: int
    story_hint: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> TreasureRecordRow:
        return cls(
            treasure_record_id=row["treasure_record_id"],
            runtime_session_id=row["runtime_session_id"],
            story_session_id=row["story_session_id"],
            actor_user_id=row["actor_user_id"],
            encounter_id=row["encounter_id"],
            encounter_name=row["encounter_name"],
            scene_id=row["scene_id"],
            scene_name=row["scene_name"],
            action=TreasureInteractionAction(row["action"]),
            reward_items=json_value(row["reward_items"]),
            reward_hp=int(row["reward_hp"]),
            reward_mana=int(row["reward_mana"]),
            reward_currency=int(row["reward_currency"]),
            story_hint=row["story_hint"],
            created_at=utc_time(row["created_at"]),
            updated_at=utc_time(row["updated_at"]),
        )


@dataclass(frozen=True, slots=True)
class PlayerProgressionRow:
    """A user's level and XP over every world (`player_progression`)."""

    TABLE: ClassVar[str] = "player_progression"
    KEY: ClassVar[str] = "user_id"
    JSON: ClassVar[tuple[str, ...]] = ()

    user_id: str
    level: int
    current_level_xp: int
    total_xp: int
    xp_to_next_level: int
    pending_level_ups: int
    last_granted_source: PlayerProgressionGrantSource | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> PlayerProgressionRow:
        source = row["last_granted_source"]
        return cls(
            user_id=row["user_id"],
            level=int(row["level"]),
            current_level_xp=int(row["current_level_xp"]),
            total_xp=int(row["total_xp"]),
            xp_to_next_level=int(row["xp_to_next_level"]),
            pending_level_ups=int(row["pending_level_ups"]),
            last_granted_source=PlayerProgressionGrantSource(source) if source else None,
            created_at=utc_time(row["created_at"]),
            updated_at=utc_time(row["updated_at"]),
        )


@dataclass(frozen=True, slots=True)
class ChapterProgressionRow:
    """A chapter's planned and earned XP for a user (`chapter_progression`)."""

    TABLE: ClassVar[str] = "chapter_progression"
    KEY: ClassVar[str] = "chapter_progression_id"
    JSON: ClassVar[tuple[str, ...]] = ()

    chapter_progression_id: str
    user_id: str
    chapter_id: str
    chapter_index: int
    total_chapters: int
    entry_pseudo_level_millis: int
    exit_pseudo_level_millis: int
    entry_level: int
    exit_level: int
    planned_total_xp: int
    planned_quest_xp: int
    planned_hostile_xp: int
    actual_quest_xp: int
    actual_hostile_xp: int
    expected_hostile_defeat_count: int
    actual_hostile_defeat_count: int
    level_at_entry: int
    level_at_exit: int | None
    pace_band: ChapterPaceBand
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> ChapterProgressionRow:
        return cls(
            chapter_progression_id=row["chapter_progression_id"],
            user_id=row["user_id"],
            chapter_id=row["chapter_id"],
            chapter_index=int(row["chapter_index"]),
            total_chapters=int(row["total_chapters"]),
            entry_pseudo_level_millis=int(row["entry_pseudo_level_millis"]),
            exit_pseudo_level_millis=int(row["exit_pseudo_level_millis"]),
            entry_level=int(row["entry_level"]),
            exit_level=int(row["exit_level"]),
            planned_total_xp=int(row["planned_total_xp"]),
            planned_quest_xp=int(row["planned_quest_xp"]),
            planned_hostile_xp=int(row["planned_hostile_xp"]),
            actual_quest_xp=int(row["actual_quest_xp"]),
            actual_hostile_xp=int(row["actual_hostile_xp"]),
            expected_hostile_defeat_count=int(row["expected_hostile_defeat_count"]),
            actual_hostile_defeat_count=int(row["actual_hostile_defeat_count"]),
            level_at_entry=int(row["level_at_entry"]),
            level_at_exit=row["level_at_exit"],
            pace_band=ChapterPaceBand(row["pace_band"]),
            created_at=utc_time(row["created_at"]),
            updated_at=utc_time(row["updated_at"]),
        )
