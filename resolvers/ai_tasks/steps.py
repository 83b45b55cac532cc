"""Steps shared by the transitions, run inside their transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from db.tables.ai_tasks import AiTask, AiTaskStage, AiTasksWorkerLease
from resolvers.ai_tasks.model import AiTaskStageStatus, AiTaskStatus
from resolvers.ai_tasks.refusals import refuse_task


async def touch_running(task_id: str, now: datetime) -> dict[str, Any]:
    """Bump a running task's version (locking its row); refuse any other status."""
    rows = (
        await AiTask.update({AiTask.version: AiTask.version + 1, AiTask.updated_at: now})
        .where((AiTask.task_id == task_id) & (AiTask.status == AiTaskStatus.RUNNING.value))
        .returning(AiTask.task_id, AiTask.owner_user_id, AiTask.status)
    )
    if not rows:
        await refuse_task(task_id, expected=AiTaskStatus.RUNNING)
    return dict(rows[0])


async def delete_lease(task_id: str) -> None:
    await AiTasksWorkerLease.delete().where(AiTasksWorkerLease.task_id == task_id)


async def stop_stages(task_id: str, status: AiTaskStageStatus, now: datetime) -> str | None:
    """Mark the running stage (if any) failed or cancelled; returns its kind."""
    rows = (
        await AiTaskStage.update({AiTaskStage.status: status.value, AiTaskStage.completed_at: now})
        .where(
            (AiTaskStage.task_id == task_id)
            & (AiTaskStage.status == AiTaskStageStatus.RUNNING.value)
        )
        .returning(AiTaskStage.stage_kind)
    )
    return str(rows[0]["stage_kind"]) if rows else None
