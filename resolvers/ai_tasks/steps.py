"""Steps shared by the transitions, run inside their transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from resolvers.ai_tasks.model import AiTaskStageStatus, AiTaskStatus
from resolvers.ai_tasks.refusals import refuse_task
from resolvers.ai_tasks.store import leases, stages, tasks


async def touch_running(task_id: str, now: datetime) -> dict[str, Any]:
    """Bump a running task's version (locking its row); refuse any other status."""
    task = await tasks.touch_running(task_id=task_id, now=now)
    if task is None:
        await refuse_task(task_id, expected=AiTaskStatus.RUNNING)
    return task


async def delete_lease(task_id: str) -> None:
    """Drop the task's generation lease (it finished)."""
    await leases.delete_lease(task_id)


async def stop_stages(task_id: str, status: AiTaskStageStatus, now: datetime) -> str | None:
    """Mark the running stage (if any) failed or cancelled; returns its kind."""
    return await stages.stop_running_stage(task_id=task_id, status=status, now=now)
