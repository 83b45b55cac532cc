"""Statements on an agent session's messages (`custom_world_agent_message`) and on the
mirror of its agent turns (`custom_world_agent_operation`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from db.sql import marks
from db.tables.worlds import CustomWorldAgentMessage, CustomWorldAgentOperation
from resolvers.creation.adapters import MessageLog
from resolvers.creation.model import MessageKind, MessageRole
from resolvers.creation.store.fragments import operation_join
from resolvers.worlds.rows import AgentOperationRow

# The framework's operation columns mirrored into `custom_world_agent_operation`.
OPERATION_COLUMNS = (
    "operation_id",
    "session_id",
    "operation_type",
    "status",
    "phase_label",
    "phase_detail",
    "progress",
    "error_message",
    "created_at",
    "updated_at",
)


# The message log the creation framework reads a conversation from and writes to.
MESSAGES = MessageLog(CustomWorldAgentMessage)


async def insert_message(
    *,
    message_id: str,
    session_id: str,
    role: MessageRole,
    kind: MessageKind,
    text: str,
    operation_id: str | None,
    now: datetime,
) -> None:
    """Append a message, linked to the agent turn that wrote it (if any)."""
    await CustomWorldAgentMessage.insert(
        CustomWorldAgentMessage(
            message_id=message_id,
            session_id=session_id,
            role=role.value,
            kind=kind.value,
            text=text,
            related_operation_id=operation_id,
            created_at=now,
        )
    )


async def save_message(
    *,
    message_id: str,
    session_id: str,
    role: MessageRole,
    kind: MessageKind,
    text: str,
    now: datetime,
) -> None:
    """Save a new message that belongs to no agent turn (a session's greeting)."""
    await CustomWorldAgentMessage(
        message_id=message_id,
        session_id=session_id,
        role=role.value,
        kind=kind.value,
        text=text,
        created_at=now,
    ).save()


async def upsert_operation(operation: Mapping[str, Any]) -> None:
    """Mirror an agent turn's operation (its status, phase, progress and error)."""
    table = CustomWorldAgentOperation
    row = table(**{column: operation[column] for column in OPERATION_COLUMNS})
    await table.insert(row).on_conflict(
        target=table.operation_id,
        action="DO UPDATE",
        values=[
            table.status,
            table.phase_label,
            table.phase_detail,
            table.progress,
            table.error_message,
            table.updated_at,
        ],
    )


async def latest_operations(
    *, session_ids: Sequence[str], per_session: int
) -> list[AgentOperationRow]:
    """The latest `per_session` operations of each session (ids not empty) with their AI
    task id, by session, newest first."""
    # Raw: the window function (ROW_NUMBER per session) and the AI tasks' join fragment.
    rows = await CustomWorldAgentOperation.raw(
        "SELECT * FROM (SELECT o.*, c.task_id, ROW_NUMBER() OVER (PARTITION BY o.session_id "
        "ORDER BY o.created_at DESC, o.operation_id DESC) AS position "
        f"FROM custom_world_agent_operation o {operation_join('o.operation_id')} "
        f"WHERE o.session_id IN ({marks(session_ids)})) "
        f"ranked WHERE position <= {per_session} "
        "ORDER BY session_id, created_at DESC, operation_id DESC",
        *session_ids,
    )
    return [AgentOperationRow.from_row(row) for row in rows]
