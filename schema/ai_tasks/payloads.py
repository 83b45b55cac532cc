"""Mutation payloads of the AI-task domain: the changed objects on success, `errors`
otherwise (and then nothing was written)."""

from __future__ import annotations

import strawberry

from resolvers.ai_tasks import reading
from resolvers.ai_tasks.rows import AiTaskRow
from schema.ai_tasks.loaders import AiTaskLoaders
from schema.ai_tasks.parts import AiResultReference, AiTaskStage, AiTextChunk
from schema.ai_tasks.types import AiTask, AiTaskErrorType

ERRORS = "Empty on success; otherwise why nothing was written."


@strawberry.type(description="Fields shared by every AI-task payload.")
class AiTaskPayload:
    errors: list[AiTaskErrorType] = strawberry.field(description=ERRORS)
    task_row: strawberry.Private[AiTaskRow | None] = None
    task_key: strawberry.Private[str | None] = None

    @strawberry.field(description="The task after the change; null when refused.")
    async def task(self) -> AiTask | None:
        loaders = AiTaskLoaders()
        if self.task_row is not None:
            return AiTask.from_row(self.task_row, loaders)
        if self.errors or self.task_key is None:
            return None
        row = (await reading.tasks_by_id([self.task_key])).get(self.task_key)
        return AiTask.from_row(row, loaders) if row else None


@strawberry.type(description="Result of `aiTaskCreate`.")
class AiTaskCreatePayload(AiTaskPayload):
    pass


@strawberry.type(description="Result of `aiTaskGenerate`.")
class AiTaskGeneratePayload(AiTaskPayload):
    pass


@strawberry.type(description="Result of `aiTaskCancel`.")
class AiTaskCancelPayload(AiTaskPayload):
    pass


@strawberry.type(description="Result of `aiTaskStart`.")
class AiTaskStartPayload(AiTaskPayload):
    pass


@strawberry.type(description="Result of `aiTaskComplete`.")
class AiTaskCompletePayload(AiTaskPayload):
    pass


@strawberry.type(description="Result of `aiTaskFail`.")
class AiTaskFailPayload(AiTaskPayload):
    pass


@strawberry.type(description="Result of `aiTaskStageStart`.")
class AiTaskStageStartPayload(AiTaskPayload):
    stage: AiTaskStage | None = strawberry.field(
        default=None, description="The stage, now running."
    )


@strawberry.type(description="Result of `aiTaskStageComplete`.")
class AiTaskStageCompletePayload(AiTaskPayload):
    stage: AiTaskStage | None = strawberry.field(
        default=None, description="The stage, now completed."
    )


@strawberry.type(description="Result of `aiTaskChunkAppend`.")
class AiTaskChunkAppendPayload(AiTaskPayload):
    chunk: AiTextChunk | None = strawberry.field(
        default=None, description="The chunk (the first one, when its id was appended before)."
    )
    appended: bool = strawberry.field(
        default=False, description="False when this chunk id had been appended before."
    )


@strawberry.type(description="Result of `aiTaskResultAttach`.")
class AiTaskResultAttachPayload(AiTaskPayload):
    result: AiResultReference | None = strawberry.field(
        default=None, description="The reference (the first one, when attached before)."
    )
    attached: bool = strawberry.field(
        default=False, description="False when this reference id had been attached before."
    )
