"""Statements on agent turns (`creation_agent_operation`): each write is one statement
inside the caller's transaction and hands the row back as `RETURNING` gives it; the batched
reads cost one statement whatever the number of sessions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from db.tables.creation import CreationAgentOperation
from resolvers.ai_tasks.store.fragments import task_join
from resolvers.creation.model import (
    FINISHED_TASK,
    OPERATION_TYPE_AGENT_REPLY,
    OperationStatus,
)
from resolvers.creation.rows import CreationOperationRow, RunningTurnRow

Operation = CreationAgentOperation

# The ids of RUNNING turns whose AI task finished; placeholders: RUNNING, then FINISHED_TASK.
FINISHED_JOIN = (
    "SELECT o.operation_id FROM creation_agent_operation o "
    f"{task_join('o.task_id')} WHERE o.status = {{}} "
    f"AND t.status IN ({', '.join('{}' for _ in FINISHED_TASK)})"
)


def marks(values: Sequence[Any]) -> str:
    """One placeholder per value, comma-separated."""
    return ", ".join("{}" for _ in values)


async def insert_running(
    *,
    operation_id: str,
    play_type: str,
    session_id: str,
    owner_user_id: str,
    task_id: str,
    user_message_id: str,
    reply_format: str,
    phase: tuple[str, str],
    now: datetime,
) -> dict[str, Any]:
    """The new RUNNING operation of a turn whose reply streams into `task_id`."""
    label, detail = phase
    rows = await Operation.insert(
        Operation(
            operation_id=operation_id,
            play_type=play_type,
            session_id=session_id,
            owner_user_id=owner_user_id,
            operation_type=OPERATION_TYPE_AGENT_REPLY,
            status=OperationStatus.RUNNING.value,
            phase_label=label,
            phase_detail=detail,
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


async def record_warning(*, operation_id: str, warning: str, detail: str) -> dict[str, Any]:
    """Note on the operation that the reply was kept as a message only."""
    rows = (
        await Operation.update({Operation.warning_message: warning, Operation.phase_detail: detail})
        .where(Operation.operation_id == operation_id)
        .returning(*Operation.all_columns())
    )
    return dict(rows[0])


async def turn_running(*, play_type: str, session_id: str) -> bool:
    """Whether a turn of the session is RUNNING."""
    return bool(
        await Operation.exists().where(
            (Operation.play_type == play_type)
            & (Operation.session_id == session_id)
            & (Operation.status == OperationStatus.RUNNING.value)
        )
    )


async def running_turn(operation_id: str) -> RunningTurnRow | None:
    """The turn with its AI task's status and output, while the turn is RUNNING."""
    # Raw: a join to the AI task through ai_tasks' fragment (no foreign key declared).
    found = await Operation.raw(
        "SELECT o.play_type, o.session_id, o.reply_format, t.status AS task_status, "
        "t.latest_text_output, t.failure_message FROM creation_agent_operation o "
        f"{task_join('o.task_id')} WHERE o.operation_id = {{}} AND o.status = {{}}",
        operation_id,
        OperationStatus.RUNNING.value,
    )
    return RunningTurnRow.from_row(found[0]) if found else None


async def finished_in_sessions(*, play_type: str, session_ids: Sequence[str]) -> list[str]:
    """The ids of the sessions' RUNNING turns whose task finished, oldest first."""
    # Raw: FINISHED_JOIN joins the AI task through ai_tasks' fragment (no foreign key).
    rows = await Operation.raw(
        FINISHED_JOIN
        + " AND o.play_type = {} AND o.session_id IN ("
        + marks(session_ids)
        + ") ORDER BY o.operation_id",
        OperationStatus.RUNNING.value,
        *FINISHED_TASK,
        play_type,
        *session_ids,
    )
    return [row["operation_id"] for row in rows]


async def finished_of_owner(owner_user_id: str) -> list[str]:
    """The ids of the owner's RUNNING turns whose task finished, oldest first."""
    # Raw: FINISHED_JOIN joins the AI task through ai_tasks' fragment (no foreign key).
    rows = await Operation.raw(
        FINISHED_JOIN + " AND o.owner_user_id = {} ORDER BY o.operation_id",
        OperationStatus.RUNNING.value,
        *FINISHED_TASK,
        owner_user_id,
    )
    return [row["operation_id"] for row in rows]


async def finished_of_anyone(limit: int) -> list[str]:
    """The ids of up to `limit` RUNNING turns whose task finished, oldest first."""
    # Raw: FINISHED_JOIN joins the AI task through ai_tasks' fragment (no foreign key).
    rows = await Operation.raw(
        FINISHED_JOIN + f" ORDER BY o.operation_id LIMIT {int(limit)}",
        OperationStatus.RUNNING.value,
        *FINISHED_TASK,
    )
    return [row["operation_id"] for row in rows]


async def operations_of_task(task_id: str) -> list[str]:
    """The ids of the turns whose reply streams into `task_id`."""
    rows = await Operation.select(Operation.operation_id).where(Operation.task_id == task_id)
    return [row["operation_id"] for row in rows]


async def latest_operations(
    *, play_type: str, session_ids: Sequence[str]
) -> list[CreationOperationRow]:
    """The newest turn of each of the sessions that has one."""
    # Raw: a correlated `MAX(…)` subquery per session, which the builder cannot write.
    rows = await Operation.raw(
        "SELECT * FROM creation_agent_operation o WHERE o.play_type = {} "
        f"AND o.session_id IN ({marks(session_ids)}) AND o.operation_id = ("
        "SELECT MAX(n.operation_id) FROM creation_agent_operation n "
        "WHERE n.play_type = o.play_type AND n.session_id = o.session_id)",
        play_type,
        *session_ids,
    )
    return [CreationOperationRow.from_row(row) for row in rows]


async def operation_page_rows(
    *, play_type: str, session_ids: Sequence[str], size: int, before: str | None
) -> list[CreationOperationRow]:
    """Up to `size + 1` turns of each session older than `before`, by session, newest first."""
    bound = ""
    arguments: list[Any] = [play_type, *session_ids]
    if before is not None:
        bound = " AND operation_id < {}"
        arguments.append(before)
    # Raw: a per-session page by `ROW_NUMBER() OVER (PARTITION BY …)`.
    rows = await Operation.raw(
        "SELECT * FROM (SELECT o.*, ROW_NUMBER() OVER (PARTITION BY session_id "
        "ORDER BY operation_id DESC) AS position FROM creation_agent_operation o "
        f"WHERE play_type = {{}} AND session_id IN ({marks(session_ids)}){bound}) ranked "
        f"WHERE position <= {size + 1} ORDER BY session_id, operation_id DESC",
        *arguments,
    )
    return [CreationOperationRow.from_row(row) for row in rows]
