"""The pydantic models of the RPG runtime's JSON columns and derived content.

`WorldContent` is what play needs and the draft does not hold (derivation.py): NPCs with
stances and starting affinity, places with what exploring them finds, starting items, and
issue 19's hostile NPCs, encounters and quests. It is stored in `story_session.content_json`;
`StanceProfile` in `npc_state.stance_profile`; `Progress` in `story_session.progress_json`;
`ChoiceFunction` in `offered_choices_json`. Every write validates through these models.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from resolvers.rpg.model import (
    PLAYER_MAX_HP,
    PLAYER_MAX_MANA,
    InventoryEquipmentSlot,
    InventoryItemRarity,
    ItemCategory,
    NpcStance,
)


class _Model(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True
    )

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


class ItemSpec(_Model):
    """An item as it enters an inventory (`quantity` units of it)."""

    item_id: str = Field(min_length=1, max_length=128)
    category: ItemCategory
    name: str = Field(min_length=1, max_length=80)
    description: str | None = None
    quantity: int = Field(ge=1, le=1000)
    rarity: InventoryItemRarity = InventoryItemRarity.COMMON
    tags: list[str] = Field(default_factory=list, max_length=8)
    stackable: bool = False
    stack_key: str = Field(min_length=1, max_length=128)
    equipment_slot_id: InventoryEquipmentSlot | None = None


class StanceProfile(_Model):
    """`npc_state.stance_profile`: how the NPC meets the player and what gift it likes."""

    stance: NpcStance
    likes: str  # a gift tag: gifts carrying it count as liked
    role: str = ""


class NpcSpec(_Model):
    npc_id: str
    name: str
    role: str
    stance: NpcStance
    affinity: int
    likes: str
    facts: list[str]  # revealed by meeting and chatting, in order
    rumors: list[str]  # revealed by gifts, in order
    backstory_chapter_ids: list[str]  # the chapters the NPC appears in
    help_item: ItemSpec  # what asking for help gives (once)


class PlaceSpec(_Model):
    place_id: str
    name: str
    find: ItemSpec  # what exploring it finds (once per session)


class HostileSpec(_Model):
    """An adversary for issue 19's battles."""

    npc_id: str
    name: str
    place_id: str
    chapter_id: str | None
    level: int
    hp: int
    attack: int
    experience_reward: int
    reward_items: list[ItemSpec]


class EncounterSpec(_Model):
    """A treasure encounter for issue 19."""

    encounter_id: str
    name: str
    place_id: str
    reward_items: list[ItemSpec]
    reward_hp: int
    reward_mana: int
    reward_currency: int


class QuestObjective(_Model):
    kind: str  # defeat | collect | talk | reach
    target_id: str
    count: int


class QuestSpec(_Model):
    """A quest an NPC offers, for issue 19."""

    quest_id: str
    issuer_npc_id: str
    chapter_id: str | None
    title: str
    objective: QuestObjective
    reward_xp: int
    reward_items: list[ItemSpec]


class WorldContent(_Model):
    seed: str
    world_name: str
    player_name: str
    npcs: list[NpcSpec]
    places: list[PlaceSpec]
    chapter_ids: list[str]
    starting_items: list[ItemSpec]
    hostiles: list[HostileSpec]
    encounters: list[EncounterSpec]
    quests: list[QuestSpec]

    def npc(self, npc_id: str) -> NpcSpec | None:
        return next((npc for npc in self.npcs if npc.npc_id == npc_id), None)

    def place(self, place_id: str) -> PlaceSpec | None:
        return next((place for place in self.places if place.place_id == place_id), None)


class ChoiceFunction(_Model):
    """A move `storyContinue` offers now: its id and what the button says."""

    function_id: str
    label: str


class Progress(_Model):
    """`story_session.progress_json`: what the choice functions changed so far."""

    explored_place_ids: list[str] = Field(default_factory=list)
    met_npc_ids: list[str] = Field(default_factory=list)
    chapter_index: int = 0  # chapters entered


class PendingTurn(_Model):
    """`story_session.pending_action_json`: the story turn its AI task is answering."""

    task_id: str
    choice_function_id: str | None = None
    text: str | None = None


class Vitals(_Model):
    """`story_session.vitals_json` (part 2): the player's hp, mana and currency; an empty
    object is a fresh player (full hp and mana, no currency)."""

    hp: int = PLAYER_MAX_HP
    max_hp: int = PLAYER_MAX_HP
    mana: int = PLAYER_MAX_MANA
    max_mana: int = PLAYER_MAX_MANA
    currency: int = 0


class QuestStep(_Model):
    """One step of a quest (`quest_record.steps`): `required` signals of `kind` on
    `target_id`; `progress` counts them."""

    step_id: str
    kind: str
    target_id: str
    required: int
    progress: int = 0


class QuestReward(_Model):
    """`quest_record.reward`: what turning it in grants."""

    xp: int
    items: list[ItemSpec]


class QuestSignal(_Model):
    """`quest_log.signal`: what moved a quest on."""

    kind: str
    target_id: str
    amount: int = 1
