"""Statements of the `ai_task_stage` rows: inserts, conditional starts and completions,
reads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from piccolo.columns import Column

from db.tables.ai_tasks import AiTask, AiTaskStage
from resolvers.ai_tasks.model import AiTaskStageKind, AiTaskStageStatus, StageInput
from resolvers.ai_tasks.rows import AiTaskStageRow
from resolvers.ids import new_id


async def insert_stages(*, task_id: str, stages: Sequence[StageInput]) -> None:
    """Insert a new task's stages, pending, in the given order."""
    await AiTaskStage.insert(
        *[
            AiTaskStage(
                task_stage_id=new_id(),
                task_id=task_id,
                stage_kind=stage.kind.value,
                label=stage.label,
                detail=stage.detail,
                stage_order=order,
                status=AiTaskStageStatus.PENDING.value,
                warning_messages="[]",
                chunk_count=0,
            )
            for order, stage in enumerate(stages, start=1)
        ]
    )


async def start_stage(
    *, task_id: str, stage_kind: AiTaskStageKind, now: datetime
) -> AiTaskStageRow | None:
    """Start a pending stage whose earlier stages all completed; None when refused."""
    # Raw: a correlated `NOT EXISTS` on earlier stages, which the builder cannot write.
    rows = await AiTask.raw(
        "UPDATE ai_task_stage SET status = {}, started_at = {} "
        "WHERE task_id = {} AND stage_kind = {} AND status = {} AND NOT EXISTS ("
        "SELECT 1 FROM ai_task_stage earlier WHERE earlier.task_id = ai_task_stage.task_id "
        "AND earlier.stage_order < ai_task_stage.stage_order AND earlier.status <> {}) "
        "RETURNING *",
        AiTaskStageStatus.RUNNING.value,
        now,
        task_id,
        stage_kind.value,
        AiTaskStageStatus.PENDING.value,
        AiTaskStageStatus.COMPLETED.value,
    )
    return AiTaskStageRow.from_row(rows[0]) if rows else None


def _completed_values(
    now: datetime, text_output: str | None, payload: str | None, warnings: str | None
) -> dict[Column | str, Any]:
    """The completed stage's columns; an output not given keeps the stage's own."""
    values: dict[Column | str, Any] = {
        AiTaskStage.status: AiTaskStageStatus.COMPLETED.value,
        AiTaskStage.completed_at: now,
    }
    for column, value in (
        (AiTaskStage.text_output, text_output),
        (AiTaskStage.structured_payload_json, payload),
        (AiTaskStage.warning_messages, warnings),
    ):
        if value is not None:
            values[column] = value
    return values


async def complete_stage(
    *,
    task_id: str,
    stage_kind: AiTaskStageKind,
    text_output: str | None,
    payload: str | None,
    warnings: str | None,
    now: datetime,
) -> AiTaskStageRow | None:
    """Complete the running stage; None when it is not running."""
    rows = (
        await AiTaskStage.update(_completed_values(now, text_output, payload, warnings))
        .where(
            (AiTaskStage.task_id == task_id)
            & (AiTaskStage.stage_kind == stage_kind.value)
            & (AiTaskStage.status == AiTaskStageStatus.RUNNING.value)
        )
        .returning(*AiTaskStage.all_columns())
    )
    return AiTaskStageRow.from_row(rows[0]) if rows else None


async def stop_running_stage(
    *, task_id: str, status: AiTaskStageStatus, now: datetime
) -> str | None:
    """Mark the running stage (if any) failed or cancelled; returns its kind."""
    rows = (
        await AiTaskStage.update({AiTaskStage.status: status.value, AiTaskStage.completed_at: now})
        .where(
            (AiTaskStage.task_id == task_id)
            & (AiTaskStage.status == AiTaskStageStatus.RUNNING.value)
        )
        .returning(AiTaskStage.stage_kind)
    )
    return str(rows[0]["stage_kind"]) if rows else None


async def stage_status(*, task_id: str, stage_kind: AiTaskStageKind) -> str | None:
    """The stage's status; None when the task has no such stage."""
    stage = (
        await AiTaskStage.select(AiTaskStage.status)
        .where((AiTaskStage.task_id == task_id) & (AiTaskStage.stage_kind == stage_kind.value))
        .first()
    )
    return str(stage["status"]) if stage is not None else None


async def stage_statuses(task_ids: Sequence[str]) -> dict[tuple[str, str], str]:
    """The status of every stage of these tasks, by (task id, stage kind)."""
    return {
        (row["task_id"], row["stage_kind"]): row["status"]
        for row in await AiTaskStage.select(
            AiTaskStage.task_id, AiTaskStage.stage_kind, AiTaskStage.status
        ).where(AiTaskStage.task_id.is_in(list(task_ids)))
    }


async def stages_of_tasks(task_ids: Sequence[str]) -> list[AiTaskStageRow]:
    """The stages of these tasks, by task, in their order."""
    rows = (
        await AiTaskStage.select()
        .where(AiTaskStage.task_id.is_in(list(task_ids)))
        .order_by(AiTaskStage.task_id)
        .order_by(AiTaskStage.stage_order)
        .output(load_json=True)
    )
    return [AiTaskStageRow.from_row(row) for row in rows]
