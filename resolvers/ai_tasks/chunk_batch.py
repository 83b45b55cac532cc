"""Writing a batch of chunk appends in one transaction with about eight statements (the
plan of what to write is `chunk_plan`)."""

from __future__ import annotations

from dataclasses import dataclass

from db.engine import is_sqlite
from db.sql import marks, parameter_table, value_rows
from db.tables.ai_tasks import AiTask, AiTaskStage
from resolvers.ai_tasks.chunk_plan import (
    AppendPlan,
    ChunkAppend,
    LockedTask,
    PendingAppend,
    PlannedRows,
    plan_appends,
    planned_rows,
    settled_outcomes,
)
from resolvers.ai_tasks.model import (
    AiTaskStageKind,
    AiTaskStageStatus,
)
from resolvers.ai_tasks.refusals import stage_refusal
from resolvers.ai_tasks.rows import AiTaskEventRow, AiTextChunkRow
from subscriptions import streams


@dataclass(frozen=True, slots=True)
class BatchWritten:
    """Each append's outcome (in order), the stream entries to publish after commit, and
    the written events as `reading.load_events` would return them."""

    outcomes: list[ChunkAppend | BaseException]
    entries: list[streams.StreamEntry]
    events: list[AiTaskEventRow]


CHUNK_COLUMNS = (
    "text_chunk_row_id",
    "chunk_id",
    "task_id",
    "stage_kind",
    "sequence",
    "delta_text",
    "created_at",
)


async def append_batch(batch: list[PendingAppend]) -> BatchWritten:
    """Write a batch of appends in the caller's transaction with one statement per step
    (seven whatever the batch's size); refused appends write nothing."""
    tasks, existing = await _lock_tasks(batch)
    plan = plan_appends(batch, tasks, existing)
    accepted = await _advance_stages(plan)
    rows = planned_rows(plan, accepted, tasks)
    entries = await _write(plan, rows) if rows.chunks else []
    return BatchWritten(outcomes=settled_outcomes(plan), entries=entries, events=rows.written)


async def _lock_tasks(
    batch: list[PendingAppend],
) -> tuple[dict[str, LockedTask], dict[tuple[str, str], AiTextChunkRow]]:
    """Step 1: lock the tasks (PostgreSQL; in id order, so batches never wait in a cycle)
    and read their status with the chunk ids appended before, read under that lock: those
    are no-ops whatever the status. SQLite's transaction already holds the only write lock.
    The lease holder is read with them: a takeover claims the lease, then takes this lock
    (`continuation.resume_task`), so an append fenced here is never lost to it."""
    task_ids = sorted({append.task_id for append in batch})
    chunk_ids = sorted({append.chunk_id for append in batch})
    lock = "" if is_sqlite(AiTask._meta.db) else " FOR UPDATE OF t"
    tasks: dict[str, LockedTask] = {}
    existing: dict[tuple[str, str], AiTextChunkRow] = {}
    # Raw: LEFT JOINs on tables without foreign keys, and `FOR UPDATE OF` one of them.
    for row in await AiTask.raw(
        "SELECT t.task_id AS owner_task_id, t.owner_user_id, t.status, "
        "l.lease_owner AS lease_holder, "
        + ", ".join(f"c.{column}" for column in CHUNK_COLUMNS)
        + " FROM ai_task t LEFT JOIN ai_tasks_worker_lease l ON l.task_id = t.task_id "
        "LEFT JOIN ai_text_chunk c ON c.task_id = t.task_id "
        f"AND c.chunk_id IN ({marks(chunk_ids)}) "
        f"WHERE t.task_id IN ({marks(task_ids)}) ORDER BY t.task_id{lock}",
        *chunk_ids,
        *task_ids,
    ):
        tasks[row["owner_task_id"]] = LockedTask(
            task_id=row["owner_task_id"],
            owner_user_id=row["owner_user_id"],
            status=row["status"],
            lease_holder=row["lease_holder"],
        )
        if row["text_chunk_row_id"] is not None:
            existing[(row["task_id"], row["chunk_id"])] = AiTextChunkRow.from_row(row)
    return tasks, existing


async def _advance_stages(plan: AppendPlan) -> dict[tuple[str, str], int]:
    """Step 2: advance each (task, stage) group's chunk count, if that stage is running;
    the groups of stages that are not are refused (and leave `plan.groups`)."""
    if not plan.groups:
        return {}
    keys = list(plan.groups)
    # Raw: `UPDATE … FROM` a parameter table (a per-row increment in one statement).
    rows = await AiTask.raw(
        "UPDATE ai_task_stage SET chunk_count = chunk_count + v.added, "
        "text_output = COALESCE(text_output, '') || v.added_text FROM ("
        + parameter_table(
            len(keys),
            ("VARCHAR(64)", "VARCHAR(32)", "INTEGER", "TEXT"),
            ("task_id", "stage_kind", "added", "added_text"),
        )
        + ") v WHERE ai_task_stage.task_id = v.task_id "
        "AND ai_task_stage.stage_kind = v.stage_kind AND ai_task_stage.status = {} "
        "RETURNING ai_task_stage.task_id, ai_task_stage.stage_kind, ai_task_stage.chunk_count",
        *[
            value
            for key in keys
            for value in (
                key[0],
                key[1],
                len(plan.groups[key]),
                "".join(plan.batch[number].delta_text for number in plan.groups[key]),
            )
        ],
        AiTaskStageStatus.RUNNING.value,
    )
    accepted = {(row["task_id"], row["stage_kind"]): int(row["chunk_count"]) for row in rows}
    refused = [key for key in keys if key not in accepted]
    if refused:
        stages = {
            (row["task_id"], row["stage_kind"]): row["status"]
            for row in await AiTaskStage.select(
                AiTaskStage.task_id, AiTaskStage.stage_kind, AiTaskStage.status
            ).where(AiTaskStage.task_id.is_in([key[0] for key in refused]))
        }
        for key in refused:
            refusal = stage_refusal(AiTaskStageKind(key[1]), stages.get(key))
            for number in plan.groups.pop(key):
                plan.outcomes[number] = refusal
    return accepted


async def _write(plan: AppendPlan, rows: PlannedRows) -> list[streams.StreamEntry]:
    """Step 4: the tasks' versions, the chunks, the events and their stream numbers."""
    updated = max(append.now for append in plan.batch)
    task_keys = sorted(rows.added_per_task)
    # Raw: `UPDATE … FROM` a parameter table (a per-row increment in one statement).
    await AiTask.raw(
        "UPDATE ai_task SET version = version + v.added, updated_at = {} FROM ("
        + parameter_table(len(task_keys), ("VARCHAR(64)", "INTEGER"), ("task_id", "added"))
        + ") v WHERE ai_task.task_id = v.task_id",
        updated,
        *[value for task_id in task_keys for value in (task_id, rows.added_per_task[task_id])],
    )
    inserted = {
        row["text_chunk_row_id"]: AiTextChunkRow.from_row(row)
        # Raw: a multi-row VALUES batch of the planned tuples (`chunk_plan`), read back.
        for row in await AiTask.raw(
            "INSERT INTO ai_text_chunk (text_chunk_row_id, chunk_id, task_id, stage_kind, "
            f"sequence, delta_text, created_at) VALUES {value_rows(len(rows.chunks), 7)} "
            "RETURNING *",
            *[value for row in rows.chunks for value in row],
        )
    }
    # Raw: a multi-row VALUES batch of the planned tuples (`chunk_plan`).
    await AiTask.raw(
        "INSERT INTO ai_task_event (event_id, task_id, owner_user_id, event_kind, "
        "task_status, stage_kind, text_chunk_row_id, occurred_at) "
        f"VALUES {value_rows(len(rows.events), 8)}",
        *[value for row in rows.events for value in row],
    )
    entries: list[streams.StreamEntry] = []
    for numbered in await streams.append_many(rows.stream_events):
        entries += numbered
    for number, row_id in rows.placed:
        plan.outcomes[number] = ChunkAppend(chunk=inserted[row_id], appended=True)
    return entries
