"""Statements of the `ai_task_event` rows: inserts, and reads of events ready to render
(joined with their chunk, result reference and task)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from db.sql import marks, value_rows
from db.tables.ai_tasks import AiTask, AiTaskEvent
from resolvers.ai_tasks.model import AiTaskEventKind
from resolvers.ai_tasks.rows import AiTaskEventRow, StreamedAiTaskEvent
from subscriptions.streams import stream_log

# One event with what a client renders: the chunk's text, the result reference, and the
# failure message (tasks fail once, so it is the message of this event).
EVENT_COLUMNS = (
    "e.event_id, e.task_id, e.owner_user_id, e.event_kind, e.task_status, e.stage_kind, "
    "e.text_chunk_row_id, e.result_reference_row_id, e.occurred_at, "
    "c.sequence AS chunk_sequence, c.delta_text, r.result_ref_id, r.reference_kind, "
    "r.reference_id, r.label AS reference_label, t.failure_message"
)
EVENT_JOINS = (
    "JOIN ai_task t ON t.task_id = e.task_id "
    "LEFT JOIN ai_text_chunk c ON c.text_chunk_row_id = e.text_chunk_row_id "
    "LEFT JOIN ai_result_reference r ON r.result_reference_row_id = e.result_reference_row_id"
)


async def insert_event(
    *,
    event_id: str,
    task_id: str,
    owner_user_id: str,
    kind: AiTaskEventKind,
    status: str,
    stage_kind: str | None,
    chunk_row_id: str | None,
    result_row_id: str | None,
    now: datetime,
) -> None:
    """Insert one event row."""
    await AiTaskEvent.insert(
        AiTaskEvent(
            event_id=event_id,
            task_id=task_id,
            owner_user_id=owner_user_id,
            event_kind=kind.value,
            task_status=status,
            stage_kind=stage_kind,
            text_chunk_row_id=chunk_row_id,
            result_reference_row_id=result_row_id,
            occurred_at=now,
        )
    )


async def insert_events(rows: Sequence[Sequence[Any]]) -> None:
    """Insert event tuples (in `chunk_plan`'s column order) in one statement."""
    # Raw: a multi-row VALUES batch of the planned tuples (`chunk_plan`).
    await AiTask.raw(
        "INSERT INTO ai_task_event (event_id, task_id, owner_user_id, event_kind, "
        "task_status, stage_kind, text_chunk_row_id, occurred_at) "
        f"VALUES {value_rows(len(rows), 8)}",
        *[value for row in rows for value in row],
    )


async def events_by_ids(event_ids: Sequence[str]) -> list[AiTaskEventRow]:
    """The events of these ids, ready to render."""
    # Raw: JOINs to the task, chunk and result rows (no foreign keys declared).
    rows = await AiTask.raw(
        f"SELECT {EVENT_COLUMNS} FROM ai_task_event e {EVENT_JOINS} "
        f"WHERE e.event_id IN ({marks(event_ids)})",
        *event_ids,
    )
    return [AiTaskEventRow.from_row(row) for row in rows]


async def streamed_events(
    *, stream_keys: Sequence[str], after_sequence: int, per_stream: int
) -> list[StreamedAiTaskEvent]:
    """Up to `per_stream` events of each stream after `after_sequence`, ready to render."""
    # Raw: a per-stream page by `ROW_NUMBER() OVER (PARTITION BY …)` over a join.
    rows = await AiTask.raw(
        "SELECT * FROM (SELECT l.sequence, "
        f"{EVENT_COLUMNS}, ROW_NUMBER() OVER (PARTITION BY l.stream_key ORDER BY l.sequence) "
        f"AS position FROM {stream_log('l')} "
        f"JOIN ai_task_event e ON e.event_id = l.event_id {EVENT_JOINS} "
        f"WHERE l.stream_key IN ({marks(stream_keys)}) AND l.sequence > {{}}) ranked "
        f"WHERE position <= {per_stream} ORDER BY task_id, sequence",
        *stream_keys,
        after_sequence,
    )
    return [
        StreamedAiTaskEvent(sequence=int(row["sequence"]), event=AiTaskEventRow.from_row(row))
        for row in rows
    ]
