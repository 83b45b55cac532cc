"""Generation leases and sweeps: single conditional statements, correct with many workers
on either engine.

- `claim_next` takes the oldest generation nobody holds: a queued one (no owner), one a
  stopping worker handed back (`hand_back`), or one whose lease expired (its worker died):
  lease owner + expiry, and `attempts` counts the claims (more than one: a takeover);
- `renew_lease` (the heartbeat) keeps a lease; `hand_back` gives an unfinished task back
  at once (shutdown, or a worker that gave up on it); `release_lease` drops the row of a
  task that is gone or finished;
- `sweep` fails the running tasks that service callers drive (no lease) after
  `ai_task_idle_timeout_seconds` without progress, and runs their finish listeners.
  Expired leases are not failed: they are claimed again and their tasks continued.
"""

from __future__ import annotations

from dataclasses import dataclass
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

Lease = AiTasksWorkerLease

SWEEP_BATCH = 100
CLAIM_RETRIES = 5


def takeover_limit_message(takeovers: int) -> str:
    return (
        f"The generation was interrupted {takeovers} times (a worker stopped, or lost the "
        "database); ask again."
    )


def idle_task_message(idle_seconds: float) -> str:
    return f"No progress for {idle_seconds:g} s: the service running this task stopped; ask again."


@dataclass(frozen=True, slots=True)
class Claim:
    """A claimed generation; `attempts` counts its claims, this one included."""

    task_id: str
    attempts: int

    @property
    def takeovers(self) -> int:
        return self.attempts - 1


async def claim_next(*, worker_id: str, lease_seconds: float) -> Claim | None:
    """Take the oldest generation nobody holds (queued, handed back, or its lease expired):
    lease owner + expiry, or None when there is none."""
    for _ in range(CLAIM_RETRIES):
        now = clock.now()
        # Raw: `task_id = (SELECT … ORDER BY … LIMIT 1)`, a scalar subquery the builder lacks.
        # The condition is repeated outside the subquery: on PostgreSQL a concurrent claim
        # of the same row makes this UPDATE re-check it on the row's new version.
        rows = await AiTasksWorkerLease.raw(
            "UPDATE ai_tasks_worker_lease SET lease_owner = {}, claimed_at = {}, "
            "heartbeat_at = {}, lease_expires_at = {}, attempts = attempts + 1 "
            "WHERE task_id = (SELECT task_id FROM ai_tasks_worker_lease "
            "WHERE lease_owner IS NULL OR lease_expires_at < {} "
            "ORDER BY queued_at, task_id LIMIT 1) "
            "AND (lease_owner IS NULL OR lease_expires_at < {}) RETURNING task_id, attempts",
            worker_id,
            now,
            now,
            now + timedelta(seconds=lease_seconds),
            now,
            now,
        )
        if rows:
            return Claim(task_id=str(rows[0]["task_id"]), attempts=int(rows[0]["attempts"]))
        if not await AiTasksWorkerLease.exists().where(
            AiTasksWorkerLease.lease_owner.is_null() | (AiTasksWorkerLease.lease_expires_at < now)
        ):
            return None
        # Another worker took the row we aimed at while others still wait: try again.
    return None


async def renew_lease(*, task_id: str, worker_id: str, lease_seconds: float) -> bool:
    """Extend our lease; False when it is gone (the task finished or was swept)."""
    now = clock.now()
    rows = (
        await Lease.update(
            {
                Lease.heartbeat_at: now,
                Lease.lease_expires_at: now + timedelta(seconds=lease_seconds),
            }
        )
        .where((Lease.task_id == task_id) & (Lease.lease_owner == worker_id))
        .returning(Lease.task_id)
    )
    return bool(rows)


async def hand_back(*, task_id: str, worker_id: str) -> bool:
    """Give our lease of an unfinished task back at once (no owner: the next claim of any
    worker continues it); False when it is not ours any more."""
    rows = (
        await Lease.update(
            {Lease.lease_owner: None, Lease.heartbeat_at: None, Lease.lease_expires_at: None}
        )
        .where((Lease.task_id == task_id) & (Lease.lease_owner == worker_id))
        .returning(Lease.task_id)
    )
    return bool(rows)


async def release_lease(*, task_id: str, worker_id: str) -> None:
    """Drop the lease row of a task that is gone or finished (nothing left to run)."""
    await Lease.delete().where((Lease.task_id == task_id) & (Lease.lease_owner == worker_id))


async def sweep(*, idle_seconds: float) -> list[str]:
    """Fail the running tasks without a lease (service-driven) that made no progress for
    `idle_seconds`. Returns the failed task ids."""
    now = clock.now()
    failed: list[str] = []
    cutoff = now - timedelta(seconds=idle_seconds)
    # Raw: a correlated `NOT EXISTS` on the lease table, which the builder cannot write.
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
