"""AI-task events: the `ai_task_event` row numbered in the task's and the owner's
streams, and messages to the generation workers on the bus."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from resolvers.ai_tasks.model import AiTaskEventKind, owner_stream, task_stream
from resolvers.ai_tasks.store.events import insert_event
from resolvers.ids import new_id
from subscriptions import bus, streams
from subscriptions.channels import AI_TASKS_WORKER

logger = logging.getLogger("genarrative.ai_tasks")


async def record_task_event(
    task: dict[str, Any],
    kind: AiTaskEventKind,
    *,
    now: datetime,
    status: str,
    stage_kind: str | None = None,
    chunk_row_id: str | None = None,
    result_row_id: str | None = None,
) -> list[streams.StreamEntry]:
    """Write the event row and number it in the task's and the owner's streams."""
    event_id = new_id()
    await insert_event(
        event_id=event_id,
        task_id=task["task_id"],
        owner_user_id=task["owner_user_id"],
        kind=kind,
        status=status,
        stage_kind=stage_kind,
        chunk_row_id=chunk_row_id,
        result_row_id=result_row_id,
        now=now,
    )
    return await streams.append(
        [task_stream(task["task_id"]), owner_stream(task["owner_user_id"])],
        kind=kind.value,
        event_id=event_id,
        occurred_at=now,
    )


async def tell_workers(message: dict[str, Any]) -> None:
    try:
        await bus.publish(AI_TASKS_WORKER, message)
    except Exception:  # the workers also poll, and every write re-checks the status
        logger.exception("telling the workers failed")
