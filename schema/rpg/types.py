"""The RPG runtime on the graph: `StorySession` (with its NPCs, inventory and story
events) and `CustomWorldRun` (the `Run` of a custom world: its story session)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from resolvers.rpg.model import (
    InventoryAction,
    InventoryContainerKind,
    InventoryEquipmentSlot,
    InventoryItemRarity,
    InventoryItemSourceKind,
    NpcAction,
    NpcRelationState,
    NpcStance,
    StoryEventKind,
    StorySessionStatus,
)
from resolvers.rpg.rows import InventorySlotRow, NpcStateRow, StoryEventRow
from resolvers.rpg.state import StoryView
from resolvers.runs import model as runs_model
from schema.rpg.play_types import (
    BattleStateType,
    ChapterProgressionType,
    PlayerProgressionType,
    PlayerVitalsType,
    QuestLogType,
    QuestRecordType,
    TreasureRecordType,
)
from schema.runs.types import Run, RunLoaders

strawberry.enum(
    StorySessionStatus,
    description="ACTIVE (waiting for you), NARRATING (a story turn's AI task is answering: "
    "every action is TURN_IN_PROGRESS), FINISHED (its run ended).",
)
strawberry.enum(StoryEventKind, description="OPENING, CHOICE (a choice function), TEXT.")
strawberry.enum(NpcStance, description="How the character meets you (derived at start).")
strawberry.enum(
    NpcRelationState,
    description="From affinity: DISTANT (<10), ACQUAINTED (10-29), FRIENDLY (30-49), "
    "TRUSTED (>=50); COMPANION once recruited.",
)
strawberry.enum(NpcAction, description="CHAT, GIFT (a backpack item), HELP (once), RECRUIT.")
strawberry.enum(InventoryContainerKind, description="BACKPACK or EQUIPMENT.")
strawberry.enum(InventoryItemRarity, description="COMMON to LEGENDARY.")
strawberry.enum(InventoryEquipmentSlot, description="WEAPON, ARMOR or ACCESSORY.")
strawberry.enum(InventoryItemSourceKind, description="Where an item came from.")
strawberry.enum(
    InventoryAction,
    description="EQUIP (backpack to its equipment slot), UNEQUIP, USE (a consumable).",
)


@strawberry.type(description="A move `storyContinue` offers now.")
class StoryChoiceFunction:
    function_id: str = strawberry.field(description="What `choiceFunctionId` takes.")
    label: str = strawberry.field(description="What the move says.")


@strawberry.type(name="NpcState", description="A character of the world in your session.")
class NpcStateType:
    npc_state_id: strawberry.ID = strawberry.field(description="The row's id.")
    npc_id: str = strawberry.field(description="The world character's id.")
    npc_name: str = strawberry.field(description="Its name.")
    affinity: int = strawberry.field(description="-100..100; see docs/rpg.md for the rules.")
    relation_state: NpcRelationState = strawberry.field(description="Follows affinity.")
    help_used: bool = strawberry.field(description="Whether it has helped you (once).")
    chatted_count: int = strawberry.field(description="Chats so far.")
    gifts_given: int = strawberry.field(description="Gifts given so far.")
    recruited: bool = strawberry.field(description="Whether it travels with you.")
    trade_stock_signature: str | None = strawberry.field(description="Reserved for trading.")
    revealed_facts: list[str] = strawberry.field(description="Facts you learned, in order.")
    known_attribute_rumors: list[str] = strawberry.field(description="Rumors you heard.")
    first_meaningful_contact_resolved: bool = strawberry.field(
        description="True after your first chat, gift, help or recruit."
    )
    seen_backstory_chapter_ids: list[str] = strawberry.field(
        description="Its chapters you have seen, without duplicates."
    )
    stance: NpcStance = strawberry.field(description="Its stance (stance profile).")
    likes: str = strawberry.field(description="The gift tag it likes (stance profile).")

    @classmethod
    def from_row(cls, row: NpcStateRow) -> NpcStateType:
        profile = row.profile
        return cls(
            npc_state_id=strawberry.ID(row.npc_state_id),
            npc_id=row.npc_id,
            npc_name=row.npc_name,
            affinity=row.affinity,
            relation_state=row.relation_state,
            help_used=row.help_used,
            chatted_count=row.chatted_count,
            gifts_given=row.gifts_given,
            recruited=row.recruited,
            trade_stock_signature=row.trade_stock_signature,
            revealed_facts=row.revealed_facts,
            known_attribute_rumors=row.known_attribute_rumors,
            first_meaningful_contact_resolved=row.first_meaningful_contact_resolved,
            seen_backstory_chapter_ids=row.seen_backstory_chapter_ids,
            stance=profile.stance,
            likes=profile.likes,
        )


@strawberry.type(name="InventorySlot", description="A backpack or equipment slot.")
class InventorySlotType:
    slot_id: strawberry.ID = strawberry.field(description="What inventory and gift actions take.")
    container_kind: InventoryContainerKind = strawberry.field(description="Its container.")
    slot_key: str = strawberry.field(
        description="`<stackKey>#<n>` in the backpack, the equipment slot id when equipped."
    )
    item_id: str = strawberry.field(description="The item's id.")
    category: str = strawberry.field(description="consumable, gift, equipment or material.")
    name: str = strawberry.field(description="The item's name.")
    description: str | None = strawberry.field(description="What it is.")
    quantity: int = strawberry.field(description="Units here (at most 20 per stack).")
    rarity: InventoryItemRarity = strawberry.field(description="Its rarity.")
    tags: list[str] = strawberry.field(description="Its tags (gift tags NPCs may like).")
    stackable: bool = strawberry.field(description="Whether units stack by `stackKey`.")
    stack_key: str = strawberry.field(description="Units of one key stack together.")
    equipment_slot_id: InventoryEquipmentSlot | None = strawberry.field(
        description="Where it can be equipped; null: it cannot."
    )
    source_kind: InventoryItemSourceKind = strawberry.field(description="Where it came from.")
    source_reference_id: str | None = strawberry.field(description="The place, NPC, …")

    @classmethod
    def from_row(cls, row: InventorySlotRow) -> InventorySlotType:
        return cls(
            slot_id=strawberry.ID(row.slot_id),
            container_kind=row.container_kind,
            slot_key=row.slot_key,
            item_id=row.item_id,
            category=row.category,
            name=row.name,
            description=row.description,
            quantity=row.quantity,
            rarity=row.rarity,
            tags=row.tags,
            stackable=row.stackable,
            stack_key=row.stack_key,
            equipment_slot_id=row.equipment_slot_id,
            source_kind=row.source_kind,
            source_reference_id=row.source_reference_id,
        )


@strawberry.type(name="StoryEvent", description="The opening or one narrative turn.")
class StoryEventType:
    event_id: strawberry.ID = strawberry.field(description="The event's id.")
    event_kind: StoryEventKind = strawberry.field(description="OPENING, CHOICE or TEXT.")
    narrative_text: str = strawberry.field(description="The narrative written.")
    choice_function_id: str | None = strawberry.field(description="The move taken, if any.")
    turn_index: int = strawberry.field(description="0 for the opening, then 1, 2, …")
    action_text: str | None = strawberry.field(description="What you typed (TEXT turns).")
    created_at: datetime = strawberry.field(description="When it was written.")

    @classmethod
    def from_row(cls, row: StoryEventRow) -> StoryEventType:
        return cls(
            event_id=strawberry.ID(row.event_id),
            event_kind=row.event_kind,
            narrative_text=row.narrative_text,
            choice_function_id=row.choice_function_id,
            turn_index=row.turn_index,
            action_text=row.action_text,
            created_at=row.created_at,
        )


@strawberry.type(
    name="StorySession",
    description="Your play of a custom world (docs/rpg.md): the story so far, the moves "
    "offered, the world's characters and your inventory. Only its player reads it.",
)
class StorySessionType:
    story_session_id: strawberry.ID = strawberry.field(description="What actions take.")
    runtime_session_id: strawberry.ID = strawberry.field(description="Its run's `runId`.")
    world_profile_id: strawberry.ID = strawberry.field(description="The world played.")
    status: StorySessionStatus = strawberry.field(description="ACTIVE, NARRATING, FINISHED.")
    version: int = strawberry.field(
        description="The snapshot version: every action names it (`expectedVersion`)."
    )
    seed: str = strawberry.field(description="The session's seed (derivation).")
    opening_summary: str | None = strawberry.field(description="The world's summary.")
    latest_narrative_text: str = strawberry.field(description="The latest narrative.")
    latest_choice_function_id: str | None = strawberry.field(description="The last move.")
    pending_task_id: strawberry.ID | None = strawberry.field(
        description="The AI task answering the pending turn (follow it on `aiTaskEvents`)."
    )
    turn_count: int = strawberry.field(description="Story turns applied.")
    offered_choices: list[StoryChoiceFunction] = strawberry.field(
        description="The moves offered now."
    )
    derived_content: JSON = strawberry.field(
        description="What the derivation made of the world: npcs, places, startingItems, "
        "hostiles, encounters, quests (docs/rpg.md)."
    )
    npcs: list[NpcStateType] = strawberry.field(description="The world's characters.")
    inventory: list[InventorySlotType] = strawberry.field(
        description="Backpack then equipment slots, by slot key."
    )
    events: list[StoryEventType] = strawberry.field(description="The story so far, in order.")
    vitals: PlayerVitalsType = strawberry.field(description="Your hp, mana and currency.")
    battles: list[BattleStateType] = strawberry.field(description="Your battles, oldest first.")
    treasure_records: list[TreasureRecordType] = strawberry.field(
        description="Your treasure interactions, oldest first."
    )
    quests: list[QuestRecordType] = strawberry.field(description="Quests you accepted.")
    quest_logs: list[QuestLogType] = strawberry.field(description="Every quest change.")
    player_progression: PlayerProgressionType | None = strawberry.field(
        description="Your level and XP (null before any XP; TEST sessions grant none)."
    )
    chapter_progressions: list[ChapterProgressionType] = strawberry.field(
        description="This world's chapters you earned XP in."
    )
    updated_at: datetime = strawberry.field(description="Its last change.")

    @classmethod
    def from_view(cls, view: StoryView) -> StorySessionType:
        row = view.session
        return cls(
            story_session_id=strawberry.ID(row.story_session_id),
            runtime_session_id=strawberry.ID(row.runtime_session_id),
            world_profile_id=strawberry.ID(row.world_profile_id),
            status=row.status,
            version=row.version,
            seed=row.seed,
            opening_summary=row.opening_summary,
            latest_narrative_text=row.latest_narrative_text,
            latest_choice_function_id=row.latest_choice_function_id,
            pending_task_id=strawberry.ID(row.pending_task_id) if row.pending_task_id else None,
            turn_count=row.turn_count,
            offered_choices=[
                StoryChoiceFunction(function_id=c.function_id, label=c.label)
                for c in row.offered_choices
            ],
            derived_content=JSON(row.content_json),
            npcs=[NpcStateType.from_row(npc) for npc in view.npcs],
            inventory=[InventorySlotType.from_row(slot) for slot in view.inventory],
            events=[StoryEventType.from_row(event) for event in view.events],
            vitals=PlayerVitalsType.from_vitals(row.vitals),
            battles=[BattleStateType.from_row(b) for b in view.battles],
            treasure_records=[TreasureRecordType.from_row(t) for t in view.treasures],
            quests=[QuestRecordType.from_row(q) for q in view.quests],
            quest_logs=[QuestLogType.from_row(log) for log in view.quest_logs],
            player_progression=PlayerProgressionType.from_row(view.progression)
            if view.progression
            else None,
            chapter_progressions=[ChapterProgressionType.from_row(c) for c in view.chapters],
            updated_at=row.updated_at,
        )


@strawberry.type(
    description="A run of a custom world: its story session. No win in this version and "
    "no practical time limit (docs/rpg.md)."
)
class CustomWorldRun(Run):
    story_session: StorySessionType | None = strawberry.field(description="The session.")

    @classmethod
    def from_run(
        cls, run: runs_model.Run, state: StoryView | None, loaders: RunLoaders
    ) -> CustomWorldRun:
        session = StorySessionType.from_view(state) if state is not None else None
        return cls(**Run.run_fields(run, loaders), story_session=session)
