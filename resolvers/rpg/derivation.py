"""What a world becomes at session start: the playable content, derived deterministically.

`derive(draft, seed)` uses one `random.Random` seeded with the SHA-256 of the draft's JSON
(keys sorted) and the session's seed, so the same world and seed always give the same
content (docs/rpg.md, "Derivation"):
- the player is the first playable character; every other character is an NPC with a
  stance (friendly, neutral, wary: 1 in 3 each), a starting affinity (30, 15, 0 by stance,
  plus 0..4), a liked gift tag, facts (role, summary, home), rumors (from the `conflict`
  and `factions` anchors), the chapters it appears in, and a help item (its charm);
- each place has a find (what exploring it yields once);
- starting items: 3 healing draughts, a weapon and an armor of the world's theme, and 2 each
  of two gifts with different tags;
- for issue 19: a hostile NPC per place (level = place's position, from 1), a treasure
  encounter per place, and a quest per NPC (objectives cycle defeat, collect, talk, reach).
"""

from __future__ import annotations

import hashlib
import random

import orjson

from resolvers.rpg.model import (
    STARTING_AFFINITY,
    InventoryEquipmentSlot,
    InventoryItemRarity,
    ItemCategory,
    NpcStance,
)
from resolvers.rpg.records import (
    EncounterSpec,
    HostileSpec,
    ItemSpec,
    NpcSpec,
    PlaceSpec,
    QuestObjective,
    QuestSpec,
    WorldContent,
)
from resolvers.worlds.drafts import CustomWorldDraft
from resolvers.worlds.model import AnchorKey, ThemeMode

WEAPONS = {
    ThemeMode.FANTASY: "Iron sword",
    ThemeMode.WUXIA: "Plain jian",
    ThemeMode.XIANXIA: "Spirit blade",
    ThemeMode.SCIFI: "Arc pistol",
    ThemeMode.URBAN: "Steel baton",
    ThemeMode.MYSTERY: "Walking cane",
    ThemeMode.HORROR: "Old revolver",
    ThemeMode.COZY: "Garden shears",
}
ARMORS = {
    ThemeMode.FANTASY: "Leather jerkin",
    ThemeMode.WUXIA: "Padded robe",
    ThemeMode.XIANXIA: "Cloud silk robe",
    ThemeMode.SCIFI: "Flak vest",
    ThemeMode.URBAN: "Denim jacket",
    ThemeMode.MYSTERY: "Tweed coat",
    ThemeMode.HORROR: "Heavy coat",
    ThemeMode.COZY: "Knitted sweater",
}
# (item id, name, tag): two are picked per session, each NPC likes one tag of the four.
GIFTS = (
    ("honey_cake", "Honey cake", "sweet"),
    ("silver_ribbon", "Silver ribbon", "pretty"),
    ("old_map", "Old map", "curious"),
    ("spiced_tea", "Spiced tea", "warm"),
)
GIFT_TAGS = tuple(tag for _, _, tag in GIFTS)
HOSTILE_TITLES = ("Raider", "Shade", "Marauder", "Rogue warden")
OBJECTIVES = ("defeat", "collect", "talk", "reach")
STANCES = (NpcStance.FRIENDLY, NpcStance.NEUTRAL, NpcStance.WARY)

DRAUGHT = ItemSpec(
    item_id="healing_draught",
    category=ItemCategory.CONSUMABLE,
    name="Healing draught",
    description="Restores a little health.",
    quantity=3,
    tags=["heal"],
    stackable=True,
    stack_key="healing_draught",
)


def content_seed(draft: CustomWorldDraft, seed: str) -> int:
    digest = hashlib.sha256(
        orjson.dumps(draft.as_json(), option=orjson.OPT_SORT_KEYS) + b"\0" + seed.encode()
    ).digest()
    return int.from_bytes(digest[:8], "big")


def _one(item: ItemSpec, quantity: int = 1) -> ItemSpec:
    return item.model_copy(update={"quantity": quantity})


def _starting_items(draft: CustomWorldDraft, rng: random.Random) -> list[ItemSpec]:
    gifts = rng.sample(GIFTS, 2)
    return [
        DRAUGHT,
        ItemSpec(
            item_id="weapon",
            category=ItemCategory.EQUIPMENT,
            name=WEAPONS[draft.theme_mode],
            quantity=1,
            stack_key="weapon",
            equipment_slot_id=InventoryEquipmentSlot.WEAPON,
        ),
        ItemSpec(
            item_id="armor",
            category=ItemCategory.EQUIPMENT,
            name=ARMORS[draft.theme_mode],
            quantity=1,
            stack_key="armor",
            equipment_slot_id=InventoryEquipmentSlot.ARMOR,
        ),
        *(
            ItemSpec(
                item_id=item_id,
                category=ItemCategory.GIFT,
                name=name,
                quantity=2,
                tags=[tag],
                stackable=True,
                stack_key=item_id,
            )
            for item_id, name, tag in gifts
        ),
    ]


def _npcs(draft: CustomWorldDraft, rng: random.Random, player_id: str | None) -> list[NpcSpec]:
    places = {place.id: place.name for place in draft.places}
    conflict = draft.anchors.get(AnchorKey.CONFLICT, "the trouble ahead")[:80]
    factions = draft.anchors.get(AnchorKey.FACTIONS, "the old powers")[:80]
    npcs = []
    for character in draft.characters:
        if character.id == player_id:
            continue
        stance = rng.choice(STANCES)
        facts = [f"{character.name} is {character.role or 'a local'}."]
        if character.summary:
            facts.append(character.summary[:200])
        if character.home_place_id in places:
            facts.append(f"{character.name} lives at {places[character.home_place_id]}.")
        npcs.append(
            NpcSpec(
                npc_id=character.id,
                name=character.name,
                role=character.role,
                stance=stance,
                affinity=STARTING_AFFINITY[stance] + rng.randint(0, 4),
                likes=rng.choice(GIFT_TAGS),
                facts=facts,
                rumors=[
                    f"{character.name} knows more about {conflict} than they say.",
                    f"{character.name} once dealt with {factions}.",
                ],
                backstory_chapter_ids=[
                    chapter.id
                    for chapter in draft.chapters
                    if character.id in chapter.character_ids
                ],
                help_item=ItemSpec(
                    item_id=f"charm_{character.id}",
                    category=ItemCategory.EQUIPMENT,
                    name=f"{character.name}'s charm"[:80],
                    quantity=1,
                    rarity=InventoryItemRarity.UNCOMMON,
                    stack_key=f"charm_{character.id}",
                    equipment_slot_id=InventoryEquipmentSlot.ACCESSORY,
                ),
            )
        )
    return npcs


def derive(draft: CustomWorldDraft, seed: str) -> WorldContent:
    """The session's playable content (see the module docstring)."""
    rng = random.Random(content_seed(draft, seed))
    player = next((c for c in draft.characters if c.playable), None)
    npcs = _npcs(draft, rng, player.id if player else None)
    chapter_of = {
        place_id: chapter.id
        for chapter in reversed(draft.chapters)
        for place_id in chapter.place_ids
    }
    places, hostiles, encounters = [], [], []
    for level, place in enumerate(draft.places, start=1):
        find = ItemSpec(
            item_id=f"find_{place.id}",
            category=ItemCategory.MATERIAL,
            name=f"Relic of {place.name}"[:80],
            quantity=1,
            rarity=rng.choice((InventoryItemRarity.UNCOMMON, InventoryItemRarity.RARE)),
            tags=["curious"],
            stackable=True,
            stack_key=f"find_{place.id}",
        )
        places.append(PlaceSpec(place_id=place.id, name=place.name, find=find))
        hostiles.append(
            HostileSpec(
                npc_id=f"hostile_{place.id}",
                name=f"{rng.choice(HOSTILE_TITLES)} of {place.name}"[:64],
                place_id=place.id,
                chapter_id=chapter_of.get(place.id),
                level=level,
                hp=20 + 10 * level,
                attack=3 + 2 * level,
                experience_reward=25 * level,
                reward_items=[_one(DRAUGHT)],
            )
        )
        encounters.append(
            EncounterSpec(
                encounter_id=f"cache_{place.id}",
                name=f"Hidden cache at {place.name}"[:80],
                place_id=place.id,
                reward_items=[_one(DRAUGHT)],
                reward_hp=10,
                reward_mana=5,
                reward_currency=10 + rng.randint(0, 20),
            )
        )
    quests = []
    for index, npc in enumerate(npcs):
        kind = OBJECTIVES[index % len(OBJECTIVES)]
        target = {
            "defeat": hostiles[index % len(hostiles)].npc_id if hostiles else npc.npc_id,
            "collect": places[index % len(places)].find.item_id if places else DRAUGHT.item_id,
            "talk": npcs[(index + 1) % len(npcs)].npc_id,
            "reach": places[index % len(places)].place_id if places else npc.npc_id,
        }[kind]
        quests.append(
            QuestSpec(
                quest_id=f"quest_{npc.npc_id}",
                issuer_npc_id=npc.npc_id,
                chapter_id=npc.backstory_chapter_ids[0] if npc.backstory_chapter_ids else None,
                title=f"{npc.name}'s request"[:80],
                objective=QuestObjective(kind=kind, target_id=target, count=1),
                reward_xp=50,
                reward_items=[_one(DRAUGHT, 2)],
            )
        )
    return WorldContent(
        seed=seed,
        world_name=draft.world_name,
        player_name=player.name if player else "You",
        npcs=npcs,
        places=places,
        chapter_ids=[chapter.id for chapter in draft.chapters],
        starting_items=_starting_items(draft, rng),
        hostiles=hostiles,
        encounters=encounters,
        quests=quests,
    )
