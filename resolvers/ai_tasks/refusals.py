"""Why a conditional update of a task or stage matched nothing, as the error to raise."""

from __future__ import annotations

from typing import NoReturn

from resolvers.ai_tasks.errors import AiTaskError, AiTaskErrorCode
from resolvers.ai_tasks.model import (
    FINISHED_STATUSES,
    AiTaskStageKind,
    AiTaskStageStatus,
    AiTaskStatus,
)
from resolvers.ai_tasks.store import stages, tasks
from resolvers.errors import NotFound

NOT_FOUND_MESSAGE = "No such AI task."


async def refuse_task(
    task_id: str, *, expected: AiTaskStatus, owner: str | None = None
) -> NoReturn:
    """Explain why the conditional update of the task matched nothing."""
    found = await tasks.status_and_owner(task_id)
    if found is None or (owner is not None and found[1] != owner):
        raise NotFound(NOT_FOUND_MESSAGE)
    status = AiTaskStatus(found[0])
    if status in FINISHED_STATUSES:
        raise AiTaskError(AiTaskErrorCode.TASK_FINISHED, f"The task is already {status.value}.")
    if expected is AiTaskStatus.PENDING:
        raise AiTaskError(AiTaskErrorCode.TASK_NOT_PENDING, "The task has already started.")
    raise AiTaskError(AiTaskErrorCode.TASK_NOT_RUNNING, "The task has not started yet.")


async def refuse_stage(task_id: str, stage_kind: AiTaskStageKind, *, expected: str) -> NoReturn:
    status = await stages.stage_status(task_id=task_id, stage_kind=stage_kind)
    if status is None:
        raise AiTaskError(
            AiTaskErrorCode.STAGE_NOT_FOUND,
            f"The task has no {stage_kind.value} stage.",
            field="stageKind",
        )
    if expected == AiTaskStageStatus.PENDING.value and status == expected:
        raise AiTaskError(
            AiTaskErrorCode.STAGE_OUT_OF_ORDER,
            "Earlier stages must complete before this one starts.",
            field="stageKind",
        )
    if expected == AiTaskStageStatus.PENDING.value:
        raise AiTaskError(
            AiTaskErrorCode.STAGE_NOT_PENDING,
            f"The {stage_kind.value} stage is already {status}.",
            field="stageKind",
        )
    raise AiTaskError(
        AiTaskErrorCode.STAGE_NOT_RUNNING,
        f"The {stage_kind.value} stage is {status}, not running.",
        field="stageKind",
    )


def task_refusal(status_value: str | None) -> BaseException:
    """Why an append to a task that is missing (None) or not running is refused."""
    if status_value is None:
        return NotFound(NOT_FOUND_MESSAGE)
    status = AiTaskStatus(status_value)
    if status in FINISHED_STATUSES:
        return AiTaskError(AiTaskErrorCode.TASK_FINISHED, f"The task is already {status.value}.")
    return AiTaskError(AiTaskErrorCode.TASK_NOT_RUNNING, "The task has not started yet.")


def stage_refusal(stage_kind: AiTaskStageKind, status: str | None) -> AiTaskError:
    """Why an append to a stage that is missing (None) or not running is refused."""
    if status is None:
        return AiTaskError(
            AiTaskErrorCode.STAGE_NOT_FOUND,
            f"The task has no {stage_kind.value} stage.",
            field="stageKind",
        )
    return AiTaskError(
        AiTaskErrorCode.STAGE_NOT_RUNNING,
        f"The {stage_kind.value} stage is {status}, not running.",
        field="stageKind",
    )
