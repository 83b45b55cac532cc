"""The RPG runtime (docs/rpg.md; catalog "RPG 运行时表"): story sessions, story events, NPC
state and inventory slots of a custom world's run.

Catalog tables: story_session (one per run: `runtime_session_id` is the run id of the
framework's `runs_run` row, which is the authority on status, version and timing; `version`
mirrors its `snapshot_version`), story_event (the opening and every narrative turn),
npc_state (one per (runtime session, npc), unique) and inventory_slot (backpack and
equipment; one row per (runtime session, container, slot key), unique). The catalog's
`Vec<…>` and snapshot columns are JSON arrays or objects validated by the pydantic models
of resolvers/rpg/records.py. Additions (docs/tables.md): `story_session.mode`, `seed`,
`content_json` (the derived playable content), `offered_choices_json`, `pending_task_id`,
`pending_action_json`, `turn_count`, `progress_json`; `story_event.turn_index` and `action_text`.
"""

from piccolo.columns import JSON, Boolean, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class StorySession(Table, tablename="story_session"):
    story_session_id = Varchar(length=64, primary_key=True)
    runtime_session_id = Varchar(length=64, unique=True)
    actor_user_id = Varchar(length=64, index=True)
    world_profile_id = Varchar(length=64)
    initial_prompt = Text(default="")
    opening_summary = Text(null=True, default=None)
    latest_narrative_text = Text(default="")
    latest_choice_function_id = Varchar(length=128, null=True, default=None)
    status = Varchar(length=24, default="active")
    version = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    mode = Varchar(length=8, default="play")
    seed = Varchar(length=64, default="")
    content_json = JSON(default={})
    offered_choices_json = JSON(default=[])
    pending_task_id = Varchar(length=64, null=True, default=None)
    pending_action_json = JSON(null=True, default=None)
    turn_count = Integer(default=0)
    progress_json = JSON(default={})


class StoryEvent(Table, tablename="story_event"):
    event_id = Varchar(length=64, primary_key=True)
    story_session_id = Varchar(length=64, index=True)
    event_kind = Varchar(length=16)
    narrative_text = Text(default="")
    choice_function_id = Varchar(length=128, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    turn_index = Integer(default=0)
    action_text = Text(null=True, default=None)


class NpcState(Table, tablename="npc_state"):
    npc_state_id = Varchar(length=64, primary_key=True)
    runtime_session_id = Varchar(length=64, index=True)
    npc_id = Varchar(length=64, index=True)
    npc_name = Varchar(length=64)
    affinity = Integer(default=0)
    relation_state = Varchar(length=16)
    help_used = Boolean(default=False)
    chatted_count = Integer(default=0)
    gifts_given = Integer(default=0)
    recruited = Boolean(default=False)
    trade_stock_signature = Varchar(length=64, null=True, default=None)
    revealed_facts = JSON(default=[])
    known_attribute_rumors = JSON(default=[])
    first_meaningful_contact_resolved = Boolean(default=False)
    seen_backstory_chapter_ids = JSON(default=[])
    stance_profile = JSON(default={})
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class InventorySlot(Table, tablename="inventory_slot"):
    slot_id = Varchar(length=64, primary_key=True)
    runtime_session_id = Varchar(length=64, index=True)
    story_session_id = Varchar(length=64, null=True, default=None)
    actor_user_id = Varchar(length=64, index=True)
    container_kind = Varchar(length=16)
    slot_key = Varchar(length=128)
    item_id = Varchar(length=128, index=True)
    category = Varchar(length=32)
    name = Varchar(length=80)
    description = Text(null=True, default=None)
    quantity = Integer(default=1)
    rarity = Varchar(length=16)
    tags = JSON(default=[])
    stackable = Boolean(default=False)
    stack_key = Varchar(length=128)
    equipment_slot_id = Varchar(length=16, null=True, default=None)
    source_kind = Varchar(length=24)
    source_reference_id = Varchar(length=128, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


INDEXES = {
    ("story_session", ("runtime_session_id",), True),
    ("story_session", ("actor_user_id",), False),
    ("story_session", ("actor_user_id", "updated_at"), False),
    ("story_event", ("story_session_id",), False),
    ("story_event", ("story_session_id", "turn_index"), False),
    ("npc_state", ("runtime_session_id",), False),
    ("npc_state", ("npc_id",), False),
    ("npc_state", ("runtime_session_id", "npc_id"), True),
    ("inventory_slot", ("runtime_session_id",), False),
    ("inventory_slot", ("actor_user_id",), False),
    ("inventory_slot", ("item_id",), False),
    ("inventory_slot", ("container_kind", "slot_key"), False),
    ("inventory_slot", ("runtime_session_id", "container_kind", "slot_key"), True),
}
