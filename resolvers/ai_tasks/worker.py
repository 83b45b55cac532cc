"""The generation worker: runs queued generations through a `TextGenerator`.

One worker per process (started in the app's lifespan). It
- claims queued generations with one conditional UPDATE that sets itself as the lease
  owner with an expiry (`ai_tasks_worker_lease`), so two workers never run the same task;
- streams the generator's deltas into the task as chunks (the generator runs in a task of
  its own; writes are never cancelled half-way) and completes the task;
- heart-beats every few seconds, renewing the lease; a lease that cannot be renewed (the
  task was failed as orphaned) stops the job;
- learns cancellations from the bus (`ai_tasks.worker`) and stops the generator at once;
  each write also re-checks the task's status, so a lost message costs one word at most;
- sweeps: a lease past its expiry means its worker stopped (crashed, killed, partitioned):
  the task is failed with a message saying so. Fresh leases, held by live workers of other
  processes, are never touched. Running tasks that service callers drive (no lease) are
  failed after `ai_task_idle_timeout_seconds` without progress, so none runs forever.
- on shutdown, fails its running tasks ("the server stopped") rather than leaving them to
  the sweep.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from db.tables.ai_tasks import AiTask
from resolvers.ai_tasks import chunk_appends, reading, stage_transitions, transitions
from resolvers.ai_tasks.chunk_batch import ChunkAppend
from resolvers.ai_tasks.errors import AiTaskError
from resolvers.ai_tasks.generation import EmbeddedGenerator, GenerationRequest, TextGenerator
from resolvers.ai_tasks.leases import claim_next, release_lease, renew_lease, sweep
from resolvers.ai_tasks.model import (
    FINISHED_STATUSES,
    MAX_DELTA_LENGTH,
    AiTaskKind,
    AiTaskStageKind,
)
from resolvers.ai_tasks.openai_compatible import OpenAICompatibleGenerator
from resolvers.errors import AccessError
from resolvers.ids import new_id
from resolvers.principal import Principal, Role
from settings import Settings, get_settings
from subscriptions import bus
from subscriptions.channels import AI_TASKS_WORKER

logger = logging.getLogger("genarrative.ai_tasks.worker")

STAGE = AiTaskStageKind.REQUEST_MODEL

SHUTDOWN_MESSAGE = "The server stopped while generating; ask again."


_DONE = object()


@dataclass(eq=False)
class _Job:
    task_id: str
    deltas: asyncio.Queue[Any] = field(default_factory=asyncio.Queue)
    stop_reason: str | None = None
    producer: asyncio.Task[None] | None = None
    runner: asyncio.Task[None] | None = None

    def stop(self, reason: str) -> None:
        """Stop generating now (cancellation, lost lease, shutdown); the runner exits."""
        if self.stop_reason is None:
            self.stop_reason = reason
        if self.producer is not None:
            self.producer.cancel()
        self.deltas.put_nowait(_DONE)


class GenerationWorker:
    """Claims, runs, heart-beats and sweeps generations; see the module docstring."""

    def __init__(
        self,
        *,
        generator: TextGenerator,
        settings: Settings | None = None,
        worker_id: str | None = None,
    ) -> None:
        config = settings or get_settings()
        self.generator = generator
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{new_id()}"
        self.principal = Principal(role=Role.SERVICE, credential_id=f"worker:{self.worker_id}")
        self.max_concurrency = config.generation_max_concurrency
        self.lease_seconds = config.generation_lease_seconds
        self.heartbeat_seconds = config.generation_heartbeat_seconds
        self.poll_seconds = config.generation_poll_seconds
        self.sweep_seconds = config.generation_sweep_seconds
        self.idle_seconds = config.ai_task_idle_timeout_seconds
        self.jobs: dict[str, _Job] = {}
        self._wake = asyncio.Event()
        self._listening = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        """Sweep what stopped workers left, listen to the bus, start claiming."""
        try:
            await self.sweep()
        except Exception:
            logger.exception("the start-up sweep failed")
        hub = bus.current_hub()
        if hub is not None:
            listener = asyncio.create_task(self._listen(hub))
            self._tasks.append(listener)
            waiter = asyncio.create_task(self._listening.wait())
            await asyncio.wait({waiter, listener}, return_when=asyncio.FIRST_COMPLETED)
            waiter.cancel()
        self._tasks.append(asyncio.create_task(self._claim_loop()))

    async def stop(self) -> None:
        """Stop claiming; fail the tasks still generating (the server is going away)."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()
        jobs = list(self.jobs.values())
        for job in jobs:
            job.stop("shutdown")
        runners = [job.runner for job in jobs if job.runner is not None]
        if runners:
            _, pending = await asyncio.wait(runners, timeout=10)
            for runner in pending:
                runner.cancel()

    async def sweep(self) -> list[str]:
        return await sweep(lease_seconds=self.lease_seconds, idle_seconds=self.idle_seconds)

    def cancel(self, task_id: str) -> bool:
        """Stop generating `task_id` if this worker runs it (its status is already set)."""
        job = self.jobs.get(task_id)
        if job is None:
            return False
        job.stop("cancelled")
        return True

    async def _listen(self, hub: bus.Hub) -> None:
        while True:
            try:
                async with hub.subscribe(AI_TASKS_WORKER) as subscription:
                    self._listening.set()
                    async for message in subscription:
                        if "cancel" in message:
                            self.cancel(str(message["cancel"]))
                        if "wake" in message or "resync" in message:
                            self._wake.set()  # after a reconnection: wake-ups may be lost
            except bus.SubscriberOverflow:
                logger.warning("the worker channel fell behind or dropped; resubscribing")
                self._wake.set()  # a wake-up may have been lost: look at the queue
                await asyncio.sleep(0.1)

    async def _claim_loop(self) -> None:
        loop = asyncio.get_running_loop()
        next_sweep = loop.time() + self.sweep_seconds
        while True:
            self._wake.clear()
            try:
                while len(self.jobs) < self.max_concurrency:
                    task_id = await claim_next(
                        worker_id=self.worker_id, lease_seconds=self.lease_seconds
                    )
                    if task_id is None:
                        break
                    self._launch(task_id)
                if loop.time() >= next_sweep:
                    next_sweep = loop.time() + self.sweep_seconds
                    await self.sweep()
            except Exception:
                logger.exception("claiming or sweeping failed; retrying")
                await asyncio.sleep(1)
                continue
            wait = max(0.0, min(self.poll_seconds, next_sweep - loop.time()))
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(wait):
                    await self._wake.wait()

    def _launch(self, task_id: str) -> None:
        job = _Job(task_id=task_id)
        self.jobs[task_id] = job
        job.runner = asyncio.create_task(self._run(job))

    async def _run(self, job: _Job) -> None:
        heartbeat = asyncio.create_task(self._heartbeat(job))
        try:
            await self._generate(job)
        except Exception:
            logger.exception("generation of %s failed unexpectedly", job.task_id)
            await self._fail(job, "The generation failed unexpectedly; ask again.")
        finally:
            heartbeat.cancel()
            if job.producer is not None:
                job.producer.cancel()
            self.jobs.pop(job.task_id, None)
            with contextlib.suppress(Exception):
                await release_lease(task_id=job.task_id, worker_id=self.worker_id)
            self._wake.set()  # capacity is free again

    async def _heartbeat(self, job: _Job) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_seconds)
            try:
                renewed = await renew_lease(
                    task_id=job.task_id,
                    worker_id=self.worker_id,
                    lease_seconds=self.lease_seconds,
                )
            except Exception:
                logger.exception("heartbeat of %s failed", job.task_id)
                continue
            if not renewed:
                # Finishing (complete, fail, cancel) deletes the lease in its transaction:
                # a heartbeat between that commit and the runner's end is no loss.
                if not await self._finished(job.task_id):
                    logger.warning("lost the lease of %s; stopping", job.task_id)
                job.stop("lease_lost")
                return

    @staticmethod
    async def _finished(task_id: str) -> bool:
        row = (await reading.tasks_by_id([task_id])).get(task_id)
        return row is None or row["status"] in FINISHED_STATUSES

    async def _produce(self, job: _Job, request: GenerationRequest) -> None:
        try:
            async for delta in self.generator.stream(request):
                for start in range(0, len(delta), MAX_DELTA_LENGTH):
                    job.deltas.put_nowait(delta[start : start + MAX_DELTA_LENGTH])
        except asyncio.CancelledError:
            raise
        except Exception as error:
            job.deltas.put_nowait(error)
        job.deltas.put_nowait(_DONE)

    async def _generate(self, job: _Job) -> None:
        task = (
            await AiTask.select()
            .where(AiTask.task_id == job.task_id)
            .output(load_json=True)
            .first()
        )
        if task is None:
            return
        payload = task["request_payload_json"] or {}
        request = GenerationRequest(
            task_id=job.task_id,
            kind=AiTaskKind(task["task_kind"]),
            prompt=str(payload.get("prompt", "")),
        )
        try:
            await transitions.start_task(viewer=self.principal, task_id=job.task_id)
            await stage_transitions.start_stage(
                viewer=self.principal, task_id=job.task_id, stage_kind=STAGE
            )
        except (AiTaskError, AccessError):
            return  # cancelled or failed before it started: nothing to do
        job.producer = asyncio.create_task(self._produce(job, request))
        # Appends are pipelined: each is queued at once, in order, without waiting for the
        # previous one's commit, so a busy database slows no generation down.
        in_flight: deque[asyncio.Future[ChunkAppend]] = deque()
        number = 0
        while True:
            item = await job.deltas.get()
            if job.stop_reason is not None or item is _DONE:
                break
            if isinstance(item, Exception):
                await self._settle(in_flight)
                await self._fail(job, _generator_failure(item))
                return
            if not item:
                continue
            number += 1
            in_flight.append(
                chunk_appends.append_chunk_soon(
                    viewer=self.principal,
                    task_id=job.task_id,
                    stage_kind=STAGE,
                    chunk_id=str(number),
                    delta_text=item,
                )
            )
            while in_flight and in_flight[0].done():
                if in_flight.popleft().exception() is not None:
                    return  # the task was cancelled or failed meanwhile: stop quietly
        if not await self._settle(in_flight):
            return
        if job.stop_reason == "shutdown":
            await self._fail(job, SHUTDOWN_MESSAGE)
            return
        if job.stop_reason is not None:
            return  # cancelled by its owner or swept elsewhere: its status is already set
        try:
            await stage_transitions.complete_stage(
                viewer=self.principal, task_id=job.task_id, stage_kind=STAGE
            )
            await transitions.complete_task(viewer=self.principal, task_id=job.task_id)
        except AiTaskError:
            return

    @staticmethod
    async def _settle(in_flight: deque[asyncio.Future[ChunkAppend]]) -> bool:
        """Wait for the appends still in flight; False if one was refused (the task was
        cancelled or failed meanwhile)."""
        outcomes = await asyncio.gather(*in_flight, return_exceptions=True)
        in_flight.clear()
        return not any(isinstance(outcome, BaseException) for outcome in outcomes)

    async def _fail(self, job: _Job, message: str) -> None:
        with contextlib.suppress(AiTaskError, AccessError):
            await transitions.fail_task(viewer=self.principal, task_id=job.task_id, message=message)


def _generator_failure(error: BaseException) -> str:
    detail = str(error).strip() or type(error).__name__
    return f"The text generator failed: {detail}"[:1000]


def generator_from_settings(settings: Settings) -> TextGenerator:
    """The generator named by GENERATION_BACKEND (`embedded`: the built-in one)."""
    if settings.generation_backend == "embedded":
        return EmbeddedGenerator(
            words_per_second=settings.generation_words_per_second,
            word_count=settings.generation_word_count,
        )
    if settings.generation_backend == "openai":
        return OpenAICompatibleGenerator(
            base_url=settings.openai_base_url,
            api_key=settings.openai_api_key,
            model=settings.openai_model,
            timeout_seconds=settings.openai_timeout_seconds,
        )
    raise ValueError(f"unknown GENERATION_BACKEND {settings.generation_backend!r}")


def worker_from_settings(settings: Settings) -> GenerationWorker | None:
    """This process's worker, or None when GENERATION_WORKER_ENABLED is false."""
    if not settings.generation_worker_enabled:
        return None
    return GenerationWorker(generator=generator_from_settings(settings), settings=settings)
