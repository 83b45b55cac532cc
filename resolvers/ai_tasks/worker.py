"""The generation worker: runs queued generations, and takes over those whose worker stopped.

One worker per process (started in the app's lifespan). It
- claims generations with one conditional UPDATE (lease owner + expiry,
  `ai_tasks_worker_lease`; two workers never run one task): queued ones, ones a stopping
  worker handed back, and ones whose lease expired (their worker was killed, or lost the
  database for longer than the lease), looking at least every GENERATION_SWEEP_SECONDS;
- brings a claim to its running stage (`continuation.prepare`): a task another worker had
  started is taken over, a RESUMED event marks the seam and the generator continues after
  the text written (one gap-free stream); more than GENERATION_MAX_ATTEMPTS takeovers fail it;
- streams the deltas into the task as chunks and completes it (`worker_job.stream_job`);
- heart-beats every GENERATION_HEARTBEAT_SECONDS; a lease not ours any more stops the job;
- retries transient database errors with bounded backoff (`retries.retrying`); when they
  persist it hands the task's lease back (or leaves it to expire) and the next claim
  continues it. Only finishing a task deletes its lease row: a running generation always
  has one, so none is stuck;
- learns cancellations from the bus (`ai_tasks.worker`) and stops the generator at once;
  each write also re-checks the task's status, so a lost message costs one word at most;
- fails running service-driven tasks (no lease) idle for `ai_task_idle_timeout_seconds`;
- on shutdown, lets the chunks in flight commit, hands its leases back and wakes the other
  processes' workers, which take the tasks over at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket

from db.errors import is_transient
from observability.metrics import LEASE_TAKEOVERS
from resolvers.ai_tasks import transitions
from resolvers.ai_tasks.chunk_plan import LeaseLost
from resolvers.ai_tasks.continuation import prepare
from resolvers.ai_tasks.errors import AiTaskError
from resolvers.ai_tasks.events import tell_workers
from resolvers.ai_tasks.generation import TextGenerator
from resolvers.ai_tasks.generators import generator_from_settings
from resolvers.ai_tasks.leases import Claim, claim_next, renew_lease, sweep
from resolvers.ai_tasks.retries import retrying
from resolvers.ai_tasks.worker_job import (
    GenerationJob,
    hand_back_or_expire,
    stream_job,
    task_finished,
)
from resolvers.errors import AccessError
from resolvers.ids import new_id
from resolvers.images.runner import run_image_task
from resolvers.principal import Principal, Role
from settings import Settings, get_settings
from subscriptions import bus
from subscriptions.channels import AI_TASKS_WORKER
from subscriptions.subscriber import SubscriberOverflow

logger = logging.getLogger("genarrative.ai_tasks.worker")

UNEXPECTED_MESSAGE = "The generation failed unexpectedly; ask again."
# Shutdown waits this long for the chunks in flight (the writer's retries included) before
# it cancels the runners: their leases then expire and are taken over after the lease.
STOP_SECONDS = 6.0

__all__ = ["GenerationJob", "GenerationWorker", "generator_from_settings", "worker_from_settings"]


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
        self.max_takeovers = config.generation_max_attempts
        self.poll_seconds = config.generation_poll_seconds
        self.sweep_seconds = config.generation_sweep_seconds
        self.idle_seconds = config.ai_task_idle_timeout_seconds
        self.jobs: dict[str, GenerationJob] = {}
        self._wake = asyncio.Event()
        self._listening = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        """Sweep, listen to the bus, start claiming (which takes over what stopped workers
        left)."""
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
        """Stop claiming; hand the generations still running back to the other workers."""
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
            _, pending = await asyncio.wait(runners, timeout=STOP_SECONDS)
            for runner in pending:
                runner.cancel()  # its lease expires and another worker takes over then
            # Another process's worker continues them now, not after the lease.
            await tell_workers({"wake": "handed back"})

    async def sweep(self) -> list[str]:
        return await sweep(idle_seconds=self.idle_seconds)

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
            except SubscriberOverflow:
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
                    claim = await claim_next(
                        worker_id=self.worker_id, lease_seconds=self.lease_seconds
                    )
                    if claim is None:
                        break
                    self._launch(claim)
                if loop.time() >= next_sweep:
                    next_sweep = loop.time() + self.sweep_seconds
                    await self.sweep()
            except Exception as error:
                if is_transient(error):
                    logger.warning("claiming or sweeping failed (%s); retrying", error)
                else:
                    logger.exception("claiming or sweeping failed; retrying")
                await asyncio.sleep(1)
                continue
            # Expired leases are found by claiming: look at least every sweep interval.
            wait = max(0.0, min(self.poll_seconds, next_sweep - loop.time()))
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(wait):
                    await self._wake.wait()

    def _launch(self, claim: Claim) -> None:
        if claim.takeovers > 0:
            LEASE_TAKEOVERS.inc()
            logger.info("taking over %s (takeover %d)", claim.task_id, claim.takeovers)
        job = GenerationJob(task_id=claim.task_id)
        previous = self.jobs.get(claim.task_id)
        if previous is not None:
            # Our own job outlived its lease (its heartbeats failed) and we claimed the task
            # again: its appends carry our id too, so it stops before the new job reads
            # what was written; as "lease_lost", so it does not hand the new lease back.
            previous.stop("lease_lost")
        self.jobs[claim.task_id] = job
        job.runner = asyncio.create_task(
            self._run(job, claim, after=previous.runner if previous else None)
        )

    async def _run(
        self, job: GenerationJob, claim: Claim, *, after: asyncio.Task[None] | None = None
    ) -> None:
        if after is not None:
            await asyncio.wait({after})
        heartbeat = asyncio.create_task(self._heartbeat(job))
        try:
            # Image tasks (IMAGE_GENERATION) are drawn and stored by resolvers/images, not
            # streamed as text: None means "not an image task", stream it below.
            finished = await run_image_task(
                job.task_id, principal=self.principal, stop_reason=lambda: job.stop_reason
            )
            if finished is not None:
                job.finished = finished
                return
            continuation = await retrying(
                lambda: prepare(
                    viewer=self.principal,
                    worker_id=self.worker_id,
                    claim=claim,
                    max_takeovers=self.max_takeovers,
                ),
                what=f"preparing {job.task_id}",
            )
            if continuation is None:
                job.finished = True  # gone, finished, or failed just now
            else:
                await stream_job(
                    job,
                    continuation,
                    generator=self.generator,
                    viewer=self.principal,
                    worker_id=self.worker_id,
                )
        except (AiTaskError, AccessError):
            pass  # an append was refused: cancelled or failed meanwhile
        except LeaseLost:
            logger.warning("%s was taken over by another worker; stopping", job.task_id)
            job.stop("lease_lost")
        except Exception as error:
            if not is_transient(error):
                logger.exception("generation of %s failed unexpectedly", job.task_id)
                await self._fail(job, UNEXPECTED_MESSAGE)
            else:
                logger.warning(
                    "giving %s up for now: the database keeps failing (%s: %s); another "
                    "attempt continues it",
                    job.task_id,
                    type(error).__name__,
                    error,
                )
        finally:
            heartbeat.cancel()
            if job.producer is not None:
                job.producer.cancel()
            if not job.finished and job.stop_reason != "lease_lost":
                await hand_back_or_expire(
                    job, worker_id=self.worker_id, lease_seconds=self.lease_seconds
                )
            if self.jobs.get(job.task_id) is job:
                del self.jobs[job.task_id]
            self._wake.set()  # capacity is free again (and a handed-back task waits)

    async def _heartbeat(self, job: GenerationJob) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_seconds)
            try:
                renewed = await retrying(
                    lambda: renew_lease(
                        task_id=job.task_id,
                        worker_id=self.worker_id,
                        lease_seconds=self.lease_seconds,
                    ),
                    what=f"renewing the lease of {job.task_id}",
                )
            except Exception:
                logger.exception("heartbeat of %s failed", job.task_id)
                continue
            if not renewed:
                # Finishing (complete, fail, cancel) deletes the lease in its transaction:
                # a heartbeat between that commit and the runner's end is no loss.
                if not await task_finished(job.task_id):
                    logger.warning("lost the lease of %s; stopping", job.task_id)
                job.stop("lease_lost")
                return

    async def _fail(self, job: GenerationJob, message: str) -> None:
        with contextlib.suppress(Exception):
            await transitions.fail_task(viewer=self.principal, task_id=job.task_id, message=message)
            job.finished = True


def worker_from_settings(settings: Settings) -> GenerationWorker | None:
    """This process's worker, or None when GENERATION_WORKER_ENABLED is false."""
    if not settings.generation_worker_enabled:
        return None
    return GenerationWorker(generator=generator_from_settings(settings), settings=settings)
