"""The task statements of the economy: configurations, progress and reward claims.

Progress moves by one conditional upsert per task and a claim is an `INSERT … ON CONFLICT
DO NOTHING` on its cycle id, so concurrent events never lose a count and concurrent claims
pay once; all run inside the caller's `write_transaction()`.
"""

from __future__ import annotations

from datetime import datetime

from db.tables.economy import ProfileTaskConfig, ProfileTaskProgress, ProfileTaskRewardClaim
from resolvers.economy.model import TaskConfig, TaskStatus

Config = ProfileTaskConfig
Progress = ProfileTaskProgress
Claim = ProfileTaskRewardClaim


async def upsert_config(
    *,
    task_id: str,
    title: str,
    description: str,
    event_key: str,
    cycle: str,
    scope_kind: str,
    threshold: int,
    reward_points: int,
    enabled: bool,
    sort_order: int,
    admin_id: str,
    now: datetime,
) -> TaskConfig:
    """Create the task or replace its settings (creator and creation time kept)."""
    row = Config(
        task_id=task_id,
        title=title,
        description=description,
        event_key=event_key,
        cycle=cycle,
        scope_kind=scope_kind,
        threshold=threshold,
        reward_points=reward_points,
        enabled=enabled,
        sort_order=sort_order,
        created_by=admin_id,
        created_at=now,
        updated_by=admin_id,
        updated_at=now,
    )
    returned = await (
        Config.insert(row)
        .on_conflict(
            target=Config.task_id,
            action="DO UPDATE",
            values=[
                Config.title,
                Config.description,
                Config.event_key,
                Config.cycle,
                Config.scope_kind,
                Config.threshold,
                Config.reward_points,
                Config.enabled,
                Config.sort_order,
                Config.updated_by,
                Config.updated_at,
            ],
        )
        .returning(Config.task_id)
        .run()
    )
    stored = await config_of(returned[0]["task_id"])
    assert stored is not None
    return stored


async def config_of(task_id: str) -> TaskConfig | None:
    """The task's configuration, if it exists."""
    row = await Config.select().where(Config.task_id == task_id).first()
    return TaskConfig.from_row(row) if row is not None else None


async def configs(*, enabled_only: bool, limit: int) -> list[TaskConfig]:
    """Tasks in display order (sort order, then id)."""
    query = Config.select()
    if enabled_only:
        query = query.where(Config.enabled == True)  # noqa: E712
    rows = await query.order_by(Config.sort_order).order_by(Config.task_id).limit(limit)
    return [TaskConfig.from_row(row) for row in rows]


async def listening_tasks(*, event_key: str, scope_kind: str) -> list[tuple[str, str, int]]:
    """(task id, cycle, threshold) of every enabled task counting `event_key` in `scope_kind`."""
    rows = await Config.select(Config.task_id, Config.cycle, Config.threshold).where(
        (Config.event_key == event_key)
        & (Config.scope_kind == scope_kind)
        & (Config.enabled == True)  # noqa: E712
    )
    return [(row["task_id"], row["cycle"], int(row["threshold"])) for row in rows]


async def count_progress(
    *,
    progress_id: str,
    user_id: str,
    task_id: str,
    cycle_key: int,
    threshold: int,
    now: datetime,
) -> None:
    """One more event in the cycle; the status follows the count, a claimed cycle stays so."""
    # Raw: a conditional upsert (status by CASE on the stored row) on_conflict cannot express.
    await Progress.raw(
        "INSERT INTO profile_task_progress (progress_id, user_id, task_id, day_key, "
        "progress_count, threshold, status, updated_at) VALUES ({}, {}, {}, {}, 1, {}, {}, {}) "
        "ON CONFLICT (progress_id) DO UPDATE SET "
        "progress_count = profile_task_progress.progress_count + 1, "
        "threshold = excluded.threshold, status = CASE "
        "WHEN profile_task_progress.status = {} THEN profile_task_progress.status "
        "WHEN profile_task_progress.progress_count + 1 >= excluded.threshold THEN {} "
        "ELSE {} END, updated_at = excluded.updated_at",
        progress_id,
        user_id,
        task_id,
        cycle_key,
        threshold,
        (TaskStatus.COMPLETED if threshold <= 1 else TaskStatus.IN_PROGRESS).value,
        now,
        TaskStatus.CLAIMED.value,
        TaskStatus.COMPLETED.value,
        TaskStatus.IN_PROGRESS.value,
    )


async def progress_counts(progress_ids: list[str]) -> dict[str, int]:
    """Progress id -> count, for the ids that have progress."""
    rows = await Progress.select(Progress.progress_id, Progress.progress_count).where(
        Progress.progress_id.is_in(progress_ids)
    )
    return {row["progress_id"]: int(row["progress_count"]) for row in rows}


async def progress_count(progress_id: str) -> int | None:
    """The cycle's count, or None before its first event."""
    row = (
        await Progress.select(Progress.progress_count)
        .where(Progress.progress_id == progress_id)
        .first()
    )
    return int(row["progress_count"]) if row is not None else None


async def claimed_ids(claim_ids: list[str]) -> set[str]:
    """The ids among `claim_ids` that were claimed."""
    rows = await Claim.select(Claim.claim_id).where(Claim.claim_id.is_in(claim_ids))
    return {row["claim_id"] for row in rows}


async def insert_claim(
    *,
    claim_id: str,
    user_id: str,
    task_id: str,
    day_key: int,
    reward_points: int,
    wallet_ledger_id: str,
    now: datetime,
) -> bool:
    """Claim the cycle; False when it was claimed already."""
    row = Claim(
        claim_id=claim_id,
        user_id=user_id,
        task_id=task_id,
        day_key=day_key,
        reward_points=reward_points,
        wallet_ledger_id=wallet_ledger_id,
        claimed_at=now,
    )
    inserted = await (
        Claim.insert(row)
        .on_conflict(target=Claim.claim_id, action="DO NOTHING")
        .returning(Claim.claim_id)
        .run()
    )
    return bool(inserted)


async def mark_claimed(progress_id: str) -> None:
    """Mark the cycle's progress claimed."""
    await Progress.update({Progress.status: TaskStatus.CLAIMED.value}).where(
        Progress.progress_id == progress_id
    )
