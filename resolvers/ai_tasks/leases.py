"""Generation leases and sweeps: single conditional statements, correct with many workers
on either engine.

- `claim_next` takes the oldest queued generation (lease owner + expiry);
- `renew_lease` (the heartbeat) and `release_lease` keep and give back a lease;
- `sweep` fails the tasks whose worker stopped (an expired lease) and the running tasks
  that service callers drive (no lease) after `ai_task_idle_timeout_seconds` without
  progress, and runs their finish listeners.
"""

from __future__ import annotations

from datetime import timedelta

from db.tables.ai_tasks import AiTask, AiTasksWorkerLease
from resolvers import clock
from resolvers.ai_tasks import (
    finish_listeners,
    transactions,
    transitions,
)
from resolvers.ai_tasks.model import AiTaskStatus
from subscriptions import streams

SWEEP_BATCH = 100
CLAIM_RETRIES = 5


def stale_lease_message(lease_seconds: float) -> str:
    return (
        f"The worker running this task stopped (no heartbeat for {lease_seconds:g} s); ask again."
    )


def idle_task_message(idle_seconds: float) -> str:
    return f"No progress for {idle_seconds:g} s: the service running this task stopped; ask again."


async def claim_next(*, worker_id: str, lease_seconds: float) -> str | None:
    """Take the oldest queued generation: lease owner + expiry, or None when none waits."""
    for _ in range(CLAIM_RETRIES):
        now = clock.now()
        rows = await AiTasksWorkerLease.raw(
            "UPDATE ai_tasks_worker_lease SET lease_owner = {}, claimed_at = {}, "
            "heartbeat_at = {}, lease_expires_at = {}, attempts = attempts + 1 "
            "WHERE task_id = (SELECT task_id FROM ai_tasks_worker_lease "
            "WHERE lease_owner IS NULL ORDER BY queued_at, task_id LIMIT 1) "
            "AND lease_owner IS NULL RETURNING task_id",
            worker_id,
            now,
            now,
            now + timedelta(seconds=lease_seconds),
        )
        if rows:
            return str(rows[0]["task_id"])
        if not await AiTasksWorkerLease.exists().where(AiTasksWorkerLease.lease_owner.is_null()):
            return None
        # Another worker took the row we aimed at while others still wait: try again.
    return None


async def renew_lease(*, task_id: str, worker_id: str, lease_seconds: float) -> bool:
    """Extend our lease; False when it is gone (the task finished or was swept)."""
    now = clock.now()
    rows = await AiTasksWorkerLease.raw(
        "UPDATE ai_tasks_worker_lease SET heartbeat_at = {}, lease_expires_at = {} "
        "WHERE task_id = {} AND lease_owner = {} RETURNING task_id",
        now,
        now + timedelta(seconds=lease_seconds),
        task_id,
        worker_id,
    )
    return bool(rows)


async def release_lease(*, task_id: str, worker_id: str) -> None:
    await AiTasksWorkerLease.raw(
        "DELETE FROM ai_tasks_worker_lease WHERE task_id = {} AND lease_owner = {}",
        task_id,
        worker_id,
    )


async def sweep(*, lease_seconds: float, idle_seconds: float) -> list[str]:
    """Fail tasks whose worker stopped (lease expired) or that made no progress for
    `idle_seconds` without a lease. Returns the failed task ids."""
    now = clock.now()
    failed: list[str] = []
    stale = await AiTasksWorkerLease.raw(
        "SELECT task_id, lease_owner, lease_expires_at FROM ai_tasks_worker_lease "
        f"WHERE lease_owner IS NOT NULL AND lease_expires_at < {{}} LIMIT {SWEEP_BATCH}",
        now,
    )
    for row in stale:
        async with transactions.writing():
            # Still the same expired lease? (Its worker may have renewed it meanwhile.)
            gone = await AiTasksWorkerLease.raw(
                "DELETE FROM ai_tasks_worker_lease WHERE task_id = {} AND lease_owner = {} "
                "AND lease_expires_at < {} RETURNING task_id",
                row["task_id"],
                row["lease_owner"],
                now,
            )
            outcome = (
                await transitions.fail_in_transaction(
                    row["task_id"], stale_lease_message(lease_seconds), now
                )
                if gone
                else None
            )
        if outcome is not None:
            await streams.publish(outcome[1])
            await finish_listeners.task_finished(outcome[0])
            failed.append(row["task_id"])
    cutoff = now - timedelta(seconds=idle_seconds)
    idle = await AiTask.raw(
        "SELECT task_id FROM ai_task WHERE status = {} AND updated_at < {} AND NOT EXISTS "
        "(SELECT 1 FROM ai_tasks_worker_lease l WHERE l.task_id = ai_task.task_id) "
        f"LIMIT {SWEEP_BATCH}",
        AiTaskStatus.RUNNING.value,
        cutoff,
    )
    for row in idle:
        async with transactions.writing():
            outcome = await transitions.fail_in_transaction(
                row["task_id"], idle_task_message(idle_seconds), now, stale_before=cutoff
            )
        if outcome is not None:
            await streams.publish(outcome[1])
            await finish_listeners.task_finished(outcome[0])
            failed.append(row["task_id"])
    return failed
