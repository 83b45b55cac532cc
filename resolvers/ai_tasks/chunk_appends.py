"""Appending text chunks to a running stage, with group commit (`_AppendBatcher`).

A batch that fails for a transient reason (a lost connection, a deadlock) is retried with
backoff (`retries.retrying`); one that still fails fails its appends and those of its
tasks still waiting, so no later chunk of a task is ever written after a lost one.
"""

from __future__ import annotations

import asyncio
from typing import Any

from db.errors import is_unique_violation
from resolvers import clock
from resolvers.ai_tasks import reading
from resolvers.ai_tasks.chunk_batch import BatchWritten, append_batch
from resolvers.ai_tasks.chunk_plan import ChunkAppend, PendingAppend
from resolvers.ai_tasks.errors import AiTaskError, AiTaskErrorCode
from resolvers.ai_tasks.inputs import valid_identifier
from resolvers.ai_tasks.model import MAX_DELTA_LENGTH, AiTaskStageKind
from resolvers.ai_tasks.retries import retrying
from resolvers.ai_tasks.transactions import writing
from resolvers.principal import Principal
from subscriptions import streams


async def append_chunk(
    *,
    viewer: Principal,
    task_id: str,
    stage_kind: AiTaskStageKind,
    chunk_id: str,
    delta_text: str,
) -> ChunkAppend:
    """Append text to the running stage; its sequence is the stage's next (1, 2, …).

    The same `chunk_id` appended to the task again is a no-op that returns the first chunk,
    even after the task finished (a retried write must not fail). Appends are written in
    batches (`_AppendBatcher`); each keeps its own result, refusal and events.
    """
    # Shielded: a caller that goes away must not cancel the others' batch.
    return await asyncio.shield(
        append_chunk_soon(
            viewer=viewer,
            task_id=task_id,
            stage_kind=stage_kind,
            chunk_id=chunk_id,
            delta_text=delta_text,
        )
    )


def append_chunk_soon(
    *,
    viewer: Principal,
    task_id: str,
    stage_kind: AiTaskStageKind,
    chunk_id: str,
    delta_text: str,
    lease_owner: str | None = None,
) -> asyncio.Future[ChunkAppend]:
    """`append_chunk` without waiting: the append is queued now (so a writer's appends keep
    their order) and the future settles with its outcome once its batch committed. A
    streaming writer submits the next chunk without waiting for the last one's commit.
    A worker passes its `lease_owner` id: once another worker took the task over, its
    appends are refused with `LeaseLost` instead of written."""
    viewer.require_service()
    valid_identifier(chunk_id, field="chunkId", code=AiTaskErrorCode.CHUNK_INVALID)
    if not delta_text or len(delta_text) > MAX_DELTA_LENGTH or "\x00" in delta_text:
        raise AiTaskError(
            AiTaskErrorCode.CHUNK_INVALID,
            f"`deltaText` takes 1 to {MAX_DELTA_LENGTH} characters.",
            field="deltaText",
        )
    return _batcher().submit(
        PendingAppend(
            task_id, stage_kind, chunk_id, delta_text, clock.now(), lease_owner=lease_owner
        )
    )


class _AppendBatcher:
    """Group commit for chunk appends.

    A stream of appends (a worker's generations, a service's many tasks) would cost a
    transaction each, with eight statements, BEGIN and COMMIT. Appends that arrive while a
    batch is being written wait here and are written together in the next transaction with
    about eight statements in all (`append_batch`). Refusals are per append and write
    nothing; sequences, events and their publishing are those of one append at a time, in
    the order the appends were asked for. One batch is written at a time per process.
    """

    MAX_BATCH = 64

    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.pending: list[PendingAppend] = []
        self.flusher: asyncio.Task[None] | None = None

    def submit(self, append: PendingAppend) -> asyncio.Future[ChunkAppend]:
        future: asyncio.Future[ChunkAppend] = self.loop.create_future()
        append.future = future
        self.pending.append(append)
        if self.flusher is None or self.flusher.done():
            self.flusher = self.loop.create_task(self._flush())
        return future

    async def _flush(self) -> None:
        while self.pending:
            batch = self.pending[: self.MAX_BATCH]
            del self.pending[: self.MAX_BATCH]
            await self._write(batch)

    async def _write(self, batch: list[PendingAppend]) -> None:
        try:
            written = await retrying(lambda: _commit(batch), what="appending text chunks")
        except Exception as error:
            if len(batch) > 1 and is_unique_violation(error):
                # Another process appended one of these chunk ids meanwhile: one at a time,
                # each then finds it (or not) under the task lock.
                for append in batch:
                    await self._write([append])
                return
            self._abandon(batch, error)
            return
        # Committed: this process's subscribers render these events without a query.
        reading.remember_events(written.events)
        await streams.publish(written.entries)
        for append, outcome in zip(batch, written.outcomes, strict=True):
            _settle(append, outcome)

    def _abandon(self, batch: list[PendingAppend], error: BaseException) -> None:
        """Fail a batch that could not be written, and the appends of its tasks still
        waiting: written after a lost one, they would put a task's text out of order."""
        for append in batch:
            _settle(append, error)
        tasks = {append.task_id for append in batch}
        waiting = [append for append in self.pending if append.task_id in tasks]
        self.pending = [append for append in self.pending if append.task_id not in tasks]
        for append in waiting:
            _settle(append, error)


async def _commit(batch: list[PendingAppend]) -> BatchWritten:
    # Retried whole: a batch whose commit did happen finds its chunk ids and writes nothing.
    async with writing():
        return await append_batch(batch)


def _settle(append: PendingAppend, outcome: ChunkAppend | BaseException) -> None:
    future = append.future
    if future is None or future.done():
        return
    if isinstance(outcome, BaseException):
        future.set_exception(outcome)
        future.add_done_callback(_retrieved)
    else:
        future.set_result(outcome)


def _retrieved(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()


_batchers: _AppendBatcher | None = None


def _batcher() -> _AppendBatcher:
    global _batchers
    if _batchers is None or _batchers.loop is not asyncio.get_running_loop():
        _batchers = _AppendBatcher()
    return _batchers
