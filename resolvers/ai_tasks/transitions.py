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
from resolvers.ai_tasks.rows import AiTaskRow
from resolvers.ai_tasks.steps import delete_lease, stop_stages
from resolvers.ai_tasks.store import tasks
from resolvers.ai_tasks.transactions import writing
from resolvers.principal import Principal
from subscriptions import streams


async def cancel_task(*, viewer: Principal, task_id: str) -> AiTaskRow:
    """The owner stops a pending or running task; a worker running it stops within a second."""
    owner = viewer.require_user()
    now = clock.now()
    async with writing():
        task = await tasks.cancel_task(task_id=task_id, owner_user_id=owner, now=now)
        if task is None:
            await refuse_task(task_id, expected=AiTaskStatus.RUNNING, owner=owner)
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
        task = await tasks.start_task(task_id=task_id, now=now)
        if task is None:
            await refuse_task(task_id, expected=AiTaskStatus.PENDING)
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
        task = await tasks.complete_task(
            task_id=task_id, text_output=text_output, payload=payload, now=now
        )
        if task is None:
            if await tasks.task_status(task_id) == AiTaskStatus.RUNNING.value:
                raise AiTaskError(
                    AiTaskErrorCode.STAGES_INCOMPLETE,
                    "Every stage must complete before the task does.",
                )
            await refuse_task(task_id, expected=AiTaskStatus.RUNNING)
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
    task = await tasks.fail_task(
        task_id=task_id, message=message, now=now, stale_before=stale_before
    )
    if task is None:
        return None
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
