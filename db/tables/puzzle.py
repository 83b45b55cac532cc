"""Puzzles (docs/domain.md): creation sessions, their messages, work profiles, events.

Catalog tables: puzzle_agent_session, puzzle_agent_message, puzzle_work_profile,
puzzle_event, puzzle_runtime_run (a run's puzzle state; its status, version and timing are
the framework's `runs_run`) and puzzle_leaderboard_entry (best time per user, work and grid
size). Additions (docs/tables.md): `puzzle_work_profile.public_work_code` (unique; assigned
at the first publication), a unique index on `source_session_id` (one work card per
session), one on (owner_user_id, updated_at) for the creator's works, one on (profile_id,
grid_size, best_elapsed_ms, updated_at) for ranks, and the table `puzzle_leaderboard_event`
(the events of the leaderboard streams). A work's `work_id` equals its `profile_id` (the
gallery keys works by profile id).
Enumerations are stored as their lower-case values (resolvers/puzzle/model.py); JSON
columns hold objects or arrays.
"""

from piccolo.columns import JSON, BigInt, Boolean, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class PuzzleAgentSession(Table, tablename="puzzle_agent_session"):
    session_id = Varchar(length=64, primary_key=True)
    owner_user_id = Varchar(length=64, index=True)
    seed_text = Text(default="")
    current_turn = Integer(default=0)
    progress_percent = Integer(default=0)
    stage = Varchar(length=32)
    anchor_pack_json = JSON(default={})
    draft_json = JSON(null=True, default=None)
    last_assistant_reply = Text(null=True, default=None)
    published_profile_id = Varchar(length=64, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class PuzzleAgentMessage(Table, tablename="puzzle_agent_message"):
    message_id = Varchar(length=64, primary_key=True)
    session_id = Varchar(length=64, index=True)
    role = Varchar(length=16)
    kind = Varchar(length=16)
    text = Text()
    created_at = Timestamptz(default=TimestamptzNow())


class PuzzleWorkProfile(Table, tablename="puzzle_work_profile"):
    profile_id = Varchar(length=64, primary_key=True)
    # The same value as `profile_id`: the work's id in the gallery and on the graph.
    work_id = Varchar(length=64)
    owner_user_id = Varchar(length=64, index=True)
    source_session_id = Varchar(length=64, null=True, default=None, unique=True)
    author_display_name = Varchar(length=64)
    work_title = Varchar(length=200, default="")
    work_description = Text(default="")
    level_name = Varchar(length=200, default="")
    summary = Text(default="")
    theme_tags_json = JSON(default=[])
    cover_image_src = Varchar(length=255, null=True, default=None)
    cover_asset_id = Varchar(length=64, null=True, default=None)
    levels_json = JSON(default=[])
    publication_status = Varchar(length=16, index=True)
    play_count = Integer(default=0)
    anchor_pack_json = JSON(default={})
    publish_ready = Boolean(default=False)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    published_at = Timestamptz(null=True, default=None)
    # Addition: the public work code, assigned once at the first publication.
    public_work_code = Varchar(length=32, null=True, default=None, unique=True)


class PuzzleEvent(Table, tablename="puzzle_event"):
    event_id = Varchar(length=64, primary_key=True)
    profile_id = Varchar(length=64, index=True)
    work_id = Varchar(length=64)
    session_id = Varchar(length=64, null=True, default=None)
    owner_user_id = Varchar(length=64, index=True)
    event_kind = Varchar(length=16)
    occurred_at = Timestamptz(default=TimestamptzNow())


class PuzzleRuntimeRun(Table, tablename="puzzle_runtime_run"):
    """A run's puzzle state (resolvers/puzzle/runs.py); `snapshot_json` holds the seed, the
    levels, the current tiles, the level's start and the cleared levels' times."""

    run_id = Varchar(length=64, primary_key=True)
    owner_user_id = Varchar(length=64, index=True)
    entry_profile_id = Varchar(length=64)
    current_profile_id = Varchar(length=64)
    cleared_level_count = Integer(default=0)
    current_level_index = Integer(default=0)
    current_grid_size = Integer(default=0)
    played_profile_ids_json = JSON(default=[])
    previous_level_tags_json = JSON(default=[])
    snapshot_json = JSON(default={})
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class PuzzleLeaderboardEntry(Table, tablename="puzzle_leaderboard_entry"):
    """One user's best time on one (work, grid size): unique (user_id, profile_id,
    grid_size), kept by one conditional upsert (resolvers/puzzle/leaderboard.py)."""

    entry_id = Varchar(length=64, primary_key=True)
    profile_id = Varchar(length=64)
    grid_size = Integer()
    user_id = Varchar(length=64)
    nickname = Varchar(length=64, default="")
    best_elapsed_ms = BigInt()
    last_run_id = Varchar(length=64)
    updated_at = Timestamptz(default=TimestamptzNow())


class PuzzleLeaderboardEvent(Table, tablename="puzzle_leaderboard_event"):
    """Addition: an improved leaderboard entry, numbered in the stream
    `puzzle:lb:{work_id}:{grid_size}` (`puzzleLeaderboardChanges`)."""

    event_id = Varchar(length=64, primary_key=True)
    profile_id = Varchar(length=64)
    grid_size = Integer()
    user_id = Varchar(length=64)
    nickname = Varchar(length=64, default="")
    best_elapsed_ms = BigInt()
    rank = Integer()
    run_id = Varchar(length=64)
    occurred_at = Timestamptz(default=TimestamptzNow())


# Secondary indexes (catalog: session owner_user_id; message session_id; profile
# owner_user_id, publication_status; event profile_id, owner_user_id; runtime run
# owner_user_id; leaderboard (profile_id, grid_size), (user_id, profile_id, grid_size),
# unique here). Additions: unique source_session_id and public_work_code, (owner_user_id,
# updated_at) for the creator's works newest first, and (profile_id, grid_size,
# best_elapsed_ms, updated_at) for leaderboard pages and ranks.
INDEXES = {
    ("puzzle_agent_session", ("owner_user_id",), False),
    ("puzzle_agent_message", ("session_id",), False),
    ("puzzle_work_profile", ("owner_user_id",), False),
    ("puzzle_work_profile", ("publication_status",), False),
    ("puzzle_work_profile", ("source_session_id",), True),
    ("puzzle_work_profile", ("public_work_code",), True),
    ("puzzle_work_profile", ("owner_user_id", "updated_at"), False),
    ("puzzle_event", ("profile_id",), False),
    ("puzzle_event", ("owner_user_id",), False),
    ("puzzle_runtime_run", ("owner_user_id",), False),
    ("puzzle_leaderboard_entry", ("profile_id", "grid_size"), False),
    ("puzzle_leaderboard_entry", ("user_id", "profile_id", "grid_size"), True),
    (
        "puzzle_leaderboard_entry",
        ("profile_id", "grid_size", "best_elapsed_ms", "updated_at"),
        False,
    ),
}
