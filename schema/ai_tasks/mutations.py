"""AI-task mutations. Owners create, generate and cancel; service callers drive the rest.

Every mutation changes one task in one transaction, writes an event numbered in the task's
and the owner's streams, and publishes it after commit. An illegal transition or invalid
input returns `errors` and writes nothing; an unknown task, or another user's, is
NOT_FOUND.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.ai_tasks import chunk_appends, creating, results, stage_transitions, transitions
from resolvers.ai_tasks.model import AiTaskStageKind, StageInput
from schema.ai_tasks.inputs import (
    TASK_ID,
    AiTaskChunkAppendInput,
    AiTaskCompleteInput,
    AiTaskCreateInput,
    AiTaskFailInput,
    AiTaskGenerateInput,
    AiTaskResultAttachInput,
    AiTaskStageCompleteInput,
)
from schema.ai_tasks.parts import AiResultReference, AiTaskStage, AiTextChunk
from schema.ai_tasks.payloads import (
    AiTaskCancelPayload,
    AiTaskChunkAppendPayload,
    AiTaskCompletePayload,
    AiTaskCreatePayload,
    AiTaskFailPayload,
    AiTaskGeneratePayload,
    AiTaskResultAttachPayload,
    AiTaskStageCompletePayload,
    AiTaskStageStartPayload,
    AiTaskStartPayload,
)
from schema.ai_tasks.types import task_key
from schema.context import Info
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAuthenticated, IsService


@strawberry.type
class AiTaskMutation:
    @strawberry.mutation(
        description="Create a pending AI task for a service worker to run.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def ai_task_create(
        self,
        info: Info,
        input: Annotated[
            AiTaskCreateInput, strawberry.argument(description="The task and its stages.")
        ],
    ) -> AiTaskCreatePayload:
        row = await creating.create_task(
            viewer=info.context.principal,
            kind=input.kind,
            request_label=input.request_label,
            source_module=input.source_module,
            source_entity_id=input.source_entity_id,
            request_payload=input.request_payload,
            stages=[
                StageInput(kind=stage.kind, label=stage.label, detail=stage.detail)
                for stage in input.stages or []
            ],
        )
        return AiTaskCreatePayload(errors=[], task_row=row)

    @strawberry.mutation(
        description="Ask for a generation: a task this service runs at once, streaming its "
        "text word by word (subscribe with `aiTaskEvents`).",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def ai_task_generate(
        self,
        info: Info,
        input: Annotated[
            AiTaskGenerateInput, strawberry.argument(description="The prompt and kind.")
        ],
    ) -> AiTaskGeneratePayload:
        row = await creating.request_generation(
            viewer=info.context.principal, kind=input.kind, prompt=input.prompt
        )
        return AiTaskGeneratePayload(errors=[], task_row=row)

    @strawberry.mutation(
        description="Cancel one of your pending or running tasks; its generation stops within "
        "a second. TASK_FINISHED once it completed, failed or was cancelled.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def ai_task_cancel(
        self,
        info: Info,
        task_id: Annotated[strawberry.ID, strawberry.argument(description=TASK_ID)],
    ) -> AiTaskCancelPayload:
        row = await transitions.cancel_task(
            viewer=info.context.principal, task_id=task_key(task_id)
        )
        return AiTaskCancelPayload(errors=[], task_row=row)

    @strawberry.mutation(
        description="Service: start a pending task (TASK_NOT_PENDING otherwise).",
        permission_classes=[IsService],
        extensions=[DomainErrorPayload()],
    )
    async def ai_task_start(
        self,
        info: Info,
        task_id: Annotated[strawberry.ID, strawberry.argument(description=TASK_ID)],
    ) -> AiTaskStartPayload:
        row = await transitions.start_task(viewer=info.context.principal, task_id=task_key(task_id))
        return AiTaskStartPayload(errors=[], task_row=row)

    @strawberry.mutation(
        description="Service: start a stage of a running task once every earlier stage "
        "completed (STAGE_OUT_OF_ORDER otherwise).",
        permission_classes=[IsService],
        extensions=[DomainErrorPayload()],
    )
    async def ai_task_stage_start(
        self,
        info: Info,
        task_id: Annotated[strawberry.ID, strawberry.argument(description=TASK_ID)],
        stage_kind: Annotated[
            AiTaskStageKind, strawberry.argument(description="The stage to start.")
        ],
    ) -> AiTaskStageStartPayload:
        key = task_key(task_id)
        row = await stage_transitions.start_stage(
            viewer=info.context.principal, task_id=key, stage_kind=stage_kind
        )
        return AiTaskStageStartPayload(errors=[], task_key=key, stage=AiTaskStage.from_row(row))

    @strawberry.mutation(
        description="Service: append text to the running stage. Sequences are per stage, "
        "1, 2, … without gaps; the same `chunkId` again is a no-op (`appended: false`).",
        permission_classes=[IsService],
        extensions=[DomainErrorPayload()],
    )
    async def ai_task_chunk_append(
        self,
        info: Info,
        input: Annotated[AiTaskChunkAppendInput, strawberry.argument(description="The chunk.")],
    ) -> AiTaskChunkAppendPayload:
        key = task_key(input.task_id)
        appended = await chunk_appends.append_chunk(
            viewer=info.context.principal,
            task_id=key,
            stage_kind=input.stage_kind,
            chunk_id=input.chunk_id,
            delta_text=input.delta_text,
        )
        return AiTaskChunkAppendPayload(
            errors=[],
            task_key=key,
            chunk=AiTextChunk.from_row(appended.chunk),
            appended=appended.appended,
        )

    @strawberry.mutation(
        description="Service: complete the running stage.",
        permission_classes=[IsService],
        extensions=[DomainErrorPayload()],
    )
    async def ai_task_stage_complete(
        self,
        info: Info,
        input: Annotated[
            AiTaskStageCompleteInput, strawberry.argument(description="The stage and its output.")
        ],
    ) -> AiTaskStageCompletePayload:
        key = task_key(input.task_id)
        row = await stage_transitions.complete_stage(
            viewer=info.context.principal,
            task_id=key,
            stage_kind=input.stage_kind,
            text_output=input.text_output,
            structured_payload=input.structured_payload,
            warning_messages=input.warning_messages,
        )
        return AiTaskStageCompletePayload(errors=[], task_key=key, stage=AiTaskStage.from_row(row))

    @strawberry.mutation(
        description="Service: attach an output to a running task; the same `resultRefId` "
        "again is a no-op (`attached: false`).",
        permission_classes=[IsService],
        extensions=[DomainErrorPayload()],
    )
    async def ai_task_result_attach(
        self,
        info: Info,
        input: Annotated[
            AiTaskResultAttachInput, strawberry.argument(description="The reference.")
        ],
    ) -> AiTaskResultAttachPayload:
        key = task_key(input.task_id)
        attached = await results.attach_result(
            viewer=info.context.principal,
            task_id=key,
            result_ref_id=input.result_ref_id,
            kind=input.kind,
            reference_id=input.reference_id,
            label=input.label,
        )
        return AiTaskResultAttachPayload(
            errors=[],
            task_key=key,
            result=AiResultReference.from_row(attached.result),
            attached=attached.attached,
        )

    @strawberry.mutation(
        description="Service: complete a running task (STAGES_INCOMPLETE until every stage "
        "completed; TASK_FINISHED once cancelled or failed).",
        permission_classes=[IsService],
        extensions=[DomainErrorPayload()],
    )
    async def ai_task_complete(
        self,
        info: Info,
        input: Annotated[
            AiTaskCompleteInput, strawberry.argument(description="The task and its output.")
        ],
    ) -> AiTaskCompletePayload:
        row = await transitions.complete_task(
            viewer=info.context.principal,
            task_id=task_key(input.task_id),
            text_output=input.text_output,
            structured_payload=input.structured_payload,
        )
        return AiTaskCompletePayload(errors=[], task_row=row)

    @strawberry.mutation(
        description="Service: fail a pending or running task with a message.",
        permission_classes=[IsService],
        extensions=[DomainErrorPayload()],
    )
    async def ai_task_fail(
        self,
        info: Info,
        input: Annotated[
            AiTaskFailInput, strawberry.argument(description="The task and why it failed.")
        ],
    ) -> AiTaskFailPayload:
        row = await transitions.fail_task(
            viewer=info.context.principal,
            task_id=task_key(input.task_id),
            message=input.message,
        )
        return AiTaskFailPayload(errors=[], task_row=row)
