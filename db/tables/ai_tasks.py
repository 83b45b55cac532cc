"""AI tasks (docs/domain.md): tasks, their stages, streamed text, result references, events.

Catalog tables: ai_task, ai_task_stage, ai_text_chunk, ai_result_reference, ai_task_event.
Additions (docs/tables.md): `ai_task_stage.chunk_count` (the per-(task, stage) chunk
counter) and the `ai_tasks_worker_lease` table (generation queue and worker leases).
Enumerations are stored as their lower-case values (resolvers/ai_tasks/model.py).
"""

from piccolo.columns import JSON, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class AiTask(Table, tablename="ai_task"):
    task_id = Varchar(length=64, primary_key=True)
    task_kind = Varchar(length=32, index=True)
    owner_user_id = Varchar(length=64, index=True)
    request_label = Varchar(length=200)
    source_module = Varchar(length=64)
    source_entity_id = Varchar(length=128, null=True, default=None)
    request_payload_json = JSON(null=True, default=None)
    status = Varchar(length=16, index=True)
    failure_message = Text(null=True, default=None)
    latest_text_output = Text(null=True, default=None)
    latest_structured_payload_json = JSON(null=True, default=None)
    version = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())
    started_at = Timestamptz(null=True, default=None)
    completed_at = Timestamptz(null=True, default=None)
    updated_at = Timestamptz(default=TimestamptzNow())


class AiTaskStage(Table, tablename="ai_task_stage"):
    task_stage_id = Varchar(length=64, primary_key=True)
    task_id = Varchar(length=64, index=True)
    stage_kind = Varchar(length=32)
    label = Varchar(length=200)
    detail = Text(default="")
    stage_order = Integer()
    status = Varchar(length=16)
    text_output = Text(null=True, default=None)
    structured_payload_json = JSON(null=True, default=None)
    # A JSON array of strings (array columns are emulated on SQLite).
    warning_messages = JSON(default=[])
    started_at = Timestamptz(null=True, default=None)
    completed_at = Timestamptz(null=True, default=None)
    # Addition: chunks appended so far; the next chunk's sequence is chunk_count + 1.
    chunk_count = Integer(default=0)


class AiTextChunk(Table, tablename="ai_text_chunk"):
    text_chunk_row_id = Varchar(length=64, primary_key=True)
    # The writer's idempotency key: appending the same chunk id to a task twice is a no-op.
    chunk_id = Varchar(length=128)
    task_id = Varchar(length=64, index=True)
    stage_kind = Varchar(length=32)
    sequence = Integer()
    delta_text = Text()
    created_at = Timestamptz(default=TimestamptzNow())


class AiResultReference(Table, tablename="ai_result_reference"):
    result_reference_row_id = Varchar(length=64, primary_key=True)
    # The writer's idempotency key: attaching the same reference id twice is a no-op.
    result_ref_id = Varchar(length=128)
    task_id = Varchar(length=64, index=True)
    reference_kind = Varchar(length=32)
    reference_id = Varchar(length=128)
    label = Varchar(length=200, null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class AiTaskEvent(Table, tablename="ai_task_event"):
    event_id = Varchar(length=64, primary_key=True)
    task_id = Varchar(length=64, index=True)
    owner_user_id = Varchar(length=64, index=True)
    event_kind = Varchar(length=32)
    task_status = Varchar(length=16, null=True, default=None)
    stage_kind = Varchar(length=32, null=True, default=None)
    text_chunk_row_id = Varchar(length=64, null=True, default=None)
    result_reference_row_id = Varchar(length=64, null=True, default=None)
    occurred_at = Timestamptz(default=TimestamptzNow())


class AiTasksWorkerLease(Table, tablename="ai_tasks_worker_lease"):
    """A generation waiting for (lease_owner NULL) or held by a worker process.

    The holder renews `lease_expires_at` by heart-beating; a lease past its expiry means
    the worker stopped, and the next claim takes the task over (a stopping worker hands
    its leases back: owner NULL). `attempts` counts the claims. Only terminal transitions
    delete the row (resolvers/ai_tasks/leases.py).
    """

    task_id = Varchar(length=64, primary_key=True)
    lease_owner = Varchar(length=128, null=True, default=None)
    queued_at = Timestamptz(default=TimestamptzNow(), index=True)
    claimed_at = Timestamptz(null=True, default=None)
    heartbeat_at = Timestamptz(null=True, default=None)
    lease_expires_at = Timestamptz(null=True, default=None, index=True)
    attempts = Integer(default=0)


class AiTasksImageQuota(Table, tablename="ai_tasks_image_quota"):
    """Image generations a user asked for on one Beijing day (resolvers/images/quota.py).

    One row per (user, day), keyed `<user id>:<day key>`; a single conditional upsert
    counts a request only while `used` is below the quota, so concurrent requests from any
    number of processes never pass it.
    """

    quota_id = Varchar(length=96, primary_key=True)
    user_id = Varchar(length=64)
    day_key = Integer()
    used = Integer(default=0)
    updated_at = Timestamptz(default=TimestamptzNow())


# Secondary indexes (catalog: ai_task owner_user_id, status, task_kind; ai_task_stage task_id,
# (task_id, stage_order); ai_text_chunk task_id, (task_id, stage_kind, sequence);
# ai_result_reference task_id; ai_task_event task_id, owner_user_id). Composite ones are
# unique here (they are identities) and created in migrations with raw SQL; the additions
# are listed in docs/tables.md.
INDEXES = {
    ("ai_task", ("owner_user_id",), False),
    ("ai_task", ("status",), False),
    ("ai_task", ("task_kind",), False),
    ("ai_task_stage", ("task_id",), False),
    ("ai_task_stage", ("task_id", "stage_order"), True),
    ("ai_task_stage", ("task_id", "stage_kind"), True),
    ("ai_text_chunk", ("task_id",), False),
    ("ai_text_chunk", ("task_id", "stage_kind", "sequence"), True),
    ("ai_text_chunk", ("task_id", "chunk_id"), True),
    ("ai_result_reference", ("task_id",), False),
    ("ai_result_reference", ("task_id", "result_ref_id"), True),
    ("ai_task_event", ("task_id",), False),
    ("ai_task_event", ("owner_user_id",), False),
    ("ai_tasks_worker_lease", ("queued_at",), False),
    ("ai_tasks_worker_lease", ("lease_expires_at",), False),
}
