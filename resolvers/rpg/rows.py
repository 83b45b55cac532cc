"""Typed rows of part 1 of the RPG runtime (story_session, story_event, npc_state,
inventory_slot), each built in `from_row` on both engines: selects and `returning` give
JSON columns as text (and SQLite may give times as text). Fields follow the tables' column
order, so a row's change (`store.change`) lists the columns as `returning` them all does.

JSON columns stay decoded JSON (they are also what `storySessionEvents` replays); the
properties read them through the pydantic models that validated them when written."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from resolvers.rpg.model import (
    InventoryContainerKind,
    InventoryEquipmentSlot,
    InventoryItemRarity,
    InventoryItemSourceKind,
    NpcRelationState,
    StoryEventKind,
    StorySessionStatus,
)
from resolvers.rpg.records import ChoiceFunction, StanceProfile, Vitals
from resolvers.runs.rows import json_value, utc_time


@dataclass(frozen=True, slots=True)
class StorySessionRow:
    """A story session (`story_session`): one per custom-world run, JSON columns decoded."""

    story_session_id: str
    runtime_session_id: str
    actor_user_id: str
    world_profile_id: str
    initial_prompt: str
    opening_summary: str | None
    latest_narrative_text: str
    latest_choice_function_id: str | None
    status: StorySessionStatus
    version: int
    created_at: datetime
    updated_at: datetime
    mode: str
    seed: str
    content_json: Any
    offered_choices_json: Any
    pending_task_id: str | None
    pending_action_json: Any
    turn_count: int
    progress_json: Any
    vitals_json: Any

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> StorySessionRow:
        return cls(
            story_session_id=row["story_session_id"],
            runtime_session_id=row["runtime_session_id"],
            actor_user_id=row["actor_user_id"],
            world_profile_id=row["world_profile_id"],
            initial_prompt=row["initial_prompt"],
            opening_summary=row["opening_summary"],
            latest_narrative_text=row["latest_narrative_text"],
            latest_choice_function_id=row["latest_choice_function_id"],
            status=StorySessionStatus(row["status"]),
            version=int(row["version"]),
            created_at=utc_time(row["created_at"]),
            updated_at=utc_time(row["updated_at"]),
            mode=row["mode"],
            seed=row["seed"],
            content_json=json_value(row["content_json"]),
            offered_choices_json=json_value(row["offered_choices_json"]),
            pending_task_id=row["pending_task_id"],
            pending_action_json=json_value(row["pending_action_json"]),
            turn_count=int(row["turn_count"]),
            progress_json=json_value(row["progress_json"]),
            vitals_json=json_value(row["vitals_json"]),
        )

    @property
    def offered_choices(self) -> list[ChoiceFunction]:
        return [ChoiceFunction.model_validate(choice) for choice in self.offered_choices_json]

    @property
    def vitals(self) -> Vitals:
        # an empty (or, before part 2, missing) object is a fresh player
        return Vitals.model_validate(self.vitals_json or {})


@dataclass(frozen=True, slots=True)
class StoryEventRow:
    """The opening or one narrative turn of a session (`story_event`)."""

    event_id: str
    story_session_id: str
    event_kind: StoryEventKind
    narrative_text: str
    choice_function_id: str | None
    created_at: datetime
    turn_index: int
    action_text: str | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> StoryEventRow:
        return cls(
            event_id=row["event_id"],
            story_session_id=row["story_session_id"],
            event_kind=StoryEventKind(row["event_kind"]),
            narrative_text=row["narrative_text"],
            choice_function_id=row["choice_function_id"],
            created_at=utc_time(row["created_at"]),
            turn_index=int(row["turn_index"]),
            action_text=row["action_text"],
        )


@dataclass(frozen=True, slots=True)
class NpcStateRow:
    """A world character in a session (`npc_state`); SQLite gives booleans as 0/1."""

    npc_state_id: str
    runtime_session_id: str
    npc_id: str
    npc_name: str
    affinity: int
    relation_state: NpcRelationState
    help_used: bool
    chatted_count: int
    gifts_given: int
    recruited: bool
    trade_stock_signature: str | None
    revealed_facts: list[str]
    known_attribute_rumors: list[str]
    first_meaningful_contact_resolved: bool
    seen_backstory_chapter_ids: list[str]
    stance_profile: Any
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> NpcStateRow:
        return cls(
            npc_state_id=row["npc_state_id"],
            runtime_session_id=row["runtime_session_id"],
            npc_id=row["npc_id"],
            npc_name=row["npc_name"],
            affinity=int(row["affinity"]),
            relation_state=NpcRelationState(row["relation_state"]),
            help_used=bool(row["help_used"]),
            chatted_count=int(row["chatted_count"]),
            gifts_given=int(row["gifts_given"]),
            recruited=bool(row["recruited"]),
            trade_stock_signature=row["trade_stock_signature"],
            revealed_facts=list(json_value(row["revealed_facts"])),
            known_attribute_rumors=list(json_value(row["known_attribute_rumors"])),
            first_meaningful_contact_resolved=bool(row["first_meaningful_contact_resolved"]),
            seen_backstory_chapter_ids=list(json_value(row["seen_backstory_chapter_ids"])),
            stance_profile=json_value(row["stance_profile"]),
            created_at=utc_time(row["created_at"]),
            updated_at=utc_time(row["updated_at"]),
        )

    @property
    def profile(self) -> StanceProfile:
        return StanceProfile.model_validate(self.stance_profile)


@dataclass(frozen=True, slots=True)
class InventorySlotRow:
    """A backpack or equipment slot (`inventory_slot`); SQLite gives booleans as 0/1."""

    slot_id: str
    runtime_session_id: str
    story_session_id: str | None
    actor_user_id: str
    container_kind: InventoryContainerKind
    slot_key: str
    item_id: str
    category: str
    name: str
    description: str | None
    quantity: int
    rarity: InventoryItemRarity
    tags: list[str]
    stackable: bool
    stack_key: str
    equipment_slot_id: InventoryEquipmentSlot | None
    source_kind: InventoryItemSourceKind
    source_reference_id: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> InventorySlotRow:
        slot = row["equipment_slot_id"]
        return cls(
            slot_id=row["slot_id"],
            runtime_session_id=row["runtime_session_id"],
            story_session_id=row["story_session_id"],
            actor_user_id=row["actor_user_id"],
            container_kind=InventoryContainerKind(row["container_kind"]),
            slot_key=row["slot_key"],
            item_id=row["item_id"],
            category=row["category"],
            name=row["name"],
            description=row["description"],
            quantity=int(row["quantity"]),
            rarity=InventoryItemRarity(row["rarity"]),
            tags=list(json_value(row["tags"])),
            stackable=bool(row["stackable"]),
            stack_key=row["stack_key"],
            equipment_slot_id=InventoryEquipmentSlot(slot) if slot else None,
            source_kind=InventoryItemSourceKind(row["source_kind"]),
            source_reference_id=row["source_reference_id"],
            created_at=utc_time(row["created_at"]),
            updated_at=utc_time(row["updated_at"]),
        )
