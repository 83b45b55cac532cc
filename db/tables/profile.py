"""The runtime profile (docs/domain.md): settings, snapshot, browse history, saves, feedback.

Catalog tables: runtime_setting, runtime_snapshot, user_browse_history, profile_save_archive,
profile_feedback_submission, profile_played_world (written by runs). The wallet tables of §2
live in `economy`.
"""

from piccolo.columns import JSON, BigInt, Integer, Real, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class RuntimeSetting(Table, tablename="runtime_setting"):
    user_id = Varchar(length=64, primary_key=True)
    music_volume = Real(default=0.5)
    platform_theme = Varchar(length=16, default="light")
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class RuntimeSnapshot(Table, tablename="runtime_snapshot"):
    user_id = Varchar(length=64, primary_key=True)
    version = Integer(default=0)
    saved_at = Timestamptz(default=TimestamptzNow())
    bottom_tab = Varchar(length=32, default="")
    # JSON objects or arrays (never top-level scalars: docs/stack.md).
    game_state_json = JSON(default={})
    current_story_json = JSON(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class UserBrowseHistory(Table, tablename="user_browse_history"):
    browse_history_id = Varchar(length=64, primary_key=True)
    user_id = Varchar(length=64, index=True)
    owner_user_id = Varchar(length=64)
    profile_id = Varchar(length=64)
    world_name = Varchar(length=128)
    subtitle = Varchar(length=256, default="")
    summary_text = Text(default="")
    cover_image_src = Text(null=True, default=None)
    theme_mode = Varchar(length=16, default="light")
    author_display_name = Varchar(length=64, default="")
    visited_at = Timestamptz(default=TimestamptzNow())
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class ProfileSaveArchive(Table, tablename="profile_save_archive"):
    archive_id = Varchar(length=64, primary_key=True)
    user_id = Varchar(length=64, index=True)
    world_key = Varchar(length=160)
    owner_user_id = Varchar(length=64, null=True, default=None)
    profile_id = Varchar(length=64, null=True, default=None)
    world_type = Varchar(length=32, null=True, default=None)
    world_name = Varchar(length=128)
    subtitle = Varchar(length=256, default="")
    summary_text = Text(default="")
    cover_image_src = Text(null=True, default=None)
    saved_at = Timestamptz(default=TimestamptzNow())
    bottom_tab = Varchar(length=32, default="")
    game_state_json = JSON(default={})
    current_story_json = JSON(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class ProfilePlayedWorld(Table, tablename="profile_played_world"):
    """A work the user played (PLAY runs, resolvers/runs/played.py): one row per (user,
    `world_key` = `{play_type}:{work_id}`), written when a run starts and when it ends."""

    played_world_id = Varchar(length=64, primary_key=True)
    user_id = Varchar(length=64, index=True)
    world_key = Varchar(length=170)
    owner_user_id = Varchar(length=64, null=True, default=None)
    profile_id = Varchar(length=128, null=True, default=None)
    world_type = Varchar(length=32, null=True, default=None)
    world_title = Varchar(length=200, default="")
    world_subtitle = Varchar(length=256, default="")
    first_played_at = Timestamptz(default=TimestamptzNow())
    last_played_at = Timestamptz(default=TimestamptzNow())
    last_observed_play_time_ms = BigInt(default=0)


class ProfileFeedbackSubmission(Table, tablename="profile_feedback_submission"):
    feedback_id = Varchar(length=64, primary_key=True)
    user_id = Varchar(length=64, index=True)
    description = Text()
    contact_phone = Varchar(length=20, null=True, default=None)
    # {"meta": [...], "data": [...]}: metadata apart from the private data URLs, so lists
    # can read the metadata alone (resolvers/profile/feedback.py).
    evidence_json = JSON(default={})
    status = Varchar(length=16, default="submitted")
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


# Secondary indexes. Catalog: user_browse_history user_id, (user_id, owner_user_id,
# profile_id); profile_save_archive user_id, (user_id, world_key), (user_id, saved_at);
# profile_feedback_submission user_id, (user_id, created_at); profile_played_world user_id,
# (user_id, world_key), (user_id, last_played_at). Three are unique on purpose (one browse
# row, one save slot, one played-world row per world: docs/tables.md), and
# (user_id, visited_at) serves the newest-first history. Composite ones: raw migrations.
INDEXES = {
    ("user_browse_history", ("user_id",), False),
    ("user_browse_history", ("user_id", "owner_user_id", "profile_id"), True),
    ("user_browse_history", ("user_id", "visited_at"), False),
    ("profile_save_archive", ("user_id",), False),
    ("profile_save_archive", ("user_id", "world_key"), True),
    ("profile_save_archive", ("user_id", "saved_at"), False),
    ("profile_feedback_submission", ("user_id",), False),
    ("profile_feedback_submission", ("user_id", "created_at"), False),
    ("profile_played_world", ("user_id",), False),
    ("profile_played_world", ("user_id", "world_key"), True),
    ("profile_played_world", ("user_id", "last_played_at"), False),
}
