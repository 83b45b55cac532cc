"""The AI-task state machine: every transition is one transaction that writes nothing when
it is refused.

    pending ──start──▶ running ──complete──▶ completed
       │                  │
       └──fail / cancel───┴──▶ failed / cancelled

While running, stages start in their declared order (each after the previous one
completed), receive text chunks and complete; result references attach to the task. Every
transition:
1. first updates the task row with a condition on its status (`UPDATE … WHERE status IN
   (…) RETURNING`): that statement decides, and on PostgreSQL its row lock orders every
   writer of the task (SQLite's immediate transactions order all writers);
2. applies the stage, chunk or result change with a condition of its own;
3. writes an `ai_task_event` and numbers it in the task's and the owner's streams;
4. publishes after commit.
A refusal raises inside the transaction (`AiTaskError` for illegal transitions and invalid
input, `NotFound` for an unknown or foreign task), so nothing of it is written.

Owners create, cancel and read tasks; service callers (trusted workers) drive the rest.
Call these functions outside any transaction: they publish after their own commit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from piccolo.custom_types import Combinable

from db.tables.ai_tasks import AiTask
from resolvers import clock
from resolvers.ai_tasks.errors import AiTaskError, AiTaskErrorCode
from resolvers.ai_tasks.events import record_task_event, tell_workers
from resolvers.ai_tasks.finish_listeners import task_finished
from resolvers.ai_tasks.inputs import check_text_output, valid_payload, valid_text
from resolvers.ai_tasks.model import (
    MAX_MESSAGE_LENGTH,
    AiTaskEventKind,
    AiTaskStageStatus,
    AiTaskStatus,
)
from resolvers.ai_tasks.refusals import refuse_task
from resolvers.ai_tasks.rows import AiTaskRow, task_row
from resolvers.ai_tasks.steps import delete_lease, stop_stages
from resolvers.ai_tasks.transactions import writing
from resolvers.principal import Principal
from subscriptions import streams

UNFINISHED = [AiTaskStatus.PENDING.value, AiTaskStatus.RUNNING.value]


async def cancel_task(*, viewer: Principal, task_id: str) -> AiTaskRow:
    """The owner stops a pending or running task; a worker running it stops within a second."""
    owner = viewer.require_user()
    now = clock.now()
    async with writing():
        rows = (
            await AiTask.update(
                {
                    AiTask.status: AiTaskStatus.CANCELLED.value,
                    AiTask.completed_at: now,
                    AiTask.updated_at: now,
                    AiTask.version: AiTask.version + 1,
                }
            )
            .where(
                (AiTask.task_id == task_id)
                & (AiTask.owner_user_id == owner)
                & AiTask.status.is_in(UNFINISHED)
            )
            .returning(*AiTask.all_columns())
        )
        if not rows:
            await refuse_task(task_id, expected=AiTaskStatus.RUNNING, owner=owner)
        task = task_row(dict(rows[0]))
        stage_kind = await stop_stages(task_id, AiTaskStageStatus.CANCELLED, now)
        await delete_lease(task_id)
        entries = await record_task_event(
            task, AiTaskEventKind.CANCELLED, now=now, status=task["status"], stage_kind=stage_kind
        )
    await streams.publish(entries)
    await tell_workers({"cancel": task_id})
    await task_finished(task)
    return AiTaskRow.from_row(task)


async def start_task(*, viewer: Principal, task_id: str) -> AiTaskRow:
    viewer.require_service()
    now = clock.now()
    async with writing():
        rows = (
            await AiTask.update(
                {
                    AiTask.status: AiTaskStatus.RUNNING.value,
                    AiTask.started_at: now,
                    AiTask.updated_at: now,
                    AiTask.version: AiTask.version + 1,
                }
            )
            .where((AiTask.task_id == task_id) & (AiTask.status == AiTaskStatus.PENDING.value))
            .returning(*AiTask.all_columns())
        )
        if not rows:
            await refuse_task(task_id, expected=AiTaskStatus.PENDING)
        task = task_row(dict(rows[0]))
        entries = await record_task_event(
            task, AiTaskEventKind.STARTED, now=now, status=task["status"]
        )
    await streams.publish(entries)
    return AiTaskRow.from_row(task)


async def complete_task(
    *,
    viewer: Principal,
    task_id: str,
    text_output: str | None = None,
    structured_payload: Any = None,
) -> AiTaskRow:
    """Complete a running task whose stages all completed."""
    viewer.require_service()
    check_text_output(text_output)
    payload = valid_payload(structured_payload, field="structuredPayload")
    now = clock.now()
    async with writing():
        # Raw: a correlated `NOT EXISTS` on the task's stages, which the builder cannot write.
        rows = await AiTask.raw(
            "UPDATE ai_task SET status = {}, completed_at = {}, updated_at = {}, "
            "version = version + 1, latest_text_output = COALESCE({}, latest_text_output), "
            "latest_structured_payload_json = COALESCE({}, latest_structured_payload_json) "
            "WHERE task_id = {} AND status = {} AND NOT EXISTS (SELECT 1 FROM ai_task_stage s "
            "WHERE s.task_id = ai_task.task_id AND s.status <> {}) RETURNING *",
            AiTaskStatus.COMPLETED.value,
            now,
            now,
            text_output,
            payload,
            task_id,
            AiTaskStatus.RUNNING.value,
            AiTaskStageStatus.COMPLETED.value,
        )
        if not rows:
            current = await AiTask.select(AiTask.status).where(AiTask.task_id == task_id).first()
            if current is not None and current["status"] == AiTaskStatus.RUNNING.value:
                raise AiTaskError(
                    AiTaskErrorCode.STAGES_INCOMPLETE,
                    "Every stage must complete before the task does.",
                )
            await refuse_task(task_id, expected=AiTaskStatus.RUNNING)
        task = task_row(dict(rows[0]))
        await delete_lease(task_id)
        entries = await record_task_event(
            task, AiTaskEventKind.COMPLETED, now=now, status=task["status"]
        )
    await streams.publish(entries)
    await task_finished(task)
    return AiTaskRow.from_row(task)


def failure_text(message: str) -> str:
    return valid_text(
        message, field="message", code=AiTaskErrorCode.MESSAGE_INVALID, limit=MAX_MESSAGE_LENGTH
    )


async def fail_in_transaction(
    task_id: str, message: str, now: datetime, *, stale_before: datetime | None = None
) -> tuple[dict[str, Any], list[streams.StreamEntry]] | None:
    """Fail a pending or running task inside the caller's transaction; None if it finished
    (or, with `stale_before`, if it made progress since then)."""
    where: Combinable = (AiTask.task_id == task_id) & AiTask.status.is_in(UNFINISHED)
    if stale_before is not None:
        where = where & (AiTask.updated_at < stale_before)
    rows = (
        await AiTask.update(
            {
                AiTask.status: AiTaskStatus.FAILED.value,
                AiTask.failure_message: message,
                AiTask.completed_at: now,
                AiTask.updated_at: now,
                AiTask.version: AiTask.version + 1,
            }
        )
        .where(where)
        .returning(*AiTask.all_columns())
    )
    if not rows:
        return None
    task = task_row(dict(rows[0]))
    stage_kind = await stop_stages(task_id, AiTaskStageStatus.FAILED, now)
    await delete_lease(task_id)
    entries = await record_task_event(
        task, AiTaskEventKind.FAILED, now=now, status=task["status"], stage_kind=stage_kind
    )
    return task, entries


async def fail_task(*, viewer: Principal, task_id: str, message: str) -> AiTaskRow:
    """Fail a pending or running task with a message for its owner. Chunks already
    appended stay readable (the partial text survives)."""
    viewer.require_service()
    text = failure_text(message)
    now = clock.now()
    async with writing():
        failed = await fail_in_transaction(task_id, text, now)
        if failed is None:
            await refuse_task(task_id, expected=AiTaskStatus.RUNNING)
        task, entries = failed
    await streams.publish(entries)
    await task_finished(task)
    return AiTaskRow.from_row(task)
