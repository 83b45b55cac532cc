"""Writing a batch of chunk appends in one transaction with about eight statements (the
plan of what to write is `chunk_plan`)."""

from __future__ import annotations

from dataclasses import dataclass

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
)
from resolvers.ai_tasks.refusals import stage_refusal
from resolvers.ai_tasks.rows import AiTaskEventRow, AiTextChunkRow
from resolvers.ai_tasks.store import chunks, events, stages
from subscriptions import streams


@dataclass(frozen=True, slots=True)
class BatchWritten:
    """Each append's outcome (in order), the stream entries to publish after commit, and
    the written events as `reading.load_events` would return them."""

    outcomes: list[ChunkAppend | BaseException]
    entries: list[streams.StreamEntry]
    events: list[AiTaskEventRow]


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
    tasks: dict[str, LockedTask] = {}
    existing: dict[tuple[str, str], AiTextChunkRow] = {}
    for row in await chunks.lock_tasks_with_chunks(task_ids=task_ids, chunk_ids=chunk_ids):
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
    accepted = await chunks.advance_running_stages(
        [
            (
                key[0],
                key[1],
                len(plan.groups[key]),
                "".join(plan.batch[number].delta_text for number in plan.groups[key]),
            )
            for key in keys
        ]
    )
    refused = [key for key in keys if key not in accepted]
    if refused:
        statuses = await stages.stage_statuses([key[0] for key in refused])
        for key in refused:
            refusal = stage_refusal(AiTaskStageKind(key[1]), statuses.get(key))
            for number in plan.groups.pop(key):
                plan.outcomes[number] = refusal
    return accepted


async def _write(plan: AppendPlan, rows: PlannedRows) -> list[streams.StreamEntry]:
    """Step 4: the tasks' versions, the chunks, the events and their stream numbers."""
    updated = max(append.now for append in plan.batch)
    task_keys = sorted(rows.added_per_task)
    await chunks.add_task_versions(
        added=[(task_id, rows.added_per_task[task_id]) for task_id in task_keys], now=updated
    )
    inserted = await chunks.insert_chunks(rows.chunks)
    await events.insert_events(rows.events)
    entries: list[streams.StreamEntry] = []
    for numbered in await streams.append_many(rows.stream_events):
        entries += numbered
    for number, row_id in rows.placed:
        plan.outcomes[number] = ChunkAppend(chunk=inserted[row_id], appended=True)
    return entries
