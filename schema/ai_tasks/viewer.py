"""The viewer's AI-task fields: a mixin listed among `Viewer`'s bases (schema/auth/viewer.py)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.ai_tasks import reading
from resolvers.ai_tasks.model import AiTaskKind, AiTaskStatus
from resolvers.auth.rows import UserAccountRow
from schema.ai_tasks.loaders import AiTaskLoaders
from schema.ai_tasks.types import AFTER, FIRST, AiTask
from schema.relay import Connection


@strawberry.type(description="AI-task fields of the viewer.")
class AiTasksViewerFields:
    row: strawberry.Private[UserAccountRow]

    @strawberry.field(
        description="Your AI tasks, newest first (keyset paging), optionally of one status "
        "and one kind. Stages, text, results, chunks and events of the whole page load with "
        "a constant number of queries."
    )
    async def ai_tasks(
        self,
        status: Annotated[
            AiTaskStatus | None, strawberry.argument(description="Only tasks in this status.")
        ] = None,
        kind: Annotated[
            AiTaskKind | None, strawberry.argument(description="Only tasks of this kind.")
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[AiTask]:
        page = await reading.tasks_of(
            user_id=self.row.user_id, status=status, kind=kind, first=first, after=after
        )
        loaders = AiTaskLoaders()
        return Connection[AiTask].from_page(page, lambda row: AiTask.from_row(row, loaders))
