"""Statements on a play type's conversation log: the catalog table its adapter names
(`CreationAdapter.message_table`: message_id (ULID), session_id, role, kind, text,
created_at), handed to each function."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from piccolo.table import Table

from db.tables.creation import CreationAgentOperation
from resolvers.creation.rows import CreationMessageRow
from resolvers.creation.store.operations import marks


async def insert_message(
    *,
    table: type[Table],
    message_id: str,
    session_id: str,
    role: str,
    kind: str,
    text: str,
    now: datetime,
) -> None:
    """Append a message to the log."""
    await table.insert(
        table(
            message_id=message_id,
            session_id=session_id,
            role=role,
            kind=kind,
            text=text,
            created_at=now,
        )
    )


async def messages_of(*, table: type[Table], session_id: str) -> list[dict[str, Any]]:
    """The session's message ids, roles, kinds and texts, oldest first (ids are
    time-sorted)."""
    column = table._meta.get_column_by_name
    rows = (
        await table.select(column("message_id"), column("role"), column("kind"), column("text"))
        .where(column("session_id") == session_id)
        .order_by(column("message_id"))
    )
    return [dict(row) for row in rows]


async def message_page_rows(
    *, table: type[Table], session_ids: Sequence[str], size: int, after: str | None
) -> list[CreationMessageRow]:
    """Up to `size + 1` messages of each session newer than `after`, by session, oldest
    first."""
    bound = ""
    arguments: list[Any] = [*session_ids]
    if after is not None:
        bound = " AND message_id > {}"
        arguments.append(after)
    # Raw: a per-session page by `ROW_NUMBER() OVER (PARTITION BY …)`.
    rows = await CreationAgentOperation.raw(
        "SELECT message_id, session_id, role, kind, text, created_at FROM ("
        "SELECT m.*, ROW_NUMBER() OVER (PARTITION BY session_id ORDER BY message_id) "
        f"AS position FROM {table._meta.tablename} m "
        f"WHERE session_id IN ({marks(session_ids)}){bound}) "
        f"ranked WHERE position <= {size + 1} ORDER BY session_id, message_id",
        *arguments,
    )
    return [CreationMessageRow.from_row(row) for row in rows]
