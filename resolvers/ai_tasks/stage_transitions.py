"""Stages of a running task: start one (after every earlier stage completed) and complete
it. Call these outside any transaction: they publish after their own commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson
from piccolo.columns import Column

from db.tables.ai_tasks import AiTask, AiTaskStage
from resolvers import clock
from resolvers.ai_tasks.errors import AiTaskError, AiTaskErrorCode
from resolvers.ai_tasks.events import record_task_event
from resolvers.ai_tasks.inputs import check_text_output, valid_payload, valid_text
from resolvers.ai_tasks.model import (
    MAX_MESSAGE_LENGTH,
    MAX_WARNINGS,
    AiTaskEventKind,
    AiTaskStageKind,
    AiTaskStageStatus,
)
from resolvers.ai_tasks.refusals import refuse_stage
from resolvers.ai_tasks.rows import AiTaskStageRow
from resolvers.ai_tasks.steps import touch_running
from resolvers.ai_tasks.transactions import writing
from resolvers.principal import Principal
from subscriptions import streams


async def start_stage(
    *, viewer: Principal, task_id: str, stage_kind: AiTaskStageKind
) -> AiTaskStageRow:
    """Start a pending stage once every earlier stage completed."""
    viewer.require_service()
    now = clock.now()
    async with writing():
        task = await touch_running(task_id, now)
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
        if not rows:
            await refuse_stage(task_id, stage_kind, expected=AiTaskStageStatus.PENDING.value)
        entries = await record_task_event(
            task,
            AiTaskEventKind.STAGE_STARTED,
            now=now,
            status=task["status"],
            stage_kind=stage_kind.value,
        )
    await streams.publish(entries)
    return AiTaskStageRow.from_row(rows[0])


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
    viewer: Principal,
    task_id: str,
    stage_kind: AiTaskStageKind,
    text_output: str | None = None,
    structured_payload: Any = None,
    warning_messages: Sequence[str] | None = None,
) -> AiTaskStageRow:
    """Complete the running stage. Its text output defaults to the chunks appended to it;
    it also becomes the task's latest text output."""
    viewer.require_service()
    check_text_output(text_output)
    payload = valid_payload(structured_payload, field="structuredPayload")
    warnings = None
    if warning_messages is not None:
        if len(warning_messages) > MAX_WARNINGS:
            raise AiTaskError(
                AiTaskErrorCode.TEXT_INVALID,
                f"At most {MAX_WARNINGS} warnings.",
                field="warningMessages",
            )
        warnings = orjson.dumps(
            [
                valid_text(
                    message,
                    field="warningMessages",
                    code=AiTaskErrorCode.TEXT_INVALID,
                    limit=MAX_MESSAGE_LENGTH,
                )
                for message in warning_messages
            ]
        ).decode()
    now = clock.now()
    async with writing():
        task = await touch_running(task_id, now)
        rows = (
            await AiTaskStage.update(_completed_values(now, text_output, payload, warnings))
            .where(
                (AiTaskStage.task_id == task_id)
                & (AiTaskStage.stage_kind == stage_kind.value)
                & (AiTaskStage.status == AiTaskStageStatus.RUNNING.value)
            )
            .returning(*AiTaskStage.all_columns())
        )
        if not rows:
            await refuse_stage(task_id, stage_kind, expected=AiTaskStageStatus.RUNNING.value)
        stage = AiTaskStageRow.from_row(rows[0])
        if stage.text_output is not None:
            await AiTask.update({AiTask.latest_text_output: stage.text_output}).where(
                AiTask.task_id == task_id
            )
        entries = await record_task_event(
            task,
            AiTaskEventKind.STAGE_COMPLETED,
            now=now,
            status=task["status"],
            stage_kind=stage_kind.value,
        )
    await streams.publish(entries)
    return stage
