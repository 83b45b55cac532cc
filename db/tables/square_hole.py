"""Square hole (docs/square-hole.md): creation sessions, their messages, work profiles,
run states.

Catalog tables: square_hole_agent_session, square_hole_agent_message,
square_hole_work_profile and square_hole_runtime_run (a run's square-hole state; the
framework's `runs_run` row is the authority on status, version and timing, and this row
mirrors them in the catalog's columns). Additions (docs/tables.md):
`square_hole_work_profile.public_work_code` (unique; assigned at the first publication),
`cover_asset_id` (the published cover object) and `created_at`, a unique index on
`source_session_id` (one work card per session) and one on (owner_user_id, updated_at) for
the creator's works. A work's id is its `profile_id` (the gallery keys works by it).
`config_json` holds the game's data (shapes, holes, the ordered rules and the default
rule, the target score): the rule interpreter (resolvers/square_hole/rules.py) reads it.
"""

from piccolo.columns import JSON, BigInt, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class SquareHoleAgentSession(Table, tablename="square_hole_agent_session"):
    session_id = Varchar(length=64, primary_key=True)
    owner_user_id = Varchar(length=64, index=True)
    seed_text = Text(default="")
    current_turn = Integer(default=0)
    progress_percent = Integer(default=0)
    stage = Varchar(length=32)
    config_json = JSON(default={})
    draft_json = JSON(null=True, default=None)
    last_assistant_reply = Text(null=True, default=None)
    published_profile_id = Varchar(length=64, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class SquareHoleAgentMessage(Table, tablename="square_hole_agent_message"):
    message_id = Varchar(length=64, primary_key=True)
    session_id = Varchar(length=64, index=True)
    role = Varchar(length=16)
    kind = Varchar(length=16)
    text = Text()
    created_at = Timestamptz(default=TimestamptzNow())


class SquareHoleWorkProfile(Table, tablename="square_hole_work_profile"):
    profile_id = Varchar(length=64, primary_key=True)
    # The same value as `profile_id`: the work's id in the gallery and on the graph.
    work_id = Varchar(length=64)
    owner_user_id = Varchar(length=64, index=True)
    source_session_id = Varchar(length=64, null=True, default=None, unique=True)
    author_display_name = Varchar(length=64)
    game_name = Varchar(length=200, default="")
    theme_text = Varchar(length=200, default="")
    twist_rule = Varchar(length=400, default="")
    summary_text = Text(default="")
    tags_json = JSON(default=[])
    cover_image_src = Varchar(length=255, null=True, default=None)
    shape_count = Integer(default=0)
    difficulty = Integer(default=0)
    config_json = JSON(default={})
    publication_status = Varchar(length=16, index=True)
    play_count = Integer(default=0)
    updated_at = Timestamptz(default=TimestamptzNow())
    published_at = Timestamptz(null=True, default=None)
    # Additions: the published cover object, when the card was made, the public code.
    cover_asset_id = Varchar(length=64, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    public_work_code = Varchar(length=32, null=True, default=None, unique=True)


class SquareHoleRuntimeRun(Table, tablename="square_hole_runtime_run"):
    """A run's square-hole state (resolvers/square_hole/runs.py): `snapshot_json` holds the
    seed, the dealt shapes in order, the holes, the rules and the drops so far; the status
    and timing columns mirror `runs_run`."""

    run_id = Varchar(length=64, primary_key=True)
    owner_user_id = Varchar(length=64, index=True)
    profile_id = Varchar(length=64, index=True)
    status = Varchar(length=16)
    snapshot_version = BigInt(default=0)
    started_at_ms = BigInt(default=0)
    duration_limit_ms = BigInt(default=0)
    finished_at_ms = BigInt(default=0)
    elapsed_ms = BigInt(default=0)
    total_shape_count = Integer(default=0)
    completed_shape_count = Integer(default=0)
    score = Integer(default=0)
    snapshot_json = JSON(default={})
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


# Secondary indexes (catalog: session owner_user_id; message session_id; profile
# owner_user_id, publication_status; runtime run owner_user_id, profile_id). Additions:
# unique source_session_id and public_work_code, (owner_user_id, updated_at) for the
# creator's works newest first.
INDEXES = {
    ("square_hole_agent_session", ("owner_user_id",), False),
    ("square_hole_agent_message", ("session_id",), False),
    ("square_hole_work_profile", ("owner_user_id",), False),
    ("square_hole_work_profile", ("publication_status",), False),
    ("square_hole_work_profile", ("source_session_id",), True),
    ("square_hole_work_profile", ("public_work_code",), True),
    ("square_hole_work_profile", ("owner_user_id", "updated_at"), False),
    ("square_hole_runtime_run", ("owner_user_id",), False),
    ("square_hole_runtime_run", ("profile_id",), False),
}
