"""The RPG runtime's vocabulary and numbers (docs/rpg.md states every one of them).

Values are stored as they are here (lower case) and exposed as GraphQL enums.
"""

from __future__ import annotations

from enum import StrEnum


class StorySessionStatus(StrEnum):
    ACTIVE = "active"  # waiting for the player
    NARRATING = "narrating"  # a story turn's AI task is answering (TURN_IN_PROGRESS)
    FINISHED = "finished"  # its run ended (abandoned)


class StoryEventKind(StrEnum):
    OPENING = "opening"  # written when the session starts
    CHOICE = "choice"  # a turn that took one of the offered choice functions
    TEXT = "text"  # a turn on typed text: narrative only


class NpcStance(StrEnum):
    """How a world's character meets the player (derived, docs/rpg.md)."""

    FRIENDLY = "friendly"
    NEUTRAL = "neutral"
    WARY = "wary"


class NpcRelationState(StrEnum):
    """Derived from affinity after every change; `companion` once recruited."""

    DISTANT = "distant"  # affinity < 10
    ACQUAINTED = "acquainted"  # 10..29
    FRIENDLY = "friendly"  # 30..49
    TRUSTED = "trusted"  # >= 50
    COMPANION = "companion"  # recruited


class NpcAction(StrEnum):
    CHAT = "chat"
    GIFT = "gift"
    HELP = "help"
    RECRUIT = "recruit"


class InventoryContainerKind(StrEnum):
    BACKPACK = "backpack"
    EQUIPMENT = "equipment"


class InventoryItemRarity(StrEnum):
    COMMON = "common"
    UNCOMMON = "uncommon"
    RARE = "rare"
    EPIC = "epic"
    LEGENDARY = "legendary"


class InventoryEquipmentSlot(StrEnum):
    WEAPON = "weapon"
    ARMOR = "armor"
    ACCESSORY = "accessory"


class InventoryItemSourceKind(StrEnum):
    STARTING = "starting"  # derived at session start
    EXPLORATION = "exploration"  # an `explore:<placeId>` choice function
    NPC_HELP = "npc_help"  # an NPC's one-time help
    TREASURE = "treasure"  # issue 19
    BATTLE = "battle"  # issue 19
    QUEST = "quest"  # issue 19


class InventoryAction(StrEnum):
    EQUIP = "equip"
    UNEQUIP = "unequip"
    USE = "use"


class ItemCategory(StrEnum):
    CONSUMABLE = "consumable"  # usable: one is used up per use
    GIFT = "gift"  # given to NPCs
    EQUIPMENT = "equipment"  # has an equipment slot
    MATERIAL = "material"  # found while exploring


# --- numbers (docs/rpg.md) -------------------------------------------------------------------
STACK_LIMIT = 20  # units per backpack slot of one stack key
STARTING_AFFINITY = {NpcStance.FRIENDLY: 30, NpcStance.NEUTRAL: 15, NpcStance.WARY: 0}
AFFINITY_MIN, AFFINITY_MAX = -100, 100
CHAT_AFFINITY = 5  # each of the first CHAT_AFFINITY_CHATS chats
CHAT_AFFINITY_CHATS = 5
GIFT_AFFINITY = 8  # a gift the NPC does not especially like
LIKED_GIFT_AFFINITY = 15  # a gift of the category the NPC likes
HELP_AFFINITY_COST = 5  # asking for help costs affinity
HELP_THRESHOLD = 15  # affinity needed to ask for help
RECRUIT_THRESHOLD = 50  # affinity needed to recruit
RECRUIT_AFFINITY = 10  # recruiting adds this
MAX_TEXT_LENGTH = 500  # storyContinue's typed text
MAX_NARRATIVE_LENGTH = 4000

SOURCE_MODULE = "rpg"  # the story turn's AI task


def relation_for(affinity: int, recruited: bool) -> NpcRelationState:
    if recruited:
        return NpcRelationState.COMPANION
    if affinity >= 50:
        return NpcRelationState.TRUSTED
    if affinity >= 30:
        return NpcRelationState.FRIENDLY
    if affinity >= 10:
        return NpcRelationState.ACQUAINTED
    return NpcRelationState.DISTANT


# --- part 2: battles, treasure, quests, progression (docs/rpg.md) ---------------------------


class BattleMode(StrEnum):
    HOSTILE = "hostile"  # against one of the session's hostile NPCs (the only mode yet)


class BattleStatus(StrEnum):
    ACTIVE = "active"
    WON = "won"
    LOST = "lost"
    FLED = "fled"


class BattleAction(StrEnum):
    ATTACK = "attack"
    SKILL = "skill"
    ITEM = "item"
    FLEE = "flee"


class CombatOutcome(StrEnum):
    STARTED = "started"  # no turn yet
    ONGOING = "ongoing"  # both sides still stand
    VICTORY = "victory"
    DEFEAT = "defeat"
    FLED = "fled"


class TreasureInteractionAction(StrEnum):
    OPEN = "open"  # once per encounter per session: its rewards
    INSPECT = "inspect"  # a hint, no reward
    LEAVE = "leave"  # nothing


class QuestStatus(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"  # every step done, reward not taken yet
    TURNED_IN = "turned_in"


class QuestLogEventKind(StrEnum):
    ACCEPTED = "accepted"
    PROGRESSED = "progressed"
    COMPLETED = "completed"
    TURNED_IN = "turned_in"


class QuestSignalKind(StrEnum):
    DEFEAT = "defeat"  # a battle won against the target hostile
    COLLECT = "collect"  # the target item entered the backpack
    TALK = "talk"  # a chat with the target NPC
    REACH = "reach"  # the target place explored


class ChapterPaceBand(StrEnum):
    BEHIND = "behind"  # actual XP < 50% of the chapter's planned XP
    ON_PACE = "on_pace"  # 50%..100%
    AHEAD = "ahead"  # > 100%


class PlayerProgressionGrantSource(StrEnum):
    HOSTILE_DEFEAT = "hostile_defeat"
    QUEST_TURN_IN = "quest_turn_in"


PLAYER_MAX_HP = 100
PLAYER_MAX_MANA = 30
ATTACK_BASE = 8  # player damage: ATTACK_BASE + roll 0..3
SKILL_MULTIPLIER = 2  # a skill deals twice an attack
SKILL_MANA = 10  # what a skill costs
TARGET_ROLL = 2  # the hostile deals its attack + roll 0..TARGET_ROLL
ITEM_HEAL = 25  # a consumable used in battle heals this much (up to max hp)
XP_CURVE_BASE = 100  # XP from level n to n + 1: XP_CURVE_BASE * n
PACE_BEHIND_MILLIS, PACE_AHEAD_MILLIS = 500, 1000


def xp_to_next(level: int) -> int:
    """The server-side curve: reaching level n + 1 from n takes 100 * n XP."""
    return XP_CURVE_BASE * level


def level_for(total_xp: int) -> tuple[int, int]:
    """(level, xp within it) for a total."""
    level, left = 1, total_xp
    while left >= xp_to_next(level):
        left -= xp_to_next(level)
        level += 1
    return level, left


def pseudo_level_millis(total_xp: int) -> int:
    """The level a total reaches, in thousandths (level 2 halfway to 3: 2500)."""
    level, left = level_for(total_xp)
    return level * 1000 + left * 1000 // xp_to_next(level)


def pace_band(actual_xp: int, planned_xp: int) -> ChapterPaceBand:
    ratio = actual_xp * 1000 // planned_xp if planned_xp else 1000
    if ratio < PACE_BEHIND_MILLIS:
        return ChapterPaceBand.BEHIND
    if ratio <= PACE_AHEAD_MILLIS:
        return ChapterPaceBand.ON_PACE
    return ChapterPaceBand.AHEAD
