"""Reading turns and messages of creation sessions, batched: each function costs one SQL
statement whatever the number of sessions it is given, so lists stay constant in cost."""

from __future__ import annotations

from collections.abc import Sequence

from resolvers.creation.adapters import adapter_for
from resolvers.creation.rows import CreationMessageRow, CreationOperationRow
from resolvers.creation.store import messages, operations
from resolvers.gallery.play_types import PlayType
from resolvers.pagination import Page, build_page, decode_cursor, page_size


async def latest_operations(
    *, play_type: PlayType, session_ids: Sequence[str]
) -> dict[str, CreationOperationRow]:
    """The newest turn of each session that has one."""
    if not session_ids:
        return {}
    rows = await operations.latest_operations(
        play_type=PlayType(play_type).value, session_ids=session_ids
    )
    return {row.session_id: row for row in rows}


async def operation_pages(
    *, play_type: PlayType, session_ids: Sequence[str], first: int | None, after: str | None
) -> dict[str, Page[CreationOperationRow]]:
    """Each session's turns, newest first, one page each."""
    size = page_size(first)
    if not session_ids:
        return {}
    kind = PlayType(play_type).value
    before = None
    if after is not None:
        (cursor,) = decode_cursor(after, size=1)
        before = str(cursor)
    rows = await operations.operation_page_rows(
        play_type=kind, session_ids=session_ids, size=size, before=before
    )
    grouped: dict[str, list[CreationOperationRow]] = {session_id: [] for session_id in session_ids}
    for item in rows:
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
    table = adapter_for(play_type).messages.table
    newer_than = None
    if after is not None:
        (cursor,) = decode_cursor(after, size=1)
        newer_than = str(cursor)
    rows = await messages.message_page_rows(
        table=table, session_ids=session_ids, size=size, after=newer_than
    )
    grouped: dict[str, list[CreationMessageRow]] = {session_id: [] for session_id in session_ids}
    for message in rows:
        grouped[message.session_id].append(message)
    return {
        session_id: build_page(items, size, lambda row: [row.message_id])
        for session_id, items in grouped.items()
    }
