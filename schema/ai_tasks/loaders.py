"""Loaders of the AI-task graph.

- `AiTaskLoaders`: one per operation (created by the root field, carried by the objects it
  returns), so a list of tasks loads its stages, results, chunks and events with one
  statement each, and nothing outlives the operation.
- `EventRows`: rows of `ai_task_event` (with their chunk text) for subscriptions. Event rows
  never change once written, so every subscriber of this process that receives the same
  message shares one load: a message fanned out to 25 subscribers costs one query, not 25,
  and none for a text chunk this process wrote (`reading.recent_event`). Rows are loaded
  per event, never cached per connection.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from strawberry.dataloader import DataLoader

from resolvers.ai_tasks import reading
from resolvers.ai_tasks.model import AiTaskStageKind
from resolvers.ai_tasks.rows import (
    AiResultReferenceRow,
    AiTaskEventRow,
    AiTaskStageRow,
    AiTextChunkRow,
    StreamedAiTaskEvent,
)
from resolvers.pagination import Page
from schema.shared_events import wait_shared

ChunkKey = tuple[str, AiTaskStageKind | None, int | None, str | None]
EventKey = tuple[str, int | None, str | None]


class AiTaskLoaders:
    def __init__(self) -> None:
        self.stages = DataLoader[str, list[AiTaskStageRow]](load_fn=self._stages)
        self.results = DataLoader[str, list[AiResultReferenceRow]](load_fn=self._results)
        self.chunks = DataLoader[ChunkKey, Page[AiTextChunkRow]](load_fn=self._chunks)
        self.events = DataLoader[EventKey, Page[StreamedAiTaskEvent]](load_fn=self._events)

    @staticmethod
    async def _stages(task_ids: list[str]) -> list[list[AiTaskStageRow]]:
        grouped = await reading.stages_of(task_ids)
        return [grouped[task_id] for task_id in task_ids]

    @staticmethod
    async def _results(task_ids: list[str]) -> list[list[AiResultReferenceRow]]:
        grouped = await reading.results_of(task_ids)
        return [grouped[task_id] for task_id in task_ids]

    @staticmethod
    async def _chunks(keys: list[ChunkKey]) -> list[Page[AiTextChunkRow]]:
        pages: dict[ChunkKey, Page[AiTextChunkRow]] = {}
        for stage_kind, first, after in {key[1:] for key in keys}:
            task_ids = sorted({key[0] for key in keys if key[1:] == (stage_kind, first, after)})
            found = await reading.chunk_pages(
                task_ids, stage_kind=stage_kind, first=first, after=after
            )
            for task_id, page in found.items():
                pages[(task_id, stage_kind, first, after)] = page
        return [pages[key] for key in keys]

    @staticmethod
    async def _events(keys: list[EventKey]) -> list[Page[StreamedAiTaskEvent]]:
        pages: dict[EventKey, Page[StreamedAiTaskEvent]] = {}
        for first, after in {key[1:] for key in keys}:
            task_ids = sorted({key[0] for key in keys if key[1:] == (first, after)})
            found = await reading.event_pages(task_ids, first=first, after=after)
            for task_id, page in found.items():
                pages[(task_id, first, after)] = page
        return [pages[key] for key in keys]


class EventRows:
    """Immutable event rows shared by this process's subscribers; see the module doc."""

    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self._inflight: dict[str, asyncio.Future[AiTaskEventRow | None]] = {}
        self._pending: list[str] = []
        self._flushing = False

    async def load_many(self, event_ids: Sequence[str]) -> dict[str, AiTaskEventRow]:
        found: dict[str, AiTaskEventRow] = {}
        waiting: dict[str, asyncio.Future[AiTaskEventRow | None]] = {}
        for event_id in event_ids:
            row = reading.recent_event(event_id)
            if row is not None:
                found[event_id] = row
                continue
            future = self._inflight.get(event_id)
            if future is None:
                future = self.loop.create_future()
                self._inflight[event_id] = future
                self._pending.append(event_id)
            waiting[event_id] = future
        if self._pending and not self._flushing:
            self._flushing = True
            self.loop.create_task(self._flush())
        for event_id, future in waiting.items():
            row = await wait_shared(future)
            if row is not None:
                found[event_id] = row
        return found

    async def _flush(self) -> None:
        await asyncio.sleep(0)  # let every subscriber woken by the same message ask first
        event_ids, self._pending, self._flushing = self._pending, [], False
        try:
            rows = await reading.load_events(event_ids)
        except Exception as error:
            for event_id in event_ids:
                future = self._inflight.pop(event_id)
                if not future.done():
                    future.set_exception(error)
                    future.add_done_callback(_retrieve)
            return
        for event_id in event_ids:
            future = self._inflight.pop(event_id)
            if not future.done():
                future.set_result(rows.get(event_id))


def _retrieve(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


_event_rows: EventRows | None = None


def event_rows() -> EventRows:
    """This process's shared event rows (one per event loop)."""
    global _event_rows
    loop = asyncio.get_running_loop()
    if _event_rows is None or _event_rows.loop is not loop:
        _event_rows = EventRows()
    return _event_rows
