"""The input objects of the AI task mutations: a new task and its stages, a text to
generate, and a worker's progress (chunks, stage completion, results, completion, failure)."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from schema.ai_tasks.enums import AiResultReferenceKind, AiTaskKind, AiTaskStageKind

TASK_ID = "The task's `taskId` (or its global `id`)."


@strawberry.input(description="One stage of a new task; stages run in the order given.")
class AiTaskStageInput:
    kind: AiTaskStageKind = strawberry.field(description="Which step; each kind at most once.")
    label: str = strawberry.field(description="Short name to show, 1 to 200 characters.")
    detail: str = strawberry.field(default="", description="Explanation, up to 2000 characters.")


@strawberry.input(description="A new AI task that a service worker will run.")
class AiTaskCreateInput:
    kind: AiTaskKind = strawberry.field(description="What the task produces.")
    request_label: str = strawberry.field(description="Short description, 1 to 200 characters.")
    source_module: str = strawberry.field(
        description="The module asking (e.g. `rpg`, `puzzle`), 1 to 64 characters."
    )
    source_entity_id: str | None = strawberry.field(
        default=None, description="The entity it is about, up to 128 characters."
    )
    request_payload: JSON | None = strawberry.field(
        default=None, description="Parameters for the worker: a JSON object, at most 64 KiB."
    )
    stages: list[AiTaskStageInput] | None = strawberry.field(
        default=None,
        description="1 to 8 stages in run order, each kind once (default: one "
        "REQUEST_MODEL stage).",
    )


@strawberry.input(description="Ask this service to generate text for a prompt.")
class AiTaskGenerateInput:
    prompt: str = strawberry.field(description="What to write about, 1 to 8000 characters.")
    kind: AiTaskKind = strawberry.field(
        default=AiTaskKind.TEXT_GENERATION,
        description="The kind of task to record. IMAGE_GENERATION is refused with "
        "KIND_INVALID: images are asked for with imageGenerate or workCoverGenerate.",
    )


@strawberry.input(description="A piece of streamed text for the running stage.")
class AiTaskChunkAppendInput:
    task_id: strawberry.ID = strawberry.field(description=TASK_ID)
    stage_kind: AiTaskStageKind = strawberry.field(description="The running stage.")
    chunk_id: str = strawberry.field(
        description="Your id for this chunk, 1 to 128 characters; sending it again is a "
        "no-op (safe retries)."
    )
    delta_text: str = strawberry.field(description="The text to add, 1 to 16000 characters.")


@strawberry.input(description="Complete the running stage.")
class AiTaskStageCompleteInput:
    task_id: strawberry.ID = strawberry.field(description=TASK_ID)
    stage_kind: AiTaskStageKind = strawberry.field(description="The running stage.")
    text_output: str | None = strawberry.field(
        default=None,
        description="The stage's final text (up to 200000 characters); default: its chunks.",
    )
    structured_payload: JSON | None = strawberry.field(
        default=None, description="Structured output: a JSON object, at most 64 KiB."
    )
    warning_messages: list[str] | None = strawberry.field(
        default=None, description="Up to 20 warnings of up to 2000 characters."
    )


@strawberry.input(description="Attach an output to the running task.")
class AiTaskResultAttachInput:
    task_id: strawberry.ID = strawberry.field(description=TASK_ID)
    result_ref_id: str = strawberry.field(
        description="Your id for this reference, 1 to 128 characters; again is a no-op."
    )
    kind: AiResultReferenceKind = strawberry.field(description="What it points at.")
    reference_id: str = strawberry.field(description="The id of the output, 1 to 128 characters.")
    label: str | None = strawberry.field(default=None, description="Up to 200 characters.")


@strawberry.input(description="Complete a running task whose stages all completed.")
class AiTaskCompleteInput:
    task_id: strawberry.ID = strawberry.field(description=TASK_ID)
    text_output: str | None = strawberry.field(
        default=None,
        description="Final text (up to 200000 characters); default: the last stage's text.",
    )
    structured_payload: JSON | None = strawberry.field(
        default=None, description="Structured output: a JSON object, at most 64 KiB."
    )


@strawberry.input(description="Fail a pending or running task.")
class AiTaskFailInput:
    task_id: strawberry.ID = strawberry.field(description=TASK_ID)
    message: str = strawberry.field(
        description="Why, for the owner to read: 1 to 2000 characters. Text already "
        "streamed stays readable."
    )
