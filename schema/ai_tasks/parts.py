"""The parts of an AI task on the graph: its stages, text chunks and result references."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from resolvers.ai_tasks.rows import AiResultReferenceRow, AiTaskStageRow, AiTextChunkRow
from schema.ai_tasks.enums import (
    AiResultReferenceKind,
    AiTaskStageKind,
    AiTaskStageStatus,
)


@strawberry.type(description="One step of a task, in the order stages run.")
class AiTaskStage:
    id: strawberry.ID = strawberry.field(description="The stage's id.")
    kind: AiTaskStageKind = strawberry.field(description="Which step; unique within the task.")
    label: str = strawberry.field(description="Short name to show, up to 200 characters.")
    detail: str = strawberry.field(description="Longer explanation, up to 2000 characters.")
    order: int = strawberry.field(description="Position among the task's stages, from 1.")
    status: AiTaskStageStatus = strawberry.field(description="Where the stage is.")
    text_output: str | None = strawberry.field(
        description="Text so far: the chunks appended to this stage, or the text it completed with."
    )
    structured_payload: JSON | None = strawberry.field(
        description="Structured output given when the stage completed, if any."
    )
    warning_messages: list[str] = strawberry.field(
        description="Warnings given when the stage completed (at most 20)."
    )
    chunk_count: int = strawberry.field(
        description="Chunks appended so far; chunk sequences of this stage run 1..chunkCount."
    )
    started_at: datetime | None = strawberry.field(description="When it started running.")
    completed_at: datetime | None = strawberry.field(description="When it ended, if it has.")

    @classmethod
    def from_row(cls, row: AiTaskStageRow) -> AiTaskStage:
        return cls(
            id=strawberry.ID(row.task_stage_id),
            kind=row.stage_kind,
            label=row.label,
            detail=row.detail,
            order=row.stage_order,
            status=row.status,
            text_output=row.text_output,
            structured_payload=row.structured_payload_json,
            warning_messages=list(row.warning_messages),
            chunk_count=row.chunk_count,
            started_at=row.started_at,
            completed_at=row.completed_at,
        )


@strawberry.type(description="A piece of streamed text, in order within its stage.")
class AiTextChunk:
    id: strawberry.ID = strawberry.field(description="The chunk's row id.")
    chunk_id: str = strawberry.field(
        description="The writer's id for it (appending it again is a no-op)."
    )
    stage_kind: AiTaskStageKind = strawberry.field(description="The stage it belongs to.")
    sequence: int = strawberry.field(description="Position within its stage: 1, 2, … with no gaps.")
    delta_text: str = strawberry.field(description="The text added, up to 16000 characters.")
    created_at: datetime = strawberry.field(description="When it was appended.")

    @classmethod
    def from_row(cls, row: AiTextChunkRow) -> AiTextChunk:
        return cls(
            id=strawberry.ID(row.text_chunk_row_id),
            chunk_id=row.chunk_id,
            stage_kind=row.stage_kind,
            sequence=row.sequence,
            delta_text=row.delta_text,
            created_at=row.created_at,
        )


@strawberry.type(description="An output of a task: an asset, a work profile or an entity.")
class AiResultReference:
    id: strawberry.ID = strawberry.field(description="The reference's row id.")
    result_ref_id: str = strawberry.field(
        description="The writer's id for it (attaching it again is a no-op)."
    )
    kind: AiResultReferenceKind = strawberry.field(description="What it points at.")
    reference_id: str = strawberry.field(description="The id of what it points at.")
    label: str | None = strawberry.field(description="Short name to show, if any.")
    created_at: datetime = strawberry.field(description="When it was attached.")

    @classmethod
    def from_row(cls, row: AiResultReferenceRow) -> AiResultReference:
        return cls(
            id=strawberry.ID(row.result_reference_row_id),
            result_ref_id=row.result_ref_id,
            kind=row.reference_kind,
            reference_id=row.reference_id,
            label=row.label,
            created_at=row.created_at,
        )
