"""One generation as the worker runs it: the generator's deltas streamed into the task as
chunks (pipelined appends), then the stage and the task completed.

The generator runs in a task of its own (`_produce`) and hands deltas over a queue, so
stopping it (cancellation, a lost lease, shutdown) never interrupts a write. A failed
append raises here: a refusal (`AiTaskError`: the task was cancelled or failed meanwhile)
or a database error the chunk writer's retries could not overcome. No append is queued
after one is known to have failed, and the writer fails the ones of this task still
waiting, so the chunks written are always a prefix of the reply: the next attempt
continues after them.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from resolvers.ai_tasks import chunk_appends, reading, stage_transitions, transitions
from resolvers.ai_tasks.chunk_plan import ChunkAppend
from resolvers.ai_tasks.continuation import STAGE, Continuation
from resolvers.ai_tasks.errors import AiTaskError
from resolvers.ai_tasks.generation import GenerationRequest, TextGenerator
from resolvers.ai_tasks.leases import hand_back
from resolvers.ai_tasks.model import FINISHED_STATUSES, MAX_DELTA_LENGTH
from resolvers.ai_tasks.retries import retrying
from resolvers.errors import AccessError
from resolvers.principal import Principal

logger = logging.getLogger("genarrative.ai_tasks.worker")

_DONE = object()


@dataclass(eq=False)
class GenerationJob:
    task_id: str
    deltas: asyncio.Queue[Any] = field(default_factory=asyncio.Queue)
    stop_reason: str | None = None
    producer: asyncio.Task[None] | None = None
    runner: asyncio.Task[None] | None = None
    # Set once this job finished the task itself (completed or failed it): its lease row
    # went with that transition, nothing is left to hand back.
    finished: bool = False

    def stop(self, reason: str) -> None:
        """Stop generating now (cancellation, lost lease, shutdown); the runner exits."""
        if self.stop_reason is None:
            self.stop_reason = reason
        if self.producer is not None:
            self.producer.cancel()
        self.deltas.put_nowait(_DONE)


async def stream_job(
    job: GenerationJob,
    continuation: Continuation,
    *,
    generator: TextGenerator,
    viewer: Principal,
    worker_id: str,
) -> None:
    """Stream the rest of the reply into the task and complete it; returns early when the
    job is stopped. Raises what a failed append raised (`LeaseLost`: taken over)."""
    job.producer = asyncio.create_task(_produce(job, generator, continuation.request))
    # Appends are pipelined: each is queued at once, in order, without waiting for the
    # previous one's commit, so a busy database slows no generation down.
    in_flight: deque[asyncio.Future[ChunkAppend]] = deque()
    # Chunk ids number the stage's chunks (1, 2, …) across attempts: a continuation goes on
    # after the count written, and a repeated id is a no-op rather than a second copy.
    number = continuation.chunk_count
    while True:
        item = await job.deltas.get()
        if job.stop_reason is not None or item is _DONE:
            break
        if isinstance(item, Exception):
            await _settle(in_flight)
            await _finish(job, viewer, failure=_generator_failure(item))
            return
        if not item:
            continue
        _raise_failed(in_flight)  # before queueing more: nothing goes after a lost chunk
        number += 1
        in_flight.append(
            chunk_appends.append_chunk_soon(
                viewer=viewer,
                task_id=job.task_id,
                stage_kind=STAGE,
                chunk_id=str(number),
                delta_text=item,
                lease_owner=worker_id,
            )
        )
    await _settle(in_flight)
    if job.stop_reason is not None:
        return  # cancelled, swept, taken over or shutting down: the runner decides
    await _finish(job, viewer, failure=None)


async def _produce(
    job: GenerationJob, generator: TextGenerator, request: GenerationRequest
) -> None:
    try:
        async for delta in generator.stream(request):
            for start in range(0, len(delta), MAX_DELTA_LENGTH):
                job.deltas.put_nowait(delta[start : start + MAX_DELTA_LENGTH])
    except asyncio.CancelledError:
        raise
    except Exception as error:
        job.deltas.put_nowait(error)
    job.deltas.put_nowait(_DONE)


def _raise_failed(in_flight: deque[asyncio.Future[ChunkAppend]]) -> None:
    """Forget the appends already written; raise the error of one that failed."""
    while in_flight and in_flight[0].done():
        error = in_flight.popleft().exception()
        if error is not None:
            raise error


async def _settle(in_flight: deque[asyncio.Future[ChunkAppend]]) -> None:
    """Wait for the appends still in flight; raise the first failure among them."""
    outcomes = await asyncio.gather(*in_flight, return_exceptions=True)
    in_flight.clear()
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome


async def _finish(job: GenerationJob, viewer: Principal, *, failure: str | None) -> None:
    """Complete the stage and the task, or fail it with `failure`. A refusal means it
    changed meanwhile (cancelled, or a lost commit of ours): the runner hands the lease
    back and the next claim finds where it stands."""
    task_id = job.task_id
    try:
        if failure is not None:
            await retrying(
                lambda: transitions.fail_task(viewer=viewer, task_id=task_id, message=failure),
                what=f"failing {task_id}",
            )
        else:
            await retrying(
                lambda: stage_transitions.complete_stage(
                    viewer=viewer, task_id=task_id, stage_kind=STAGE
                ),
                what=f"completing the stage of {task_id}",
            )
            await retrying(
                lambda: transitions.complete_task(viewer=viewer, task_id=task_id),
                what=f"completing {task_id}",
            )
    except (AiTaskError, AccessError):
        return
    job.finished = True


async def hand_back_or_expire(job: GenerationJob, *, worker_id: str, lease_seconds: float) -> None:
    """Give the lease of an unfinished task back; if the database refuses even that, the
    lease expires and the task is taken over then. Never deleted: a running task without
    a lease row would be seen by no worker."""
    try:
        await retrying(
            lambda: hand_back(task_id=job.task_id, worker_id=worker_id),
            what=f"handing {job.task_id} back",
        )
    except Exception as error:
        logger.warning(
            "could not hand %s back (%s); its lease expires in %g s",
            job.task_id,
            error,
            lease_seconds,
        )


async def task_finished(task_id: str) -> bool:
    row = (await reading.tasks_by_id([task_id])).get(task_id)
    return row is None or row.status in FINISHED_STATUSES


def _generator_failure(error: BaseException) -> str:
    detail = str(error).strip() or type(error).__name__
    return f"The text generator failed: {detail}"[:1000]
