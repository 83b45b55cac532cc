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
from resolvers.ai_tasks.store import chunks, events, results, stages, tasks
from resolvers.errors import BadUserInput, NotFound
from resolvers.pagination import Page, build_page, decode_cursor, page_size
from resolvers.principal import Principal


async def owned_task(*, viewer: Principal, task_id: str) -> AiTaskRow:
    """The viewer's task; NOT_FOUND for an unknown task and for another user's."""
    owner = viewer.require_user()
    task = await tasks.owned_task(task_id=task_id, owner_user_id=owner)
    if task is None:
        raise NotFound(NOT_FOUND_MESSAGE)
    return task


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
    found = await tasks.status_and_text(task_id)
    if found is None or found[0] not in _FINISHED:
        return None
    return FinishedTask(status=found[0], latest_text_output=found[1])


async def tasks_by_id(task_ids: Sequence[str]) -> dict[str, AiTaskRow]:
    if not task_ids:
        return {}
    return {task.task_id: task for task in await tasks.tasks_by_ids(task_ids)}


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
    before: str | None = None
    if after is not None:
        (task_id,) = decode_cursor(after, size=1)
        before = str(task_id)
    found = await tasks.tasks_of_user(
        user_id=user_id, status=status, kind=kind, before_task_id=before, limit=size + 1
    )
    return build_page(found, size, lambda task: [task.task_id])


async def stages_of(task_ids: Sequence[str]) -> dict[str, list[AiTaskStageRow]]:
    """Stages of each task in their order."""
    grouped: dict[str, list[AiTaskStageRow]] = {task_id: [] for task_id in task_ids}
    if not task_ids:
        return grouped
    for stage in await stages.stages_of_tasks(task_ids):
        grouped[stage.task_id].append(stage)
    return grouped


async def results_of(task_ids: Sequence[str]) -> dict[str, list[AiResultReferenceRow]]:
    """Result references of each task, oldest first."""
    grouped: dict[str, list[AiResultReferenceRow]] = {task_id: [] for task_id in task_ids}
    if not task_ids:
        return grouped
    for result in await results.results_of_tasks(task_ids):
        grouped[result.task_id].append(result)
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
    position: tuple[int, int] | None = None
    if after is not None:
        order, sequence = decode_cursor(after, size=2)
        if not isinstance(order, int) or not isinstance(sequence, int):
            raise BadUserInput("Invalid cursor.")
        position = (order, sequence)
    rows = await chunks.chunk_page_rows(
        task_ids=task_ids, stage_kind=stage_kind, after=position, per_task=size + 1
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


async def load_events(event_ids: Sequence[str]) -> dict[str, AiTaskEventRow]:
    """Event rows by id, ready to render (one statement)."""
    if not event_ids:
        return {}
    found = {event.event_id: event for event in await events.events_by_ids(event_ids)}
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
    found = await events.streamed_events(
        stream_keys=keys, after_sequence=sequence, per_stream=size + 1
    )
    grouped: dict[str, list[StreamedAiTaskEvent]] = {task_id: [] for task_id in task_ids}
    for item in found:
        grouped[item.event.task_id].append(item)
    return {
        task_id: build_page(items, size, lambda streamed: [streamed.sequence])
        for task_id, items in grouped.items()
    }
