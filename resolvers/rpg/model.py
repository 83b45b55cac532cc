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
