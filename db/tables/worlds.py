"""Custom worlds (docs/domain.md; catalog "世界创作表"): creation sessions, drafts, cards and works.

Catalog tables: custom_world_profile (the work: soft-deleted with `deleted_at`),
custom_world_session (the older question-and-answer flow), custom_world_agent_session,
custom_world_agent_message, custom_world_agent_operation, custom_world_draft_card and
custom_world_gallery_entry (the public read model of published worlds). The catalog's
`*_json` columns are JSON objects or arrays (never top-level scalars: docs/stack.md).
"""

from piccolo.columns import JSON, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class CustomWorldProfile(Table, tablename="custom_world_profile"):
    """A custom world (work): draft until published; `deleted_at` hides it everywhere."""

    profile_id = Varchar(length=64, primary_key=True)
    owner_user_id = Varchar(length=64, index=True)
    # Assigned at first publication, kept when unpublished (republishing reuses it).
    public_work_code = Varchar(length=16, null=True, default=None, unique=True)
    author_public_user_code = Varchar(length=32, null=True, default=None)
    # The agent session that made it: one work per session.
    source_agent_session_id = Varchar(length=64, null=True, default=None, unique=True)
    publication_status = Varchar(length=16, default="draft", index=True)
    world_name = Varchar(length=64, default="")
    subtitle = Varchar(length=128, default="")
    summary_text = Text(default="")
    theme_mode = Varchar(length=16, default="fantasy")
    cover_image_src = Text(null=True, default=None)
    profile_payload_json = JSON(default={})
    playable_npc_count = Integer(default=0)
    landmark_count = Integer(default=0)
    author_display_name = Varchar(length=64, default="")
    published_at = Timestamptz(null=True, default=None)
    deleted_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class CustomWorldSession(Table, tablename="custom_world_session"):
    """The older question-and-answer flow: setting, questions and answers, result or error."""

    session_id = Varchar(length=64, primary_key=True)
    owner_user_id = Varchar(length=64, index=True)
    generation_mode = Varchar(length=16, default="guided")
    status = Varchar(length=24, default="questioning")
    setting_text = Text(default="")
    creator_intent_json = JSON(null=True, default=None)
    question_snapshot_json = JSON(default=[])
    result_payload_json = JSON(null=True, default=None)
    last_error_message = Text(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class CustomWorldAgentSession(Table, tablename="custom_world_agent_session"):
    """A conversation with the creation agent: eight anchors, draft, gate, progress."""

    session_id = Varchar(length=64, primary_key=True)
    owner_user_id = Varchar(length=64, index=True)
    seed_text = Text(default="")
    current_turn = Integer(default=0)
    progress_percent = Integer(default=0)
    stage = Varchar(length=24, default="collecting_anchors", index=True)
    focus_card_id = Varchar(length=64, null=True, default=None)
    anchor_content_json = JSON(default={})
    creator_intent_json = JSON(null=True, default=None)
    creator_intent_readiness_json = JSON(default={})
    anchor_pack_json = JSON(null=True, default=None)
    lock_state_json = JSON(null=True, default=None)
    draft_profile_json = JSON(null=True, default=None)
    last_assistant_reply = Text(null=True, default=None)
    publish_gate_json = JSON(null=True, default=None)
    result_preview_json = JSON(null=True, default=None)
    pending_clarifications_json = JSON(default=[])
    quality_findings_json = JSON(default=[])
    suggested_actions_json = JSON(default=[])
    recommended_replies_json = JSON(default=[])
    asset_coverage_json = JSON(default={})
    checkpoints_json = JSON(default=[])
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class CustomWorldAgentMessage(Table, tablename="custom_world_agent_message"):
    """The message log of an agent session, oldest first."""

    message_id = Varchar(length=64, primary_key=True)
    session_id = Varchar(length=64, index=True)
    role = Varchar(length=16)
    kind = Varchar(length=16)
    text = Text(default="")
    related_operation_id = Varchar(length=64, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class CustomWorldAgentOperation(Table, tablename="custom_world_agent_operation"):
    """One agent turn (or other asynchronous step): status, phase, progress, error."""

    operation_id = Varchar(length=64, primary_key=True)
    session_id = Varchar(length=64, index=True)
    operation_type = Varchar(length=24)
    status = Varchar(length=16)
    phase_label = Varchar(length=64, default="")
    phase_detail = Text(default="")
    progress = Integer(default=0)
    error_message = Text(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class CustomWorldDraftCard(Table, tablename="custom_world_draft_card"):
    """One element of a session's draft (world, character, place, chapter) as a card."""

    card_id = Varchar(length=64, primary_key=True)
    session_id = Varchar(length=64, index=True)
    kind = Varchar(length=16, index=True)
    status = Varchar(length=16, default="generated")
    title = Varchar(length=64, default="")
    subtitle = Varchar(length=128, default="")
    summary = Text(default="")
    linked_ids_json = JSON(default=[])
    warning_count = Integer(default=0)
    asset_status = Varchar(length=16, null=True, default=None)
    asset_status_label = Varchar(length=64, null=True, default=None)
    detail_payload_json = JSON(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class CustomWorldGalleryEntry(Table, tablename="custom_world_gallery_entry"):
    """The public read model of a published world, kept in step with its profile."""

    profile_id = Varchar(length=64, primary_key=True)
    owner_user_id = Varchar(length=64, index=True)
    public_work_code = Varchar(length=16, unique=True)
    author_public_user_code = Varchar(length=32)
    author_display_name = Varchar(length=64)
    world_name = Varchar(length=64)
    subtitle = Varchar(length=128, default="")
    summary_text = Text(default="")
    cover_image_src = Text(null=True, default=None)
    theme_mode = Varchar(length=16, index=True)
    playable_npc_count = Integer(default=0)
    landmark_count = Integer(default=0)
    published_at = Timestamptz()
    updated_at = Timestamptz(default=TimestamptzNow())


# Secondary indexes. Catalog: profile owner_user_id, publication_status; session
# owner_user_id; agent session owner_user_id, stage; message session_id; operation
# session_id; card session_id, kind; gallery entry owner_user_id, theme_mode,
# public_work_code. Additions: unique public work codes and source sessions on profiles
# (one code per work, one work per session), and (owner, updated_at) / (session, created_at)
# for the lists the catalog orders that way.
INDEXES = {
    ("custom_world_profile", ("owner_user_id",), False),
    ("custom_world_profile", ("publication_status",), False),
    ("custom_world_profile", ("public_work_code",), True),
    ("custom_world_profile", ("source_agent_session_id",), True),
    ("custom_world_profile", ("owner_user_id", "updated_at"), False),
    ("custom_world_session", ("owner_user_id",), False),
    ("custom_world_session", ("owner_user_id", "updated_at"), False),
    ("custom_world_agent_session", ("owner_user_id",), False),
    ("custom_world_agent_session", ("stage",), False),
    ("custom_world_agent_session", ("owner_user_id", "updated_at"), False),
    ("custom_world_agent_message", ("session_id",), False),
    ("custom_world_agent_message", ("session_id", "created_at"), False),
    ("custom_world_agent_operation", ("session_id",), False),
    ("custom_world_draft_card", ("session_id",), False),
    ("custom_world_draft_card", ("kind",), False),
    ("custom_world_gallery_entry", ("owner_user_id",), False),
    ("custom_world_gallery_entry", ("theme_mode",), False),
    ("custom_world_gallery_entry", ("public_work_code",), True),
}
