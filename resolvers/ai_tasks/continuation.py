"""Where a claimed generation stands, and bringing it to a running stage: a fresh claim
starts it; a takeover (the claim of a task another worker had started) records a RESUMED
event and continues after the text already written.

Every step re-reads the state first and is a conditional transition, so `prepare` may be
run again after a transient failure (`retries.retrying`) whatever it had done.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from resolvers import clock
from resolvers.ai_tasks import reading, stage_transitions, transitions
from resolvers.ai_tasks.errors import AiTaskError, AiTaskErrorCode
from resolvers.ai_tasks.events import record_task_event
from resolvers.ai_tasks.generation import GenerationRequest
from resolvers.ai_tasks.leases import Claim, release_lease, takeover_limit_message
from resolvers.ai_tasks.model import (
    FINISHED_STATUSES,
    AiTaskEventKind,
    AiTaskStageKind,
    AiTaskStageStatus,
    AiTaskStatus,
)
from resolvers.ai_tasks.refusals import refuse_task
from resolvers.ai_tasks.rows import AiTaskRow, AiTaskStageRow
from resolvers.ai_tasks.store import tasks
from resolvers.ai_tasks.transactions import writing
from resolvers.errors import AccessError
from resolvers.principal import Principal
from subscriptions import streams

logger = logging.getLogger("genarrative.ai_tasks.worker")

STAGE = AiTaskStageKind.REQUEST_MODEL

# Each round makes one transition (start, stage start, resume): three suffice; the rest
# absorb refusals caused by a concurrent change (a cancellation), re-read next round.
PREPARE_ROUNDS = 6


@dataclass(frozen=True, slots=True)
class Continuation:
    """A generation ready to stream: its request (with the text written before, if it was
    taken over) and the chunks written so far (the next chunk id is `chunk_count + 1`)."""

    request: GenerationRequest
    chunk_count: int
    resumed: bool


async def prepare(
    *, viewer: Principal, worker_id: str, claim: Claim, max_takeovers: int
) -> Continuation | None:
    """Bring a claimed generation to its running stage; None when there is nothing to run
    (the task is gone or finished, or it was taken over too often and is failed now)."""
    started_here = False
    for _ in range(PREPARE_ROUNDS):
        task = (await reading.tasks_by_id([claim.task_id])).get(claim.task_id)
        if task is None or task.status in FINISHED_STATUSES:
            await release_lease(task_id=claim.task_id, worker_id=worker_id)
            return None
        if claim.takeovers > max_takeovers:
            logger.warning("giving up on %s after %d takeovers", claim.task_id, max_takeovers)
            await _fail(viewer, claim.task_id, takeover_limit_message(max_takeovers))
            return None
        try:
            if task.status == AiTaskStatus.PENDING:
                await transitions.start_task(viewer=viewer, task_id=claim.task_id)
                started_here = True
                continue
            stage = await _stage(claim.task_id)
            if stage is None or stage.status in (
                AiTaskStageStatus.FAILED,
                AiTaskStageStatus.CANCELLED,
            ):
                await _fail(viewer, claim.task_id, "The generation lost its stage; ask again.")
                return None
            if stage.status == AiTaskStageStatus.PENDING:
                await stage_transitions.start_stage(
                    viewer=viewer, task_id=claim.task_id, stage_kind=STAGE
                )
                continue
            if stage.status == AiTaskStageStatus.COMPLETED:
                # Its worker stopped between completing the stage and the task.
                await transitions.complete_task(viewer=viewer, task_id=claim.task_id)
                return None
            # A takeover of a task the worker before had started. (A first claim finding
            # its task running: our own start committed but its answer was lost.)
            resumed = claim.takeovers > 0 and not started_here
            if resumed:
                # What the worker before wrote is read under the task's lock, after any
                # append of it still committing (later ones are fenced: not its lease).
                stage = await resume_task(viewer=viewer, task_id=claim.task_id)
            return _continuation(task, stage, resumed=resumed)
        except (AiTaskError, AccessError):
            continue  # changed meanwhile (cancelled, or our own lost commit): read again
    return None


async def resume_task(*, viewer: Principal, task_id: str) -> AiTaskStageRow:
    """Record that a worker took a running task over (RESUMED): its next chunk continues
    the text of the worker before it. Returns the resumed stage as read under the task's
    row lock (taken by the RESUMED update), so it holds every chunk written before."""
    viewer.require_service()
    now = clock.now()
    async with writing():
        task = await tasks.resume_running(task_id=task_id, now=now)
        if task is None:
            await refuse_task(task_id, expected=AiTaskStatus.RUNNING)
        entries = await record_task_event(
            task,
            AiTaskEventKind.RESUMED,
            now=now,
            status=task["status"],
            stage_kind=STAGE.value,
        )
        stage = await _stage(task_id)
    await streams.publish(entries)
    if stage is None:
        raise AiTaskError(AiTaskErrorCode.STAGE_NOT_RUNNING, "The stage is gone.")
    return stage


async def _stage(task_id: str) -> AiTaskStageRow | None:
    stages = (await reading.stages_of([task_id]))[task_id]
    return next((stage for stage in stages if stage.stage_kind == STAGE), None)


def _continuation(task: AiTaskRow, stage: AiTaskStageRow, *, resumed: bool) -> Continuation:
    payload = task.request_payload_json or {}
    return Continuation(
        request=GenerationRequest(
            task_id=task.task_id,
            kind=task.task_kind,
            prompt=str(payload.get("prompt", "")),
            written_text=stage.text_output or "",
        ),
        chunk_count=stage.chunk_count,
        resumed=resumed,
    )


async def _fail(viewer: Principal, task_id: str, message: str) -> None:
    try:
        await transitions.fail_task(viewer=viewer, task_id=task_id, message=message)
    except (AiTaskError, AccessError):
        pass  # finished meanwhile
