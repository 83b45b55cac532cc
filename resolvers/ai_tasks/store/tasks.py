"""Statements of the `ai_task` rows: inserts, conditional status transitions, reads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from piccolo.custom_types import Combinable

from db.engine import is_sqlite
from db.tables.ai_tasks import AiTask
from resolvers.ai_tasks.model import AiTaskKind, AiTaskStageStatus, AiTaskStatus
from resolvers.ai_tasks.rows import AiTaskRow, task_row

UNFINISHED = [AiTaskStatus.PENDING.value, AiTaskStatus.RUNNING.value]


def on_sqlite() -> bool:
    """Whether the AI tasks' tables live on SQLite (one writer at a time)."""
    return is_sqlite(AiTask._meta.db)


async def insert_task(
    *,
    task_id: str,
    kind: AiTaskKind,
    owner_user_id: str,
    request_label: str,
    source_module: str,
    source_entity_id: str | None,
    request_payload: str | None,
    now: datetime,
) -> dict[str, Any]:
    """Insert a pending task; the inserted row (JSON columns decoded)."""
    rows = await AiTask.insert(
        AiTask(
            task_id=task_id,
            task_kind=kind.value,
            owner_user_id=owner_user_id,
            request_label=request_label,
            source_module=source_module,
            source_entity_id=source_entity_id,
            request_payload_json=request_payload,
            status=AiTaskStatus.PENDING.value,
            version=1,
            created_at=now,
            updated_at=now,
        )
    ).returning(*AiTask.all_columns())
    return task_row(dict(rows[0]))


async def owned_task(*, task_id: str, owner_user_id: str) -> AiTaskRow | None:
    """The task if `owner_user_id` owns it."""
    row = (
        await AiTask.select()
        .where((AiTask.task_id == task_id) & (AiTask.owner_user_id == owner_user_id))
        .output(load_json=True)
        .first()
    )
    return AiTaskRow.from_row(row) if row is not None else None


async def status_and_text(task_id: str) -> tuple[str, str | None] | None:
    """The task's status and latest text output; None if unknown."""
    row = (
        await AiTask.select(AiTask.status, AiTask.latest_text_output)
        .where(AiTask.task_id == task_id)
        .first()
    )
    return (row["status"], row["latest_text_output"]) if row is not None else None


async def status_and_owner(task_id: str) -> tuple[str, str] | None:
    """The task's status and owner; None if unknown."""
    row = (
        await AiTask.select(AiTask.status, AiTask.owner_user_id)
        .where(AiTask.task_id == task_id)
        .first()
    )
    return (row["status"], row["owner_user_id"]) if row is not None else None


async def task_status(task_id: str) -> str | None:
    """The task's status; None if unknown."""
    row = await AiTask.select(AiTask.status).where(AiTask.task_id == task_id).first()
    return str(row["status"]) if row is not None else None


async def tasks_by_ids(task_ids: Sequence[str]) -> list[AiTaskRow]:
    """The tasks of these ids that exist."""
    rows = await AiTask.select().where(AiTask.task_id.is_in(list(task_ids))).output(load_json=True)
    return [AiTaskRow.from_row(row) for row in rows]


async def tasks_of_user(
    *,
    user_id: str,
    status: AiTaskStatus | None,
    kind: AiTaskKind | None,
    before_task_id: str | None,
    limit: int,
) -> list[AiTaskRow]:
    """The user's tasks, newest first, below `before_task_id` if given."""
    query = AiTask.select().where(AiTask.owner_user_id == user_id)
    if status is not None:
        query = query.where(AiTask.status == status.value)
    if kind is not None:
        query = query.where(AiTask.task_kind == kind.value)
    if before_task_id is not None:
        query = query.where(AiTask.task_id < before_task_id)
    rows = await query.order_by(AiTask.task_id, ascending=False).limit(limit).output(load_json=True)
    return [AiTaskRow.from_row(row) for row in rows]


async def tasks_from_source(
    *, kind: AiTaskKind, owner_user_id: str, source_entity_id: str
) -> list[dict[str, Any]]:
    """Status and raw request payload of the owner's tasks about this entity, oldest first."""
    return await (
        AiTask.select(AiTask.status, AiTask.request_payload_json)
        .where(
            (AiTask.task_kind == kind.value)
            & (AiTask.owner_user_id == owner_user_id)
            & (AiTask.source_entity_id == source_entity_id)
        )
        .order_by(AiTask.created_at, AiTask.task_id)
    )


async def cancel_task(*, task_id: str, owner_user_id: str, now: datetime) -> dict[str, Any] | None:
    """Cancel the owner's unfinished task; the updated row, or None when refused."""
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
            & (AiTask.owner_user_id == owner_user_id)
            & AiTask.status.is_in(UNFINISHED)
        )
        .returning(*AiTask.all_columns())
    )
    return task_row(dict(rows[0])) if rows else None


async def start_task(*, task_id: str, now: datetime) -> dict[str, Any] | None:
    """Start a pending task; the updated row, or None when refused."""
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
    return task_row(dict(rows[0])) if rows else None


async def complete_task(
    *, task_id: str, text_output: str | None, payload: str | None, now: datetime
) -> dict[str, Any] | None:
    """Complete a running task whose stages all completed; the updated row, or None."""
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
    return task_row(dict(rows[0])) if rows else None


async def fail_task(
    *, task_id: str, message: str, now: datetime, stale_before: datetime | None
) -> dict[str, Any] | None:
    """Fail an unfinished task (not updated since `stale_before`); the row, or None."""
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
    return task_row(dict(rows[0])) if rows else None


async def resume_running(*, task_id: str, now: datetime) -> dict[str, Any] | None:
    """Bump a running task's version (locking its row); the whole row, or None."""
    rows = (
        await AiTask.update({AiTask.version: AiTask.version + 1, AiTask.updated_at: now})
        .where((AiTask.task_id == task_id) & (AiTask.status == AiTaskStatus.RUNNING.value))
        .returning(*AiTask.all_columns())
    )
    return task_row(dict(rows[0])) if rows else None


async def touch_running(*, task_id: str, now: datetime) -> dict[str, Any] | None:
    """Bump a running task's version (locking its row); its id, owner and status, or None."""
    rows = (
        await AiTask.update({AiTask.version: AiTask.version + 1, AiTask.updated_at: now})
        .where((AiTask.task_id == task_id) & (AiTask.status == AiTaskStatus.RUNNING.value))
        .returning(AiTask.task_id, AiTask.owner_user_id, AiTask.status)
    )
    return dict(rows[0]) if rows else None


async def set_latest_text_output(*, task_id: str, text_output: str) -> None:
    """Set the task's latest text output."""
    await AiTask.update({AiTask.latest_text_output: text_output}).where(AiTask.task_id == task_id)


async def idle_running_task_ids(*, stale_before: datetime, limit: int) -> list[str]:
    """Running tasks without a lease not updated since `stale_before` (at most `limit`)."""
    # Raw: a correlated `NOT EXISTS` on the lease table, which the builder cannot write.
    rows = await AiTask.raw(
        "SELECT task_id FROM ai_task WHERE status = {} AND updated_at < {} AND NOT EXISTS "
        "(SELECT 1 FROM ai_tasks_worker_lease l WHERE l.task_id = ai_task.task_id) "
        f"LIMIT {limit}",
        AiTaskStatus.RUNNING.value,
        stale_before,
    )
    return [str(row["task_id"]) for row in rows]
