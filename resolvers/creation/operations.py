"""The statements that write a turn's operation row (`creation_agent_operation`), each one
statement inside the caller's transaction; the rows come back as `RETURNING` gives them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from db.tables.creation import CreationAgentOperation
from resolvers.creation.model import OPERATION_TYPE_AGENT_REPLY, OperationStatus

Operation = CreationAgentOperation

PHASE_WAITING = "Waiting for the agent"
WARNED_DETAIL = "The reply was kept as a message; the draft did not change."


async def insert_running(
    *,
    operation_id: str,
    play_type: str,
    session_id: str,
    owner_user_id: str,
    task_id: str,
    user_message_id: str,
    reply_format: str,
    now: datetime,
) -> dict[str, Any]:
    """The new RUNNING operation of a turn whose reply streams into `task_id`."""
    rows = await Operation.insert(
        Operation(
            operation_id=operation_id,
            play_type=play_type,
            session_id=session_id,
            owner_user_id=owner_user_id,
            operation_type=OPERATION_TYPE_AGENT_REPLY,
            status=OperationStatus.RUNNING.value,
            phase_label=PHASE_WAITING,
            phase_detail="The reply streams into the turn's AI task.",
            progress=0,
            error_message=None,
            warning_message=None,
            task_id=task_id,
            user_message_id=user_message_id,
            reply_format=reply_format,
            created_at=now,
            updated_at=now,
            finished_at=None,
        )
    ).returning(*Operation.all_columns())
    return dict(rows[0])


async def close_running(
    *,
    operation_id: str,
    status: OperationStatus,
    phase: tuple[str, str],
    error_message: str | None,
    now: datetime,
) -> dict[str, Any] | None:
    """Move a RUNNING operation to `status`; None when it is not running any more (the
    single conditional UPDATE is what makes a turn apply once)."""
    label, detail = phase
    rows = (
        await Operation.update(
            {
                Operation.status: status.value,
                Operation.phase_label: label,
                Operation.phase_detail: detail,
                Operation.progress: 100,
                Operation.error_message: error_message,
                Operation.updated_at: now,
                Operation.finished_at: now,
            }
        )
        .where(
            (Operation.operation_id == operation_id)
            & (Operation.status == OperationStatus.RUNNING.value)
        )
        .returning(*Operation.all_columns())
    )
    return dict(rows[0]) if rows else None


async def record_warning(*, operation_id: str, warning: str) -> dict[str, Any]:
    """Note that the reply was kept as a message only."""
    rows = (
        await Operation.update(
            {Operation.warning_message: warning, Operation.phase_detail: WARNED_DETAIL}
        )
        .where(Operation.operation_id == operation_id)
        .returning(*Operation.all_columns())
    )
    return dict(rows[0])
