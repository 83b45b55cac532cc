"""Part 2 of the RPG runtime on the graph: battles, treasure records, quests, quest logs,
the player's vitals and progression (docs/rpg.md)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from resolvers.rpg.errors import RpgErrorCode
from resolvers.rpg.model import (
    BattleAction,
    BattleMode,
    BattleStatus,
    ChapterPaceBand,
    CombatOutcome,
    PlayerProgressionGrantSource,
    QuestLogEventKind,
    QuestStatus,
    TreasureInteractionAction,
)
from resolvers.rpg.play_rows import (
    BattleStateRow,
    ChapterProgressionRow,
    PlayerProgressionRow,
    TreasureRecordRow,
)
from resolvers.rpg.quest_rows import QuestLogRow, QuestRecordRow
from resolvers.rpg.records import Vitals

strawberry.enum(BattleMode, description="HOSTILE: against a hostile NPC of the session.")
strawberry.enum(BattleStatus, description="ACTIVE, WON, LOST (left at 1 hp) or FLED.")
strawberry.enum(BattleAction, description="ATTACK, SKILL (costs mana), ITEM (a consumable), FLEE.")
strawberry.enum(CombatOutcome, description="The last turn's outcome.")
strawberry.enum(TreasureInteractionAction, description="OPEN (once), INSPECT or LEAVE.")
strawberry.enum(QuestStatus, description="ACTIVE, COMPLETED (turn it in), TURNED_IN.")
strawberry.enum(QuestLogEventKind, description="ACCEPTED, PROGRESSED, COMPLETED, TURNED_IN.")
strawberry.enum(
    ChapterPaceBand, description="Actual / planned XP: BEHIND <50%, ON_PACE, AHEAD >100%."
)
strawberry.enum(PlayerProgressionGrantSource, description="What granted XP last.")
strawberry.enum(
    RpgErrorCode,
    description="Why a battle, treasure or quest action wrote nothing (docs/rpg.md).",
)


@strawberry.type(name="RpgError", description="A refused battle, treasure or quest action.")
class RpgErrorType:
    code: RpgErrorCode = strawberry.field(description="Machine-readable reason.")
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    message: str = strawberry.field(description="Human-readable explanation.")


@strawberry.type(name="PlayerVitals", description="Your hp, mana and currency in this story.")
class PlayerVitalsType:
    hp: int = strawberry.field(description="Current hp.")
    max_hp: int = strawberry.field(description="Maximum hp.")
    mana: int = strawberry.field(description="Current mana.")
    max_mana: int = strawberry.field(description="Maximum mana.")
    currency: int = strawberry.field(description="Coins found.")

    @classmethod
    def from_vitals(cls, vitals: Vitals) -> PlayerVitalsType:
        return cls(
            hp=vitals.hp,
            max_hp=vitals.max_hp,
            mana=vitals.mana,
            max_mana=vitals.max_mana,
            currency=vitals.currency,
        )


@strawberry.type(name="BattleState", description="A battle against a hostile NPC.")
class BattleStateType:
    battle_id: strawberry.ID = strawberry.field(description="What `battleAct` takes.")
    chapter_id: str | None = strawberry.field(description="The hostile's chapter.")
    target_npc_id: str = strawberry.field(description="The hostile (`hostile_<placeId>`).")
    target_name: str = strawberry.field(description="Its name.")
    battle_mode: BattleMode = strawberry.field(description="HOSTILE.")
    status: BattleStatus = strawberry.field(description="ACTIVE, WON, LOST or FLED.")
    player_hp: int = strawberry.field(description="Your hp.")
    player_max_hp: int = strawberry.field(description="Your maximum hp.")
    player_mana: int = strawberry.field(description="Your mana.")
    player_max_mana: int = strawberry.field(description="Your maximum mana.")
    target_hp: int = strawberry.field(description="The hostile's hp.")
    target_max_hp: int = strawberry.field(description="Its maximum hp.")
    experience_reward: int = strawberry.field(description="XP a victory grants.")
    reward_items: JSON = strawberry.field(description="Items a victory grants.")
    turn_index: int = strawberry.field(description="Turns taken.")
    last_action_function_id: str | None = strawberry.field(description="The last action.")
    last_action_text: str | None = strawberry.field(description="What you did.")
    last_result_text: str | None = strawberry.field(description="What happened.")
    last_damage_dealt: int = strawberry.field(description="Damage you dealt last turn.")
    last_damage_taken: int = strawberry.field(description="Damage you took last turn.")
    last_outcome: CombatOutcome = strawberry.field(description="The last turn's outcome.")
    version: int = strawberry.field(description="The battle's turn version (0 at start).")
    updated_at: datetime = strawberry.field(description="Its last change.")

    @classmethod
    def from_row(cls, row: BattleStateRow) -> BattleStateType:
        return cls(
            battle_id=strawberry.ID(row.battle_state_id),
            chapter_id=row.chapter_id,
            target_npc_id=row.target_npc_id,
            target_name=row.target_name,
            battle_mode=row.battle_mode,
            status=row.status,
            player_hp=row.player_hp,
            player_max_hp=row.player_max_hp,
            player_mana=row.player_mana,
            player_max_mana=row.player_max_mana,
            target_hp=row.target_hp,
            target_max_hp=row.target_max_hp,
            experience_reward=row.experience_reward,
            reward_items=JSON(row.reward_items),
            turn_index=row.turn_index,
            last_action_function_id=row.last_action_function_id,
            last_action_text=row.last_action_text,
            last_result_text=row.last_result_text,
            last_damage_dealt=row.last_damage_dealt,
            last_damage_taken=row.last_damage_taken,
            last_outcome=row.last_outcome,
            version=row.version,
            updated_at=row.updated_at,
        )


@strawberry.type(name="TreasureRecord", description="One interaction with a treasure encounter.")
class TreasureRecordType:
    treasure_record_id: strawberry.ID = strawberry.field(description="The record's id.")
    encounter_id: str = strawberry.field(description="The encounter (`cache_<placeId>`).")
    encounter_name: str = strawberry.field(description="Its name.")
    scene_id: str | None = strawberry.field(description="Its place.")
    scene_name: str | None = strawberry.field(description="The place's name.")
    action: TreasureInteractionAction = strawberry.field(description="What you did.")
    reward_items: JSON = strawberry.field(description="Items granted (OPEN).")
    reward_hp: int = strawberry.field(description="Hp granted.")
    reward_mana: int = strawberry.field(description="Mana granted.")
    reward_currency: int = strawberry.field(description="Coins granted.")
    story_hint: str | None = strawberry.field(description="What INSPECT revealed.")

    @classmethod
    def from_row(cls, row: TreasureRecordRow) -> TreasureRecordType:
        return cls(
            treasure_record_id=strawberry.ID(row.treasure_record_id),
            encounter_id=row.encounter_id,
            encounter_name=row.encounter_name,
            scene_id=row.scene_id,
            scene_name=row.scene_name,
            action=row.action,
            reward_items=JSON(row.reward_items),
            reward_hp=row.reward_hp,
            reward_mana=row.reward_mana,
            reward_currency=row.reward_currency,
            story_hint=row.story_hint,
        )


@strawberry.type(name="QuestRecord", description="A quest you accepted from an NPC.")
class QuestRecordType:
    quest_id: strawberry.ID = strawberry.field(description="The record's id.")
    quest_key: str = strawberry.field(description="The derived quest (`quest_<npcId>`).")
    issuer_npc_id: str = strawberry.field(description="Who gave it.")
    issuer_npc_name: str = strawberry.field(description="Their name.")
    chapter_id: str | None = strawberry.field(description="Its chapter.")
    title: str = strawberry.field(description="Its title.")
    description: str = strawberry.field(description="What to do.")
    objective: JSON = strawberry.field(description="`{kind, targetId, count}`.")
    progress: int = strawberry.field(description="Signals counted.")
    status: QuestStatus = strawberry.field(description="ACTIVE, COMPLETED, TURNED_IN.")
    completion_notified: bool = strawberry.field(description="Set when it completes.")
    reward: JSON = strawberry.field(description="`{xp, items}` granted at turn-in.")
    steps: JSON = strawberry.field(description="Its steps with their progress.")
    active_step_id: str | None = strawberry.field(description="The step waiting.")
    visible_stage: int = strawberry.field(description="Stage shown.")
    completed_at: datetime | None = strawberry.field(description="When it completed.")
    turned_in_at: datetime | None = strawberry.field(description="When it was turned in.")

    @classmethod
    def from_row(cls, row: QuestRecordRow) -> QuestRecordType:
        return cls(
            quest_id=strawberry.ID(row.quest_id),
            quest_key=row.quest_key,
            issuer_npc_id=row.issuer_npc_id,
            issuer_npc_name=row.issuer_npc_name,
            chapter_id=row.chapter_id,
            title=row.title,
            description=row.description,
            objective=JSON(row.objective),
            progress=row.progress,
            status=row.status,
            completion_notified=row.completion_notified,
            reward=JSON(row.reward),
            steps=JSON(row.steps),
            active_step_id=row.active_step_id,
            visible_stage=row.visible_stage,
            completed_at=row.completed_at,
            turned_in_at=row.turned_in_at,
        )


@strawberry.type(name="QuestLog", description="One change of a quest.")
class QuestLogType:
    log_id: strawberry.ID = strawberry.field(description="The row's id.")
    quest_id: strawberry.ID = strawberry.field(description="The quest record.")
    event_kind: QuestLogEventKind = strawberry.field(description="What happened.")
    status_after: QuestStatus = strawberry.field(description="The quest's status after.")
    signal_kind: str | None = strawberry.field(description="defeat, collect, talk or reach.")
    step_id: str | None = strawberry.field(description="The step moved.")
    step_progress: int | None = strawberry.field(description="Its progress after.")

    @classmethod
    def from_row(cls, row: QuestLogRow) -> QuestLogType:
        return cls(
            log_id=strawberry.ID(row.log_id),
            quest_id=strawberry.ID(row.quest_id),
            event_kind=row.event_kind,
            status_after=row.status_after,
            signal_kind=row.signal_kind,
            step_id=row.step_id,
            step_progress=row.step_progress,
        )


@strawberry.type(name="PlayerProgression", description="Your level and XP (every world).")
class PlayerProgressionType:
    level: int = strawberry.field(description="Your level (server-side curve).")
    current_level_xp: int = strawberry.field(description="XP within this level.")
    total_xp: int = strawberry.field(description="XP ever granted.")
    xp_to_next_level: int = strawberry.field(description="XP still needed for the next level.")
    pending_level_ups: int = strawberry.field(description="Levels gained.")
    last_granted_source: PlayerProgressionGrantSource | None = strawberry.field(
        description="What granted XP last."
    )

    @classmethod
    def from_row(cls, row: PlayerProgressionRow) -> PlayerProgressionType:
        return cls(
            level=row.level,
            current_level_xp=row.current_level_xp,
            total_xp=row.total_xp,
            xp_to_next_level=row.xp_to_next_level,
            pending_level_ups=row.pending_level_ups,
            last_granted_source=row.last_granted_source,
        )


@strawberry.type(name="ChapterProgression", description="A chapter's planned and earned XP.")
class ChapterProgressionType:
    chapter_id: str = strawberry.field(description="`<worldProfileId>:<chapterId>`.")
    chapter_index: int = strawberry.field(description="Its position, from 0.")
    planned_total_xp: int = strawberry.field(description="Its quests' and hostiles' XP.")
    planned_quest_xp: int = strawberry.field(description="Its quests' XP.")
    planned_hostile_xp: int = strawberry.field(description="Its hostiles' XP.")
    actual_quest_xp: int = strawberry.field(description="Quest XP earned.")
    actual_hostile_xp: int = strawberry.field(description="Hostile XP earned.")
    expected_hostile_defeat_count: int = strawberry.field(description="Its hostiles.")
    actual_hostile_defeat_count: int = strawberry.field(description="Victories in it.")
    pace_band: ChapterPaceBand = strawberry.field(description="From actual / planned XP.")

    @classmethod
    def from_row(cls, row: ChapterProgressionRow) -> ChapterProgressionType:
        return cls(
            chapter_id=row.chapter_id,
            chapter_index=row.chapter_index,
            planned_total_xp=row.planned_total_xp,
            planned_quest_xp=row.planned_quest_xp,
            planned_hostile_xp=row.planned_hostile_xp,
            actual_quest_xp=row.actual_quest_xp,
            actual_hostile_xp=row.actual_hostile_xp,
            expected_hostile_defeat_count=row.expected_hostile_defeat_count,
            actual_hostile_defeat_count=row.actual_hostile_defeat_count,
            pace_band=row.pace_band,
        )
