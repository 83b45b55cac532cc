"""Statements of the generation queue (`ai_tasks_worker_lease`, one row per unfinished
generation): queueing, claims, heartbeats, hand-backs and the queue's depth."""

from __future__ import annotations

from datetime import datetime

from db.tables.ai_tasks import AiTasksWorkerLease as Lease


async def insert_lease(*, task_id: str, now: datetime) -> None:
    """Queue a new task for the generation workers (no owner yet)."""
    await Lease.insert(Lease(task_id=task_id, queued_at=now, attempts=0))


async def claim_oldest(
    *, worker_id: str, now: datetime, expires_at: datetime
) -> tuple[str, int] | None:
    """Take the oldest row nobody holds (no owner, or expired); its task id and claims."""
    # Raw: `task_id = (SELECT … ORDER BY … LIMIT 1)`, a scalar subquery the builder lacks.
    # The condition is repeated outside the subquery: on PostgreSQL a concurrent claim
    # of the same row makes this UPDATE re-check it on the row's new version.
    rows = await Lease.raw(
        "UPDATE ai_tasks_worker_lease SET lease_owner = {}, claimed_at = {}, "
        "heartbeat_at = {}, lease_expires_at = {}, attempts = attempts + 1 "
        "WHERE task_id = (SELECT task_id FROM ai_tasks_worker_lease "
        "WHERE lease_owner IS NULL OR lease_expires_at < {} "
        "ORDER BY queued_at, task_id LIMIT 1) "
        "AND (lease_owner IS NULL OR lease_expires_at < {}) RETURNING task_id, attempts",
        worker_id,
        now,
        now,
        expires_at,
        now,
        now,
    )
    return (str(rows[0]["task_id"]), int(rows[0]["attempts"])) if rows else None


async def claimable_exists(now: datetime) -> bool:
    """Whether a row nobody holds (no owner, or expired) is left."""
    return bool(
        await Lease.exists().where(Lease.lease_owner.is_null() | (Lease.lease_expires_at < now))
    )


async def count_claimable(now: datetime) -> int:
    """How many rows nobody holds (no owner, or expired)."""
    return int(
        await Lease.count().where(Lease.lease_owner.is_null() | (Lease.lease_expires_at < now))
    )


async def extend_lease(
    *, task_id: str, worker_id: str, now: datetime, expires_at: datetime
) -> bool:
    """Extend the worker's lease; False when it holds none of the task."""
    rows = (
        await Lease.update({Lease.heartbeat_at: now, Lease.lease_expires_at: expires_at})
        .where((Lease.task_id == task_id) & (Lease.lease_owner == worker_id))
        .returning(Lease.task_id)
    )
    return bool(rows)


async def clear_lease_owner(*, task_id: str, worker_id: str) -> bool:
    """Drop the worker's hold of the task's row; False when it holds none."""
    rows = (
        await Lease.update(
            {Lease.lease_owner: None, Lease.heartbeat_at: None, Lease.lease_expires_at: None}
        )
        .where((Lease.task_id == task_id) & (Lease.lease_owner == worker_id))
        .returning(Lease.task_id)
    )
    return bool(rows)


async def delete_held_lease(*, task_id: str, worker_id: str) -> None:
    """Delete the task's row if the worker holds it."""
    await Lease.delete().where((Lease.task_id == task_id) & (Lease.lease_owner == worker_id))


async def delete_lease(task_id: str) -> None:
    """Delete the task's row, whoever holds it."""
    await Lease.delete().where(Lease.task_id == task_id)
