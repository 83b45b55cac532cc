"""Runs (docs/runs.md): the framework rows every play type's runs share.

No catalog table holds what every play type's run shares (each play type's catalog table,
e.g. `puzzle_runtime_run`, keeps its own state), so these are additions (docs/tables.md):
- `runs_run`: one row per run of any play type: play type, work, owner, mode, status and
  reason, the snapshot version every action is checked against, and the timing (start,
  deadline, limit, finish, elapsed, pauses). Every action is one conditional UPDATE of this row
  (`… WHERE run_id AND owner AND snapshot_version = <expected> AND status = 'running' AND
  deadline_at > now RETURNING *`): that statement decides, and its row lock orders the run's
  writers. It is also the cross-type list of a user's runs (one keyset statement).
- `runs_run_event`: every applied change of a run (started, action, finished), numbered
  in the run's stream `run:{run_id}` (realtime_stream_event) and replayed by `runEvents`.
- `runs_play_record`: when a PLAY run last counted a play of a work for a user, keyed
  `{user_id}:{play_type}:{work_id}`: one conditional upsert decides whether a new play
  counts (at most one per 10 minutes), across processes.
Enumerations are stored as their lower-case values (resolvers/runs/model.py); JSON columns
hold objects.
"""

from piccolo.columns import JSON, BigInt, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class RunsRun(Table, tablename="runs_run"):
    run_id = Varchar(length=64, primary_key=True)
    play_type = Varchar(length=32)
    work_id = Varchar(length=128)
    owner_user_id = Varchar(length=64)
    mode = Varchar(length=8)
    status = Varchar(length=16)
    reason = Varchar(length=48, null=True, default=None)
    snapshot_version = BigInt(default=0)
    started_at = Timestamptz(default=TimestamptzNow())
    deadline_at = Timestamptz(default=TimestamptzNow())
    duration_limit_ms = BigInt(default=0)
    finished_at = Timestamptz(null=True, default=None)
    elapsed_ms = BigInt(null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())
    # When the purge (resolvers/runs/sweeps.py) dropped the run's event stream.
    events_purged_at = Timestamptz(null=True, default=None)
    # A PAUSED run's clock stopped at `paused_at`; `paused_ms` sums the pauses that ended
    # (resolvers/runs/server_clock.py).
    paused_at = Timestamptz(null=True, default=None)
    paused_ms = BigInt(default=0)


class RunsRunEvent(Table, tablename="runs_run_event"):
    event_id = Varchar(length=64, primary_key=True)
    run_id = Varchar(length=64, index=True)
    event_kind = Varchar(length=16)
    # The run's snapshot version and status right after the change.
    snapshot_version = BigInt()
    status = Varchar(length=16)
    reason = Varchar(length=48, null=True, default=None)
    # ACTION events: the action as the client sent it; {} for the others.
    action_json = JSON(default={})
    # What the play type's rules said (the STARTED, ACTION or FINISHED payload).
    payload_json = JSON(default={})
    occurred_at = Timestamptz(default=TimestamptzNow())


class RunsPlayRecord(Table, tablename="runs_play_record"):
    # `{user_id}:{play_type}:{work_id}`: one row per (user, work).
    record_id = Varchar(length=240, primary_key=True)
    user_id = Varchar(length=64)
    play_type = Varchar(length=32)
    work_id = Varchar(length=128)
    counted_at = Timestamptz(default=TimestamptzNow())


# Secondary indexes: the viewer's runs newest first (all, and by status: also the count of
# unfinished runs), the expiry sweep (running runs by deadline), the purge (finished runs
# whose events remain, by finish), a run's events.
INDEXES = {
    ("runs_run", ("owner_user_id", "updated_at"), False),
    ("runs_run", ("owner_user_id", "status", "updated_at"), False),
    ("runs_run", ("status", "deadline_at"), False),
    ("runs_run", ("events_purged_at", "finished_at"), False),
    ("runs_run_event", ("run_id",), False),
}
