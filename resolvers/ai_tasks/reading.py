"""Reading AI tasks: owner checks, keyset pages, and batched loads for lists.

Every function here costs one SQL statement whatever the number of tasks it is given, so
a list of tasks with their stages, results, chunks and events costs a constant number of
statements (the schema batches with per-request loaders).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from db.tables.ai_tasks import AiResultReference, AiTask, AiTaskStage
from resolvers.ai_tasks.model import (
    AiTaskKind,
    AiTaskStageKind,
    AiTaskStatus,
    task_stream,
)
from resolvers.ai_tasks.refusals import NOT_FOUND_MESSAGE
from resolvers.ai_tasks.rows import (
    AiResultReferenceRow,
    AiTaskEventRow,
    AiTaskRow,
    AiTaskStageRow,
    AiTextChunkRow,
    StreamedAiTaskEvent,
)
from resolvers.errors import BadUserInput, NotFound
from resolvers.pagination import Page, build_page, decode_cursor, page_size
from resolvers.principal import Principal
from subscriptions import streams


def _placeholders(values: Sequence[Any]) -> str:
    return ", ".join("{}" for _ in values)


async def owned_task(*, viewer: Principal, task_id: str) -> AiTaskRow:
    """The viewer's task; NOT_FOUND for an unknown task and for another user's."""
    owner = viewer.require_user()
    row = (
        await AiTask.select()
        .where((AiTask.task_id == task_id) & (AiTask.owner_user_id == owner))
        .output(load_json=True)
        .first()
    )
    if row is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    return AiTaskRow.from_row(row)


@dataclass(frozen=True, slots=True)
class FinishedTask:
    """A task once it finished: its status (completed, failed or cancelled) and the text it
    wrote."""

    status: str
    latest_text_output: str | None


_FINISHED = frozenset(
    s.value for s in (AiTaskStatus.COMPLETED, AiTaskStatus.FAILED, AiTaskStatus.CANCELLED)
)


async def finished_task(task_id: str) -> FinishedTask | None:
    """The task's status and text once it finished; None while it runs or if unknown."""
    row = (
        await AiTask.select(AiTask.status, AiTask.latest_text_output)
        .where(AiTask.task_id == task_id)
        .first()
    )
    if row is None or row["status"] not in _FINISHED:
        return None
    return FinishedTask(status=row["status"], latest_text_output=row["latest_text_output"])


async def tasks_by_id(task_ids: Sequence[str]) -> dict[str, AiTaskRow]:
    if not task_ids:
        return {}
    rows = await AiTask.select().where(AiTask.task_id.is_in(list(task_ids))).output(load_json=True)
    return {row["task_id"]: AiTaskRow.from_row(row) for row in rows}


async def tasks_of(
    *,
    user_id: str,
    status: AiTaskStatus | None,
    kind: AiTaskKind | None,
    first: int | None,
    after: str | None,
) -> Page[AiTaskRow]:
    """The user's tasks, newest first (by creation; ids are time-sorted), one statement."""
    size = page_size(first)
    query = AiTask.select().where(AiTask.owner_user_id == user_id)
    if status is not None:
        query = query.where(AiTask.status == status.value)
    if kind is not None:
        query = query.where(AiTask.task_kind == kind.value)
    if after is not None:
        (task_id,) = decode_cursor(after, size=1)
        query = query.where(AiTask.task_id < str(task_id))
    rows = (
        await query.order_by(AiTask.task_id, ascending=False).limit(size + 1).output(load_json=True)
    )
    tasks = [AiTaskRow.from_row(row) for row in rows]
    return build_page(tasks, size, lambda task: [task.task_id])


async def stages_of(task_ids: Sequence[str]) -> dict[str, list[AiTaskStageRow]]:
    """Stages of each task in their order."""
    grouped: dict[str, list[AiTaskStageRow]] = {task_id: [] for task_id in task_ids}
    if not task_ids:
        return grouped
    rows = (
        await AiTaskStage.select()
        .where(AiTaskStage.task_id.is_in(list(task_ids)))
        .order_by(AiTaskStage.task_id)
        .order_by(AiTaskStage.stage_order)
        .output(load_json=True)
    )
    for row in rows:
        grouped[row["task_id"]].append(AiTaskStageRow.from_row(row))
    return grouped


async def results_of(task_ids: Sequence[str]) -> dict[str, list[AiResultReferenceRow]]:
    """Result references of each task, oldest first."""
    grouped: dict[str, list[AiResultReferenceRow]] = {task_id: [] for task_id in task_ids}
    if not task_ids:
        return grouped
    rows = (
        await AiResultReference.select()
        .where(AiResultReference.task_id.is_in(list(task_ids)))
        .order_by(AiResultReference.task_id)
        .order_by(AiResultReference.created_at)
        .order_by(AiResultReference.result_reference_row_id)
    )
    for row in rows:
        grouped[row["task_id"]].append(AiResultReferenceRow.from_row(row))
    return grouped


async def chunk_pages(
    task_ids: Sequence[str],
    *,
    stage_kind: AiTaskStageKind | None,
    first: int | None,
    after: str | None,
) -> dict[str, Page[AiTextChunkRow]]:
    """A page of each task's chunks in text order (stage order, then sequence)."""
    size = page_size(first)
    if not task_ids:
        return {}
    conditions = [f"c.task_id IN ({_placeholders(task_ids)})"]
    arguments: list[Any] = list(task_ids)
    if stage_kind is not None:
        conditions.append("c.stage_kind = {}")
        arguments.append(stage_kind.value)
    if after is not None:
        order, sequence = decode_cursor(after, size=2)
        if not isinstance(order, int) or not isinstance(sequence, int):
            raise BadUserInput("Invalid cursor.")
        conditions.append("(s.stage_order > {} OR (s.stage_order = {} AND c.sequence > {}))")
        arguments += [order, order, sequence]
    # Raw: a per-task page by `ROW_NUMBER() OVER (PARTITION BY …)` over a join.
    rows = await AiTask.raw(
        "SELECT * FROM (SELECT c.text_chunk_row_id, c.chunk_id, c.task_id, c.stage_kind, "
        "c.sequence, c.delta_text, c.created_at, s.stage_order, ROW_NUMBER() OVER ("
        "PARTITION BY c.task_id ORDER BY s.stage_order, c.sequence) AS position "
        "FROM ai_text_chunk c JOIN ai_task_stage s "
        "ON s.task_id = c.task_id AND s.stage_kind = c.stage_kind "
        f"WHERE {' AND '.join(conditions)}) ranked WHERE position <= {size + 1} "
        "ORDER BY task_id, stage_order, sequence",
        *arguments,
    )
    grouped: dict[str, list[dict[str, Any]]] = {task_id: [] for task_id in task_ids}
    for row in rows:
        grouped[row["task_id"]].append(row)
    pages: dict[str, Page[AiTextChunkRow]] = {}
    for task_id, items in grouped.items():
        page = build_page(items, size, lambda row: [row["stage_order"], row["sequence"]])
        pages[task_id] = Page(
            items=[AiTextChunkRow.from_row(row) for row in page.items],
            cursors=page.cursors,
            has_next_page=page.has_next_page,
        )
    return pages


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


async def load_events(event_ids: Sequence[str]) -> dict[str, AiTaskEventRow]:
    """Event rows by id, ready to render (one statement)."""
    if not event_ids:
        return {}
    # Raw: JOINs to the task, chunk and result rows (no foreign keys declared).
    rows = await AiTask.raw(
        f"SELECT {EVENT_COLUMNS} FROM ai_task_event e {EVENT_JOINS} "
        f"WHERE e.event_id IN ({_placeholders(event_ids)})",
        *event_ids,
    )
    found = {row["event_id"]: AiTaskEventRow.from_row(row) for row in rows}
    remember_events(found.values())
    return found


# Event rows never change once committed. The last few thousand this process wrote or read
# are kept here, so its subscribers render a text chunk it just wrote without a query, and
# any other event with one query for all of them (schema/ai_tasks/loaders.py).
RECENT_EVENTS_KEPT = 4096
_recent_events: OrderedDict[str, AiTaskEventRow] = OrderedDict()


def remember_events(rows: Iterable[AiTaskEventRow]) -> None:
    """Keep committed event rows."""
    for row in rows:
        _recent_events[row.event_id] = row
    while len(_recent_events) > RECENT_EVENTS_KEPT:
        _recent_events.popitem(last=False)


def recent_event(event_id: str) -> AiTaskEventRow | None:
    return _recent_events.get(event_id)


async def event_pages(
    task_ids: Sequence[str], *, first: int | None, after: str | None
) -> dict[str, Page[StreamedAiTaskEvent]]:
    """A page of each task's events in the order of the task's stream."""
    size = page_size(first)
    if not task_ids:
        return {}
    sequence = 0
    if after is not None:
        (sequence,) = decode_cursor(after, size=1)
        if not isinstance(sequence, int):
            raise BadUserInput("Invalid cursor.")
    keys = [task_stream(task_id) for task_id in task_ids]
    # Raw: a per-stream page by `ROW_NUMBER() OVER (PARTITION BY …)` over a join.
    rows = await AiTask.raw(
        "SELECT * FROM (SELECT l.sequence, "
        f"{EVENT_COLUMNS}, ROW_NUMBER() OVER (PARTITION BY l.stream_key ORDER BY l.sequence) "
        f"AS position FROM {streams.stream_log('l')} "
        f"JOIN ai_task_event e ON e.event_id = l.event_id {EVENT_JOINS} "
        f"WHERE l.stream_key IN ({_placeholders(keys)}) AND l.sequence > {{}}) ranked "
        f"WHERE position <= {size + 1} ORDER BY task_id, sequence",
        *keys,
        sequence,
    )
    grouped: dict[str, list[StreamedAiTaskEvent]] = {task_id: [] for task_id in task_ids}
    for row in rows:
        grouped[row["task_id"]].append(
            StreamedAiTaskEvent(sequence=int(row["sequence"]), event=AiTaskEventRow.from_row(row))
        )
    return {
        task_id: build_page(items, size, lambda streamed: [streamed.sequence])
        for task_id, items in grouped.items()
    }
