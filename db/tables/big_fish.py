"""Big fish (docs/big-fish.md): creation sessions (the session is the work), messages,
asset slots, publish-gate events, and server-simulated runs.

Catalog tables: big_fish_creation_session, big_fish_agent_message, big_fish_asset_slot,
big_fish_event, big_fish_runtime_run. Additions (docs/tables.md): on the session, the
publication columns a separate work profile would hold elsewhere (`publication_status`,
`public_work_code` unique, `cover_asset_id`, `cover_image_src`, `published_at`) and an
(owner_user_id, updated_at) index; on the asset slot, `asset_object_id` (the generated
object) and `slot_key` (its image slot), unique per session; on the run, `lease_owner`
and `lease_expires_at` (the one process ticking it), `seed`, `saved_at`, `finished_at`,
`input_second` and `input_count` (the inputs-per-second limit, across processes).
"""

from piccolo.columns import (
    JSON,
    BigInt,
    Boolean,
    Integer,
    Real,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class BigFishCreationSession(Table, tablename="big_fish_creation_session"):
    session_id = Varchar(length=64, primary_key=True)
    owner_user_id = Varchar(length=64, index=True)
    seed_text = Text(default="")
    current_turn = Integer(default=0)
    progress_percent = Integer(default=0)
    stage = Varchar(length=32)
    anchor_pack_json = JSON(default={})
    draft_json = JSON(null=True, default=None)
    asset_coverage_json = JSON(default={})
    last_assistant_reply = Text(null=True, default=None)
    publish_ready = Boolean(default=False)
    play_count = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    # Additions: the publication (the session is the work).
    publication_status = Varchar(length=16, default="draft")
    public_work_code = Varchar(length=32, null=True, default=None, unique=True)
    cover_asset_id = Varchar(length=64, null=True, default=None)
    cover_image_src = Varchar(length=255, null=True, default=None)
    published_at = Timestamptz(null=True, default=None)


class BigFishAgentMessage(Table, tablename="big_fish_agent_message"):
    message_id = Varchar(length=64, primary_key=True)
    session_id = Varchar(length=64, index=True)
    role = Varchar(length=16)
    kind = Varchar(length=16)
    text = Text()
    created_at = Timestamptz(default=TimestamptzNow())


class BigFishAssetSlot(Table, tablename="big_fish_asset_slot"):
    slot_id = Varchar(length=64, primary_key=True)
    session_id = Varchar(length=64, index=True)
    asset_kind = Varchar(length=16)
    level = Integer(null=True, default=None)
    motion_key = Varchar(length=32, null=True, default=None)
    status = Varchar(length=16)
    asset_url = Varchar(length=255, null=True, default=None)
    prompt_snapshot = Text(default="")
    updated_at = Timestamptz(default=TimestamptzNow())
    # Additions: the image slot key (`background`, `fish:<level>`, `motion:<key>`) and
    # the generated object.
    slot_key = Varchar(length=48, default="")
    asset_object_id = Varchar(length=64, null=True, default=None)


class BigFishEvent(Table, tablename="big_fish_event"):
    event_id = Varchar(length=64, primary_key=True)
    session_id = Varchar(length=64, index=True)
    owner_user_id = Varchar(length=64, index=True)
    event_kind = Varchar(length=32)
    publish_ready = Boolean(default=False)
    blockers_json = JSON(default=[])
    occurred_at = Timestamptz(default=TimestamptzNow())


class BigFishRuntimeRun(Table, tablename="big_fish_runtime_run"):
    """A run: `snapshot_json` is the world (resolvers/big_fish/simulation.py) as last
    saved (once a second while live, never per tick); `tick` the tick it was saved at."""

    run_id = Varchar(length=64, primary_key=True)
    session_id = Varchar(length=64, index=True)
    owner_user_id = Varchar(length=64, index=True)
    status = Varchar(length=16)
    snapshot_json = JSON(default={})
    last_input_x = Real(default=0.0)
    last_input_y = Real(default=0.0)
    tick = BigInt(default=0)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())
    # Additions: the world's seed, the ticking process's lease, bookkeeping.
    seed = BigInt(default=0)
    lease_owner = Varchar(length=64, null=True, default=None)
    lease_expires_at = Timestamptz(null=True, default=None)
    saved_at = Timestamptz(null=True, default=None)
    finished_at = Timestamptz(null=True, default=None)
    # Additions: the input rate window, the epoch second of the last accepted input and
    # how many were accepted in it (one conditional UPDATE counts, resolvers/big_fish/runs.py).
    input_second = BigInt(default=0)
    input_count = Integer(default=0)


# Secondary indexes (catalog: session owner_user_id; message session_id; slot session_id;
# event session_id, owner_user_id; run owner_user_id, session_id). Additions: unique
# public_work_code and (session_id, slot_key), (owner_user_id, updated_at) on sessions.
INDEXES = {
    ("big_fish_creation_session", ("owner_user_id",), False),
    ("big_fish_creation_session", ("public_work_code",), True),
    ("big_fish_creation_session", ("owner_user_id", "updated_at"), False),
    ("big_fish_agent_message", ("session_id",), False),
    ("big_fish_asset_slot", ("session_id",), False),
    ("big_fish_asset_slot", ("session_id", "slot_key"), True),
    ("big_fish_event", ("session_id",), False),
    ("big_fish_event", ("owner_user_id",), False),
    ("big_fish_runtime_run", ("owner_user_id",), False),
    ("big_fish_runtime_run", ("session_id",), False),
}
