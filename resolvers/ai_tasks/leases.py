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

from resolvers import clock
from resolvers.ai_tasks import (
    finish_listeners,
    transactions,
    transitions,
)
from resolvers.ai_tasks.store import leases, tasks
from subscriptions import streams

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
        claimed = await leases.claim_oldest(
            worker_id=worker_id, now=now, expires_at=now + timedelta(seconds=lease_seconds)
        )
        if claimed is not None:
            return Claim(task_id=claimed[0], attempts=claimed[1])
        if not await leases.claimable_exists(now):
            return None
        # Another worker took the row we aimed at while others still wait: try again.
    return None


async def renew_lease(*, task_id: str, worker_id: str, lease_seconds: float) -> bool:
    """Extend our lease; False when it is gone (the task finished or was swept)."""
    now = clock.now()
    return await leases.extend_lease(
        task_id=task_id,
        worker_id=worker_id,
        now=now,
        expires_at=now + timedelta(seconds=lease_seconds),
    )


async def hand_back(*, task_id: str, worker_id: str) -> bool:
    """Give our lease of an unfinished task back at once (no owner: the next claim of any
    worker continues it); False when it is not ours any more."""
    return await leases.clear_lease_owner(task_id=task_id, worker_id=worker_id)


async def release_lease(*, task_id: str, worker_id: str) -> None:
    """Drop the lease row of a task that is gone or finished (nothing left to run)."""
    await leases.delete_held_lease(task_id=task_id, worker_id=worker_id)


async def sweep(*, idle_seconds: float) -> list[str]:
    """Fail the running tasks without a lease (service-driven) that made no progress for
    `idle_seconds`. Returns the failed task ids."""
    now = clock.now()
    failed: list[str] = []
    cutoff = now - timedelta(seconds=idle_seconds)
    idle = await tasks.idle_running_task_ids(stale_before=cutoff, limit=SWEEP_BATCH)
    for task_id in idle:
        async with transactions.writing():
            outcome = await transitions.fail_in_transaction(
                task_id, idle_task_message(idle_seconds), now, stale_before=cutoff
            )
        if outcome is not None:
            await streams.publish(outcome[1])
            await finish_listeners.task_finished(outcome[0])
            failed.append(task_id)
    return failed
