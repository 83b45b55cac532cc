"""Steps shared by the transitions, run inside their transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from db.tables.ai_tasks import AiTask
from resolvers.ai_tasks.model import AiTaskStageStatus, AiTaskStatus
from resolvers.ai_tasks.refusals import refuse_task


async def touch_running(task_id: str, now: datetime) -> dict[str, Any]:
    """Bump a running task's version (locking its row); refuse any other status."""
    rows = await AiTask.raw(
        "UPDATE ai_task SET version = version + 1, updated_at = {} "
        "WHERE task_id = {} AND status = {} RETURNING task_id, owner_user_id, status",
        now,
        task_id,
        AiTaskStatus.RUNNING.value,
    )
    if not rows:
        await refuse_task(task_id, expected=AiTaskStatus.RUNNING)
    return dict(rows[0])


async def delete_lease(task_id: str) -> None:
    await AiTask.raw("DELETE FROM ai_tasks_worker_lease WHERE task_id = {}", task_id)


async def stop_stages(task_id: str, status: AiTaskStageStatus, now: datetime) -> str | None:
    """Mark the running stage (if any) failed or cancelled; returns its kind."""
    rows = await AiTask.raw(
        "UPDATE ai_task_stage SET status = {}, completed_at = {} "
        "WHERE task_id = {} AND status = {} RETURNING stage_kind",
        status.value,
        now,
        task_id,
        AiTaskStageStatus.RUNNING.value,
    )
    return str(rows[0]["stage_kind"]) if rows else None
