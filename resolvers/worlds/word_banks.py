"""The built-in draft generator's word banks and the directives it reads in a creator's
message (`tone: bleak and rainy`, `角色: …`)."""

from __future__ import annotations

import re

from resolvers.worlds.model import (
    AnchorKey,
    ThemeMode,
)

NAME_FIRST = ["Ash", "Salt", "Lantern", "Hollow", "Ember", "Tide", "Moth", "Iron", "Jade", "Frost"]
NAME_SECOND = ["fall", "reach", "mere", "haven", "spire", "vale", "gate", "wood", "crown", "deep"]
SUBTITLES = [
    "A world at the edge of the map",
    "Where the old roads end",
    "The last season before the storm",
    "A city that remembers everything",
    "Under a sky of broken lanterns",
]
ANCHOR_BANK: dict[AnchorKey, list[str]] = {
    AnchorKey.PREMISE: [
        "A drowned empire resurfaces one island at a time.",
        "Every lantern in the city holds a trapped memory.",
        "The gods left, and their servants still keep the temples running.",
        "A caravan city walks across a desert that eats the past.",
    ],
    AnchorKey.TONE: [
        "Bittersweet adventure with quiet, funny moments.",
        "Grim and rainy, hope earned the hard way.",
        "Whimsical and warm, with a thread of unease.",
        "Tense political intrigue, every smile a move.",
    ],
    AnchorKey.SETTING: [
        "Archipelago of salt towns linked by rope bridges, early industrial age.",
        "A vertical city carved into a canyon wall, lamps and pulleys everywhere.",
        "Bamboo valleys and river ports in a late dynasty of a tired empire.",
        "Frozen frontier stations around a buried star-ship.",
    ],
    AnchorKey.RULES: [
        "Magic is paid for with memories; the more you cast, the less you remember.",
        "Names have power: whoever knows your true name can bind you once.",
        "Machines run on captured weather, and storms are mined like ore.",
        "Martial arts draw on breath and oaths; breaking an oath breaks the art.",
    ],
    AnchorKey.FACTIONS: [
        "The Lamplighters' Guild against the Tide Court, with smugglers in between.",
        "Three sects compete for the emperor's favour while a rebel school grows.",
        "The Archive wants everything written down; the Unwritten want it forgotten.",
        "Mining houses, a pilgrim church and the machine-born who serve neither.",
    ],
    AnchorKey.PLAYER_ROLE: [
        "A courier who can carry anything, including secrets, across borders.",
        "A disgraced disciple returning to clear their master's name.",
        "A cartographer hired to map places that keep moving.",
        "A newcomer with no memory and an invitation nobody remembers sending.",
    ],
    AnchorKey.CONFLICT: [
        "The tide is rising faster each year and someone is making it rise.",
        "A stolen seal could start a war between the sects.",
        "The city's memories are leaking, and people forget who they love.",
        "The buried ship is waking up, and it wants its crew back.",
    ],
    AnchorKey.STAKES: [
        "If the player fails, the archipelago sinks and its history with it.",
        "Win, and the sects unite; lose, and the valley burns.",
        "Save the city's memory or let it forget and start anew.",
        "Decide whether the frontier belongs to people or to the ship.",
    ],
}
CHARACTER_NAMES = [
    "Mira Vance",
    "Kael Thorn",
    "Old Wen",
    "Sister Lio",
    "Tamsin Reed",
    "Bao Yun",
    "Captain Ferro",
    "Ilsa Marr",
    "The Quiet Boy",
    "Doctor Hale",
]
ROLES = ["smuggler", "mentor", "rival", "archivist", "guard captain", "healer", "trickster"]
PLACE_NAMES = [
    "The Drowned Market",
    "Lantern Spire",
    "Saltglass Docks",
    "The Hollow Temple",
    "Ember Pass",
    "Moth Library",
    "Tidegate Fort",
    "Jade Terraces",
]
REGIONS = ["harbour district", "old town", "northern cliffs", "river delta", "the undercity"]
CHAPTER_TITLES = [
    "Arrival",
    "The First Favour",
    "Smoke over the Water",
    "A Door Left Open",
    "The Broken Seal",
    "Night Market",
    "What the Tide Took",
    "The Long Climb",
    "Oaths",
    "The Last Lantern",
]
TAGS = {
    ThemeMode.FANTASY: "fantasy",
    ThemeMode.WUXIA: "wuxia",
    ThemeMode.XIANXIA: "xianxia",
    ThemeMode.SCIFI: "sci-fi",
    ThemeMode.URBAN: "urban",
    ThemeMode.MYSTERY: "mystery",
    ThemeMode.HORROR: "horror",
    ThemeMode.COZY: "cozy",
}

# Directive names (English and Chinese) → anchors.
ANCHOR_NAMES: dict[str, AnchorKey] = {
    "premise": AnchorKey.PREMISE,
    "前提": AnchorKey.PREMISE,
    "核心": AnchorKey.PREMISE,
    "tone": AnchorKey.TONE,
    "基调": AnchorKey.TONE,
    "setting": AnchorKey.SETTING,
    "背景": AnchorKey.SETTING,
    "rules": AnchorKey.RULES,
    "规则": AnchorKey.RULES,
    "factions": AnchorKey.FACTIONS,
    "势力": AnchorKey.FACTIONS,
    "player role": AnchorKey.PLAYER_ROLE,
    "player_role": AnchorKey.PLAYER_ROLE,
    "玩家身份": AnchorKey.PLAYER_ROLE,
    "conflict": AnchorKey.CONFLICT,
    "冲突": AnchorKey.CONFLICT,
    "stakes": AnchorKey.STAKES,
    "结局": AnchorKey.STAKES,
}
DIRECTIVE = re.compile(r"^\s*([A-Za-z_ ]{3,20}|[\u4e00-\u9fff]{2,4})\s*[:：]\s*(.+?)\s*$")
SPLIT = re.compile(r"\s+[-—–]+\s+")
