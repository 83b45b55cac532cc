"""AI-task queries: one task of the viewer by id (the list is `viewer.aiTasks`)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.ai_tasks import reading
from schema.ai_tasks.loaders import AiTaskLoaders
from schema.ai_tasks.types import AiTask, task_key
from schema.context import Info
from schema.permissions import IsAuthenticated


@strawberry.type
class AiTaskQuery:
    @strawberry.field(
        description="One of your AI tasks with its stages, text so far, chunks, results and "
        "events. NOT_FOUND for an unknown task or another user's.",
        permission_classes=[IsAuthenticated],
    )
    async def ai_task(
        self,
        info: Info,
        task_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The task's `taskId` (or its global `id`)."),
        ],
    ) -> AiTask:
        row = await reading.owned_task(viewer=info.context.principal, task_id=task_key(task_id))
        return AiTask.from_row(row, AiTaskLoaders())
