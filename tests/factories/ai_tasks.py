"""AI tasks for tests: created and driven through the real resolvers."""

from __future__ import annotations

from typing import Any

from db.tables.ai_tasks import (
    AiResultReference,
    AiTask,
    AiTaskEvent,
    AiTaskStage,
    AiTasksWorkerLease,
    AiTextChunk,
)
from db.tables.realtime import RealtimeStreamCounter, RealtimeStreamEvent
from resolvers.ai_tasks import chunk_appends, creating, stage_transitions, transitions
from resolvers.ai_tasks.model import AiTaskKind, AiTaskStageKind, StageInput
from resolvers.ai_tasks.rows import AiTaskRow
from resolvers.principal import Principal, Role
from tests.factories.auth import TestUser

SERVICE = Principal(role=Role.SERVICE, credential_id="test-service")
TWO_STAGES = [
    StageInput(AiTaskStageKind.PREPARE_PROMPT, "Prepare", "Build the prompt"),
    StageInput(AiTaskStageKind.REQUEST_MODEL, "Generate", "Stream the reply"),
]
AI_TABLES = (
    AiTask,
    AiTaskStage,
    AiTextChunk,
    AiResultReference,
    AiTaskEvent,
    AiTasksWorkerLease,
    RealtimeStreamCounter,
    RealtimeStreamEvent,
)


async def make_task(
    owner: TestUser,
    *,
    kind: AiTaskKind = AiTaskKind.STORY_CONTINUATION,
    stages: list[StageInput] | None = None,
    label: str = "Continue the story",
) -> AiTaskRow:
    return await creating.create_task(
        viewer=owner.principal,
        kind=kind,
        request_label=label,
        source_module="rpg",
        stages=stages,
    )


async def make_streaming_task(
    owner: TestUser, *, stage: AiTaskStageKind = AiTaskStageKind.REQUEST_MODEL
) -> AiTaskRow:
    """A running task whose (single) `stage` is running: ready for chunks."""
    task = await make_task(owner, stages=[StageInput(stage, "Generate")])
    await transitions.start_task(viewer=SERVICE, task_id=task.task_id)
    await stage_transitions.start_stage(viewer=SERVICE, task_id=task.task_id, stage_kind=stage)
    return task


async def append_words(task_id: str, words: list[str], *, prefix: str = "w") -> None:
    for number, word in enumerate(words, start=1):
        await chunk_appends.append_chunk(
            viewer=SERVICE,
            task_id=task_id,
            stage_kind=AiTaskStageKind.REQUEST_MODEL,
            chunk_id=f"{prefix}{number}",
            delta_text=word,
        )


async def row_counts() -> dict[str, int]:
    """How many rows each AI-task and stream table holds (refused writes leave them)."""
    return {table._meta.tablename: await table.count() for table in AI_TABLES}


async def task_state(task_id: str) -> dict[str, Any]:
    """The task row and its stages, to compare before and after a refused call."""
    task = await AiTask.select().where(AiTask.task_id == task_id).first()
    stages = await AiTaskStage.select().where(AiTaskStage.task_id == task_id)
    return {"task": task, "stages": sorted(stages, key=lambda row: row["stage_order"])}


async def assert_no_running_task_without_a_lease(*, service_driven: tuple[str, ...] = ()) -> None:
    """The worker's invariant: every running task has its lease row (held, handed back or
    expired: a worker sees it and continues the task), except those service callers drive
    (`service_driven`: created by `make_task`, never queued). A running generation without
    one would be seen by no worker and no sweep: stuck for good."""
    running = await AiTask.select(AiTask.task_id, AiTask.source_module).where(
        AiTask.status == "running"
    )
    leased = {row["task_id"] for row in await AiTasksWorkerLease.select(AiTasksWorkerLease.task_id)}
    orphans = [
        row
        for row in running
        if row["task_id"] not in leased and row["task_id"] not in service_driven
    ]
    assert orphans == [], f"running tasks without a lease: {orphans}"
