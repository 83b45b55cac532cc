"""AI tasks, stages, text chunks, result references and events on the graph."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from resolvers.ai_tasks import reading
from resolvers.ai_tasks.errors import AiTaskErrorCode
from resolvers.ai_tasks.model import (
    AiTaskEventKind,
    AiTaskKind,
    AiTaskStageKind,
    AiTaskStatus,
)
from resolvers.ai_tasks.rows import (
    AiTaskEventRow,
    AiTaskRow,
)
from schema.ai_tasks.loaders import AiTaskLoaders
from schema.ai_tasks.parts import AiResultReference, AiTaskStage, AiTextChunk
from schema.context import Info
from schema.ids import object_id
from schema.relay import Connection

FIRST = "Page size, 1 to 100 (default 20)."
AFTER = "`endCursor` of the previous page."


def task_key(given: str) -> str:
    """A task id as mutations and subscriptions accept it: `taskId` or the global `id`."""
    return object_id(given, "AiTask")


@strawberry.type(
    description="One change of a task, numbered in the stream it was read from (the "
    "task's, or all the viewer's tasks). Pass the last `sequence` seen as `after` to "
    "resume a subscription without gaps or duplicates."
)
class AiTaskEvent:
    id: strawberry.ID = strawberry.field(description="The event's id.")
    sequence: int = strawberry.field(
        description="Position in its stream: 1, 2, … with no gaps, in commit order."
    )
    task_id: strawberry.ID = strawberry.field(description="The task that changed (`taskId`).")
    kind: AiTaskEventKind = strawberry.field(description="What happened.")
    status: AiTaskStatus = strawberry.field(description="The task's status right after it.")
    stage_kind: AiTaskStageKind | None = strawberry.field(
        description="The stage concerned (stage events, text chunks; the stage a failure or "
        "cancellation stopped)."
    )
    delta_text: str | None = strawberry.field(description="TEXT_CHUNK: the text added.")
    chunk_sequence: int | None = strawberry.field(
        description="TEXT_CHUNK: the chunk's sequence within its stage."
    )
    result_reference: AiResultReference | None = strawberry.field(
        description="RESULT_ATTACHED: the reference attached."
    )
    failure_message: str | None = strawberry.field(description="FAILED: why the task failed.")
    occurred_at: datetime = strawberry.field(description="When it happened.")

    @classmethod
    def from_row(cls, row: AiTaskEventRow, *, sequence: int) -> AiTaskEvent:
        kind = row.event_kind
        reference = None
        if (
            row.result_reference_row_id is not None
            and row.result_ref_id is not None
            and row.reference_kind is not None
            and row.reference_id is not None
        ):
            reference = AiResultReference(
                id=strawberry.ID(row.result_reference_row_id),
                result_ref_id=row.result_ref_id,
                kind=row.reference_kind,
                reference_id=row.reference_id,
                label=row.reference_label,
                created_at=row.occurred_at,
            )
        return cls(
            id=strawberry.ID(row.event_id),
            sequence=sequence,
            task_id=strawberry.ID(row.task_id),
            kind=kind,
            status=row.task_status,
            stage_kind=row.stage_kind,
            delta_text=row.delta_text,
            chunk_sequence=row.chunk_sequence,
            result_reference=reference,
            failure_message=row.failure_message if kind is AiTaskEventKind.FAILED else None,
            occurred_at=row.occurred_at,
        )


@strawberry.type(
    description="An AI task of the viewer: its request, status, stages, streamed text, "
    "results and events. Only its owner can read it."
)
class AiTask(relay.Node):
    node_key: relay.NodeID[str]
    loaders: strawberry.Private[AiTaskLoaders]
    task_id: strawberry.ID = strawberry.field(
        description="The task's own id (a ULID); mutations and subscriptions take it."
    )
    kind: AiTaskKind = strawberry.field(description="What the task produces.")
    status: AiTaskStatus = strawberry.field(description="Where the task is.")
    request_label: str = strawberry.field(description="Short description of the request.")
    source_module: str = strawberry.field(
        description="The module that asked (`generation` for `aiTaskGenerate`)."
    )
    source_entity_id: str | None = strawberry.field(
        description="The entity the request is about, if any."
    )
    request_payload: JSON | None = strawberry.field(
        description="The request's parameters (`{prompt}` for generations)."
    )
    failure_message: str | None = strawberry.field(description="Why it failed, when FAILED.")
    latest_text_output: str | None = strawberry.field(
        description="Text of the last completed stage, or the task's final text."
    )
    latest_structured_payload: JSON | None = strawberry.field(
        description="Structured output given at completion, if any."
    )
    version: int = strawberry.field(description="Grows by one with every change of the task.")
    created_at: datetime = strawberry.field(description="When it was created.")
    started_at: datetime | None = strawberry.field(description="When it started running.")
    completed_at: datetime | None = strawberry.field(
        description="When it completed, failed or was cancelled."
    )
    updated_at: datetime = strawberry.field(description="Its last change.")

    @classmethod
    def from_row(cls, row: AiTaskRow, loaders: AiTaskLoaders) -> AiTask:
        return cls(
            node_key=row.task_id,
            loaders=loaders,
            task_id=strawberry.ID(row.task_id),
            kind=row.task_kind,
            status=row.status,
            request_label=row.request_label,
            source_module=row.source_module,
            source_entity_id=row.source_entity_id,
            request_payload=row.request_payload_json,
            failure_message=row.failure_message,
            latest_text_output=row.latest_text_output,
            latest_structured_payload=row.latest_structured_payload_json,
            version=row.version,
            created_at=row.created_at,
            started_at=row.started_at,
            completed_at=row.completed_at,
            updated_at=row.updated_at,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[AiTask | None]:
        """Only the owner sees a task: for anyone else it does not exist."""
        ids = list(node_ids)
        viewer = info.context.principal.user_id
        rows = await reading.tasks_by_id(ids) if viewer is not None else {}
        loaders = AiTaskLoaders()
        return [
            cls.from_row(row, loaders)
            if (row := rows.get(node_id)) is not None and row.owner_user_id == viewer
            else None
            for node_id in ids
        ]

    @strawberry.field(description="The stages in their order.")
    async def stages(self) -> list[AiTaskStage]:
        rows = await self.loaders.stages.load(str(self.task_id))
        return [AiTaskStage.from_row(row) for row in rows]

    @strawberry.field(
        description="All text so far: each stage's text in stage order. It stays readable "
        "when the task fails mid-stream."
    )
    async def text(self) -> str:
        rows = await self.loaders.stages.load(str(self.task_id))
        return "".join(row.text_output or "" for row in rows)

    @strawberry.field(description="Result references, oldest first (at most a few per task).")
    async def results(self) -> list[AiResultReference]:
        rows = await self.loaders.results.load(str(self.task_id))
        return [AiResultReference.from_row(row) for row in rows]

    @strawberry.field(description="Streamed text chunks in text order (stage, then sequence).")
    async def chunks(
        self,
        stage_kind: Annotated[
            AiTaskStageKind | None,
            strawberry.argument(description="Only this stage's chunks."),
        ] = None,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[AiTextChunk]:
        page = await self.loaders.chunks.load((str(self.task_id), stage_kind, first, after))
        return Connection[AiTextChunk].from_page(page, AiTextChunk.from_row)

    @strawberry.field(
        description="The task's events in the order of its stream (`sequence` 1, 2, …): the "
        "same numbering `aiTaskEvents` delivers."
    )
    async def events(
        self,
        first: Annotated[int | None, strawberry.argument(description=FIRST)] = None,
        after: Annotated[str | None, strawberry.argument(description=AFTER)] = None,
    ) -> Connection[AiTaskEvent]:
        page = await self.loaders.events.load((str(self.task_id), first, after))
        return Connection[AiTaskEvent].from_page(
            page, lambda streamed: AiTaskEvent.from_row(streamed.event, sequence=streamed.sequence)
        )


@strawberry.type(name="AiTaskError", description="Why an AI-task mutation did nothing.")
class AiTaskErrorType:
    code: AiTaskErrorCode = strawberry.field(description="Machine-readable reason.")
    field: str | None = strawberry.field(description="The input field at fault, if any.")
    message: str = strawberry.field(description="Human-readable explanation.")
