"""Stages of a running task: start one (after every earlier stage completed) and complete
it. Call these outside any transaction: they publish after their own commit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

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
from resolvers.ai_tasks.store import stages, tasks
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
        stage = await stages.start_stage(task_id=task_id, stage_kind=stage_kind, now=now)
        if stage is None:
            await refuse_stage(task_id, stage_kind, expected=AiTaskStageStatus.PENDING.value)
        entries = await record_task_event(
            task,
            AiTaskEventKind.STAGE_STARTED,
            now=now,
            status=task["status"],
            stage_kind=stage_kind.value,
        )
    await streams.publish(entries)
    return stage


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
        stage = await stages.complete_stage(
            task_id=task_id,
            stage_kind=stage_kind,
            text_output=text_output,
            payload=payload,
            warnings=warnings,
            now=now,
        )
        if stage is None:
            await refuse_stage(task_id, stage_kind, expected=AiTaskStageStatus.RUNNING.value)
        if stage.text_output is not None:
            await tasks.set_latest_text_output(task_id=task_id, text_output=stage.text_output)
        entries = await record_task_event(
            task,
            AiTaskEventKind.STAGE_COMPLETED,
            now=now,
            status=task["status"],
            stage_kind=stage_kind.value,
        )
    await streams.publish(entries)
    return stage
