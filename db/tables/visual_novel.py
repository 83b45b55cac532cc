"""Visual novels (docs/visual-novel.md): creation sessions, messages, work profiles, runs.

Catalog tables: visual_novel_agent_session, visual_novel_agent_message,
visual_novel_work_profile, visual_novel_runtime_run (a run's story state; the framework's
`runs_run` row is the authority on status, version and timing),
visual_novel_runtime_history_entry (one row per applied turn, with the SHA-256 of the
snapshot before and after it: for continuing and regenerating, never a replay source) and
visual_novel_runtime_event (one audit fact per turn, delivered to the run's owner).
Additions (docs/tables.md): `visual_novel_work_profile.public_work_code` (unique) and a
unique `source_session_id`, an (owner_user_id, updated_at) index for the creator's works;
`visual_novel_runtime_run.recent_snapshots_json` (the last 20 before-snapshots, for
regenerating) and `pending_turn_json` (the text turn waiting for its AI task).
"""

from piccolo.columns import JSON, Boolean, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class VisualNovelAgentSession(Table, tablename="visual_novel_agent_session"):
    session_id = Varchar(length=64, primary_key=True)
    owner_user_id = Varchar(length=64, index=True)
    source_mode = Varchar(length=16)
    status = Varchar(length=32)
    seed_text = Text(default="")
    source_asset_ids_json = JSON(default=[])
    current_turn = Integer(default=0)
    progress_percent = Integer(default=0)
    draft_json = JSON(null=True, default=None)
    pending_action_json = JSON(null=True, default=None)
    last_assistant_reply = Text(null=True, default=None)
    published_profile_id = Varchar(length=64, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class VisualNovelAgentMessage(Table, tablename="visual_novel_agent_message"):
    message_id = Varchar(length=64, primary_key=True)
    session_id = Varchar(length=64, index=True)
    role = Varchar(length=16)
    kind = Varchar(length=16)
    text = Text()
    created_at = Timestamptz(default=TimestamptzNow())


class VisualNovelWorkProfile(Table, tablename="visual_novel_work_profile"):
    profile_id = Varchar(length=64, primary_key=True)
    work_id = Varchar(length=64)
    owner_user_id = Varchar(length=64, index=True)
    source_session_id = Varchar(length=64, null=True, default=None, unique=True)
    author_display_name = Varchar(length=64)
    work_title = Varchar(length=200, default="")
    work_description = Text(default="")
    tags_json = JSON(default=[])
    cover_image_src = Varchar(length=255, null=True, default=None)
    source_asset_ids_json = JSON(default=[])
    draft_json = JSON(null=True, default=None)
    publication_status = Varchar(length=16, index=True)
    publish_ready = Boolean(default=False)
    play_count = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    published_at = Timestamptz(null=True, default=None)
    # Addition: the public work code (assigned at the first publication, kept for good).
    public_work_code = Varchar(length=32, null=True, default=None, unique=True)


class VisualNovelRuntimeRun(Table, tablename="visual_novel_runtime_run"):
    run_id = Varchar(length=64, primary_key=True)
    owner_user_id = Varchar(length=64, index=True)
    profile_id = Varchar(length=64, index=True)
    mode = Varchar(length=16)
    status = Varchar(length=16)
    current_scene_id = Varchar(length=64, default="")
    current_phase_id = Varchar(length=64, default="")
    visible_character_ids_json = JSON(default=[])
    flags_json = JSON(default={})
    metrics_json = JSON(default={})
    available_choices_json = JSON(default=[])
    text_mode_enabled = Boolean(default=False)
    snapshot_json = JSON(default={})
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    # Additions: the last 20 before-snapshots ({turnIndex, snapshot}) and the pending turn.
    recent_snapshots_json = JSON(default=[])
    pending_turn_json = JSON(null=True, default=None)


class VisualNovelRuntimeHistoryEntry(Table, tablename="visual_novel_runtime_history_entry"):
    entry_id = Varchar(length=64, primary_key=True)
    run_id = Varchar(length=64, index=True)
    owner_user_id = Varchar(length=64, index=True)
    profile_id = Varchar(length=64)
    turn_index = Integer(default=0)
    source = Varchar(length=16)
    action_text = Text(default="")
    steps_json = JSON(default=[])
    snapshot_before_hash = Varchar(length=64)
    snapshot_after_hash = Varchar(length=64)
    created_at = Timestamptz(default=TimestamptzNow())


class VisualNovelRuntimeEvent(Table, tablename="visual_novel_runtime_event"):
    event_id = Varchar(length=64, primary_key=True)
    run_id = Varchar(length=64, index=True)
    owner_user_id = Varchar(length=64, index=True)
    profile_id = Varchar(length=64)
    event_kind = Varchar(length=32)
    client_event_id = Varchar(length=64, default="")
    history_entry_id = Varchar(length=64, default="")
    payload_json = JSON(default={})
    occurred_at = Timestamptz(default=TimestamptzNow())


# Secondary indexes (catalog: session owner_user_id; message session_id; profile
# owner_user_id, publication_status; runtime run owner_user_id, profile_id; history entry
# run_id, owner_user_id; runtime event run_id, owner_user_id). Additions: unique
# source_session_id and public_work_code, (owner_user_id, updated_at) for the creator's works.
INDEXES = {
    ("visual_novel_agent_session", ("owner_user_id",), False),
    ("visual_novel_agent_message", ("session_id",), False),
    ("visual_novel_work_profile", ("owner_user_id",), False),
    ("visual_novel_work_profile", ("publication_status",), False),
    ("visual_novel_work_profile", ("source_session_id",), True),
    ("visual_novel_work_profile", ("public_work_code",), True),
    ("visual_novel_work_profile", ("owner_user_id", "updated_at"), False),
    ("visual_novel_runtime_run", ("owner_user_id",), False),
    ("visual_novel_runtime_run", ("profile_id",), False),
    ("visual_novel_runtime_history_entry", ("run_id",), False),
    ("visual_novel_runtime_history_entry", ("owner_user_id",), False),
    ("visual_novel_runtime_event", ("run_id",), False),
    ("visual_novel_runtime_event", ("owner_user_id",), False),
}
