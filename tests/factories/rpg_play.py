"""RPG part 2 for tests: battle, treasure and quest mutations through GraphQL, and the rows
of the six part-2 tables of a session."""

from __future__ import annotations

from typing import Any

from db.tables.rpg import (
    BattleState,
    ChapterProgression,
    PlayerProgression,
    QuestLog,
    QuestRecord,
    TreasureRecord,
)
from tests.factories.rpg import SESSION_FIELDS

PLAY_FIELDS = (
    SESSION_FIELDS
    + """
vitals { hp maxHp mana maxMana currency }
battles { battleId targetNpcId status playerHp playerMana targetHp targetMaxHp turnIndex
  lastOutcome lastDamageDealt lastDamageTaken experienceReward version }
treasureRecords { encounterId action rewardHp rewardMana rewardCurrency storyHint }
quests { questId questKey status progress completionNotified activeStepId }
questLogs { eventKind statusAfter signalKind stepProgress }
playerProgression { level currentLevelXp totalXp xpToNextLevel pendingLevelUps
  lastGrantedSource }
chapterProgressions { chapterId actualQuestXp actualHostileXp actualHostileDefeatCount
  paceBand }
derivedContent
"""
)
PAYLOAD = (
    "errors { code field message } currentSnapshotVersion storySession { " + PLAY_FIELDS + " }"
)


def _mutation(name: str, input_type: str) -> str:
    return f"mutation($i: {input_type}!) {{ {name}(input: $i) {{ {PAYLOAD} }} }}"


BATTLE_START = _mutation("battleStart", "BattleStartInput")
BATTLE_ACT = _mutation("battleAct", "BattleActInput")
TREASURE = _mutation("treasureInteract", "TreasureInteractInput")
QUEST_ACCEPT = _mutation("questAccept", "QuestAcceptInput")
QUEST_TURN_IN = _mutation("questTurnIn", "QuestTurnInInput")
READ = "query($s: ID!) { storySession(storySessionId: $s) { " + PLAY_FIELDS + " } }"


async def play_rows(runtime_session_id: str, user_id: str) -> dict[str, list[dict[str, Any]]]:
    """The session's rows of the part-2 tables and the user's progression rows."""
    return {
        "battle_state": await BattleState.select()
        .where(BattleState.runtime_session_id == runtime_session_id)
        .order_by(BattleState.created_at)
        .output(load_json=True),
        "treasure_record": await TreasureRecord.select()
        .where(TreasureRecord.runtime_session_id == runtime_session_id)
        .output(load_json=True),
        "quest_record": await QuestRecord.select()
        .where(QuestRecord.runtime_session_id == runtime_session_id)
        .output(load_json=True),
        "quest_log": await QuestLog.select()
        .where(QuestLog.runtime_session_id == runtime_session_id)
        .order_by(QuestLog.created_at)
        .output(load_json=True),
        "player_progression": await PlayerProgression.select().where(
            PlayerProgression.user_id == user_id
        ),
        "chapter_progression": await ChapterProgression.select()
        .where(ChapterProgression.user_id == user_id)
        .order_by(ChapterProgression.chapter_id),
    }
