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

Part 2 (issue 19): battle_state (one per battle against a hostile NPC; `version` counts its
turns), treasure_record (one per encounter action; at most one `open` per (runtime session,
encounter): a partial unique index), quest_record (one per accepted quest; `quest_key`, the
derived quest id, is an addition, unique per runtime session), quest_log (every quest
change), player_progression (one per user) and chapter_progression (one per (user,
chapter), unique; `chapter_id` is `<worldProfileId>:<chapterId>`). Addition:
`story_session.vitals_json` (the player's hp, mana and currency, docs/rpg.md).
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
    vitals_json = JSON(default={})


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


class BattleState(Table, tablename="battle_state"):
    battle_state_id = Varchar(length=64, primary_key=True)
    story_session_id = Varchar(length=64, index=True)
    runtime_session_id = Varchar(length=64, index=True)
    actor_user_id = Varchar(length=64, index=True)
    chapter_id = Varchar(length=64, null=True, default=None)
    target_npc_id = Varchar(length=128)
    target_name = Varchar(length=80)
    battle_mode = Varchar(length=16)
    status = Varchar(length=16)
    player_hp = Integer(default=0)
    player_max_hp = Integer(default=0)
    player_mana = Integer(default=0)
    player_max_mana = Integer(default=0)
    target_hp = Integer(default=0)
    target_max_hp = Integer(default=0)
    experience_reward = Integer(default=0)
    reward_items = JSON(default=[])
    turn_index = Integer(default=0)
    last_action_function_id = Varchar(length=64, null=True, default=None)
    last_action_text = Text(null=True, default=None)
    last_result_text = Text(null=True, default=None)
    last_damage_dealt = Integer(default=0)
    last_damage_taken = Integer(default=0)
    last_outcome = Varchar(length=16)
    version = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class TreasureRecord(Table, tablename="treasure_record"):
    treasure_record_id = Varchar(length=64, primary_key=True)
    runtime_session_id = Varchar(length=64, index=True)
    story_session_id = Varchar(length=64, index=True)
    actor_user_id = Varchar(length=64, index=True)
    encounter_id = Varchar(length=128, index=True)
    encounter_name = Varchar(length=80)
    scene_id = Varchar(length=64, null=True, default=None)
    scene_name = Varchar(length=80, null=True, default=None)
    action = Varchar(length=16)
    reward_items = JSON(default=[])
    reward_hp = Integer(default=0)
    reward_mana = Integer(default=0)
    reward_currency = Integer(default=0)
    story_hint = Text(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class QuestRecord(Table, tablename="quest_record"):
    quest_id = Varchar(length=64, primary_key=True)
    runtime_session_id = Varchar(length=64, index=True)
    story_session_id = Varchar(length=64, null=True, default=None)
    actor_user_id = Varchar(length=64, index=True)
    issuer_npc_id = Varchar(length=64, index=True)
    issuer_npc_name = Varchar(length=64)
    scene_id = Varchar(length=64, null=True, default=None)
    chapter_id = Varchar(length=64, null=True, default=None)
    act_id = Varchar(length=64, null=True, default=None)
    thread_id = Varchar(length=64, null=True, default=None)
    contract_id = Varchar(length=64, null=True, default=None)
    title = Varchar(length=80)
    description = Text(default="")
    summary = Text(default="")
    objective = JSON(default={})
    progress = Integer(default=0)
    status = Varchar(length=16)
    completion_notified = Boolean(default=False)
    reward = JSON(default={})
    reward_text = Text(default="")
    narrative_binding = JSON(default={})
    steps = JSON(default=[])
    active_step_id = Varchar(length=64, null=True, default=None)
    visible_stage = Integer(default=0)
    hidden_flags = JSON(default=[])
    discovered_fact_ids = JSON(default=[])
    related_carrier_ids = JSON(default=[])
    consequence_ids = JSON(default=[])
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    completed_at = Timestamptz(null=True, default=None)
    turned_in_at = Timestamptz(null=True, default=None)
    quest_key = Varchar(length=128)


class QuestLog(Table, tablename="quest_log"):
    log_id = Varchar(length=64, primary_key=True)
    quest_id = Varchar(length=64, index=True)
    runtime_session_id = Varchar(length=64, index=True)
    actor_user_id = Varchar(length=64, index=True)
    event_kind = Varchar(length=24)
    status_after = Varchar(length=16)
    signal_kind = Varchar(length=16, null=True, default=None)
    signal = JSON(null=True, default=None)
    step_id = Varchar(length=64, null=True, default=None)
    step_progress = Integer(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class PlayerProgression(Table, tablename="player_progression"):
    user_id = Varchar(length=64, primary_key=True)
    level = Integer(default=1)
    current_level_xp = Integer(default=0)
    total_xp = Integer(default=0)
    xp_to_next_level = Integer(default=0)
    pending_level_ups = Integer(default=0)
    last_granted_source = Varchar(length=24, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class ChapterProgression(Table, tablename="chapter_progression"):
    chapter_progression_id = Varchar(length=64, primary_key=True)
    user_id = Varchar(length=64, index=True)
    chapter_id = Varchar(length=160, index=True)
    chapter_index = Integer(default=0)
    total_chapters = Integer(default=0)
    entry_pseudo_level_millis = Integer(default=0)
    exit_pseudo_level_millis = Integer(default=0)
    entry_level = Integer(default=1)
    exit_level = Integer(default=1)
    planned_total_xp = Integer(default=0)
    planned_quest_xp = Integer(default=0)
    planned_hostile_xp = Integer(default=0)
    actual_quest_xp = Integer(default=0)
    actual_hostile_xp = Integer(default=0)
    expected_hostile_defeat_count = Integer(default=0)
    actual_hostile_defeat_count = Integer(default=0)
    level_at_entry = Integer(default=1)
    level_at_exit = Integer(null=True, default=None)
    pace_band = Varchar(length=16)
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
    ("battle_state", ("story_session_id",), False),
    ("battle_state", ("runtime_session_id",), False),
    ("battle_state", ("actor_user_id",), False),
    ("battle_state", ("actor_user_id", "updated_at"), False),
    ("treasure_record", ("story_session_id",), False),
    ("treasure_record", ("runtime_session_id",), False),
    ("treasure_record", ("actor_user_id",), False),
    ("treasure_record", ("encounter_id",), False),
    # partial: WHERE action = 'open' (one open per encounter per session)
    ("treasure_record", ("runtime_session_id", "encounter_id"), True),
    ("quest_record", ("runtime_session_id",), False),
    ("quest_record", ("actor_user_id",), False),
    ("quest_record", ("issuer_npc_id",), False),
    ("quest_record", ("actor_user_id", "updated_at"), False),
    ("quest_record", ("runtime_session_id", "quest_key"), True),
    ("quest_log", ("quest_id",), False),
    ("quest_log", ("runtime_session_id",), False),
    ("quest_log", ("actor_user_id",), False),
    ("chapter_progression", ("user_id",), False),
    ("chapter_progression", ("chapter_id",), False),
    ("chapter_progression", ("user_id", "chapter_id"), True),
}
