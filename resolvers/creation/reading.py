"""Reading turns and messages of creation sessions, batched: each function costs one SQL
statement whatever the number of sessions it is given, so lists stay constant in cost."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from db.tables.creation import CreationAgentOperation
from resolvers.creation.adapters import adapter_for
from resolvers.creation.rows import CreationMessageRow, CreationOperationRow
from resolvers.gallery.play_types import PlayType
from resolvers.pagination import Page, build_page, decode_cursor, page_size


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("{}" for _ in values)


async def latest_operations(
    *, play_type: PlayType, session_ids: Sequence[str]
) -> dict[str, CreationOperationRow]:
    """The newest turn of each session that has one."""
    if not session_ids:
        return {}
    # Raw: a correlated `MAX(…)` subquery per session, which the builder cannot write.
    rows = await CreationAgentOperation.raw(
        "SELECT * FROM creation_agent_operation o WHERE o.play_type = {} "
        f"AND o.session_id IN ({_marks(session_ids)}) AND o.operation_id = ("
        "SELECT MAX(n.operation_id) FROM creation_agent_operation n "
        "WHERE n.play_type = o.play_type AND n.session_id = o.session_id)",
        PlayType(play_type).value,
        *session_ids,
    )
    return {row["session_id"]: CreationOperationRow.from_row(row) for row in rows}


async def operation_pages(
    *, play_type: PlayType, session_ids: Sequence[str], first: int | None, after: str | None
) -> dict[str, Page[CreationOperationRow]]:
    """Each session's turns, newest first, one page each."""
    size = page_size(first)
    if not session_ids:
        return {}
    bound = ""
    arguments: list[Any] = [PlayType(play_type).value, *session_ids]
    if after is not None:
        (cursor,) = decode_cursor(after, size=1)
        bound = " AND operation_id < {}"
        arguments.append(str(cursor))
    # Raw: a per-session page by `ROW_NUMBER() OVER (PARTITION BY …)`.
    rows = await CreationAgentOperation.raw(
        "SELECT * FROM (SELECT o.*, ROW_NUMBER() OVER (PARTITION BY session_id "
        "ORDER BY operation_id DESC) AS position FROM creation_agent_operation o "
        f"WHERE play_type = {{}} AND session_id IN ({_marks(session_ids)}){bound}) ranked "
        f"WHERE position <= {size + 1} ORDER BY session_id, operation_id DESC",
        *arguments,
    )
    grouped: dict[str, list[CreationOperationRow]] = {session_id: [] for session_id in session_ids}
    for row in rows:
        item = CreationOperationRow.from_row(row)
        grouped[item.session_id].append(item)
    return {
        session_id: build_page(items, size, lambda row: [row.operation_id])
        for session_id, items in grouped.items()
    }


async def message_pages(
    *, play_type: PlayType, session_ids: Sequence[str], first: int | None, after: str | None
) -> dict[str, Page[CreationMessageRow]]:
    """Each session's messages, oldest first, one page each (from the play type's table)."""
    size = page_size(first)
    if not session_ids:
        return {}
    table = adapter_for(play_type).messages.table._meta.tablename
    bound = ""
    arguments: list[Any] = [*session_ids]
    if after is not None:
        (cursor,) = decode_cursor(after, size=1)
        bound = " AND message_id > {}"
        arguments.append(str(cursor))
    # Raw: a per-session page by `ROW_NUMBER() OVER (PARTITION BY …)`.
    rows = await CreationAgentOperation.raw(
        "SELECT message_id, session_id, role, kind, text, created_at FROM ("
        "SELECT m.*, ROW_NUMBER() OVER (PARTITION BY session_id ORDER BY message_id) "
        f"AS position FROM {table} m WHERE session_id IN ({_marks(session_ids)}){bound}) "
        f"ranked WHERE position <= {size + 1} ORDER BY session_id, message_id",
        *arguments,
    )
    grouped: dict[str, list[CreationMessageRow]] = {session_id: [] for session_id in session_ids}
    for row in rows:
        message = CreationMessageRow.from_row(row)
        grouped[message.session_id].append(message)
    return {
        session_id: build_page(items, size, lambda row: [row.message_id])
        for session_id, items in grouped.items()
    }
