"""Daily and weekly tasks: admin configuration, progress from tracked events, claims.

Progress advances inside the tracking transaction (`advance_task_progress`), one upsert per
listening task. A claim is settled by `INSERT … ON CONFLICT DO NOTHING` on the claim id
`{user_id}:{task_id}:{day_key}` (a weekly task's day key is its ISO week's Monday), so
concurrent claims pay once; the payment goes through `apply_wallet_change` in the same
transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from db.tables.economy import ProfileTaskConfig, ProfileTaskProgress, ProfileTaskRewardClaim
from db.transactions import write_transaction
from resolvers import clock
from resolvers.analytics.calendar import day_key_of, week_start_day_key
from resolvers.analytics.scopes import EVENT_KEY, EVENT_KEY_RULE, TrackingScope
from resolvers.economy.errors import EconomyError, EconomyErrorCode
from resolvers.economy.wallet import LedgerSource, apply_wallet_change
from resolvers.principal import Principal

TASK_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
TITLE_MAX = 64
DESCRIPTION_MAX = 500
THRESHOLD_MAX = 10_000
REWARD_MAX = 1_000_000
MAX_TASKS = 200


class TaskCycle(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"


class TaskStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CLAIMED = "claimed"


def cycle_day_key(cycle: str, day_key: int) -> int:
    """The day key naming the cycle: the day itself, or the Monday of its ISO week."""
    return week_start_day_key(day_key) if cycle == TaskCycle.WEEKLY.value else day_key


def cycle_id(user_id: str, task_id: str, cycle_key: int) -> str:
    """Progress and claim id: `{user_id}:{task_id}:{day_key}`."""
    return f"{user_id}:{task_id}:{cycle_key}"


@dataclass(frozen=True, slots=True)
class TaskConfigInput:
    task_id: str
    title: str
    event_key: str
    cycle: TaskCycle
    scope_kind: TrackingScope
    threshold: int
    reward_points: int
    enabled: bool = True
    sort_order: int = 0
    description: str = ""


def _invalid(message: str, field: str) -> EconomyError:
    return EconomyError(EconomyErrorCode.TASK_CONFIG_INVALID, message, field=field)


def _validate(config: TaskConfigInput) -> None:
    if not TASK_ID.match(config.task_id):
        raise _invalid("Task ids have 1 to 64 lower-case letters, digits or `_`.", "taskId")
    if not 1 <= len(config.title.strip()) <= TITLE_MAX:
        raise _invalid(f"Titles have 1 to {TITLE_MAX} characters.", "title")
    if len(config.description) > DESCRIPTION_MAX:
        raise _invalid(f"Descriptions have at most {DESCRIPTION_MAX} characters.", "description")
    if not EVENT_KEY.match(config.event_key):
        raise _invalid(f"Event keys have {EVENT_KEY_RULE}.", "eventKey")
    if not 1 <= config.threshold <= THRESHOLD_MAX:
        raise _invalid(f"Thresholds are 1 to {THRESHOLD_MAX}.", "threshold")
    if not 1 <= config.reward_points <= REWARD_MAX:
        raise _invalid(f"Rewards are 1 to {REWARD_MAX} points.", "rewardPoints")


async def upsert_task_config(*, viewer: Principal, config: TaskConfigInput) -> dict[str, Any]:
    """Create or replace a task (admins); progress already made in the cycle is kept."""
    admin_id = viewer.require_admin()
    _validate(config)
    now = clock.now()
    async with write_transaction():
        rows = await ProfileTaskConfig.raw(
            "INSERT INTO profile_task_config (task_id, title, description, event_key, cycle, "
            "scope_kind, threshold, reward_points, enabled, sort_order, created_by, created_at, "
            "updated_by, updated_at) "
            "VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}) "
            "ON CONFLICT (task_id) DO UPDATE SET title = excluded.title, "
            "description = excluded.description, event_key = excluded.event_key, "
            "cycle = excluded.cycle, scope_kind = excluded.scope_kind, "
            "threshold = excluded.threshold, reward_points = excluded.reward_points, "
            "enabled = excluded.enabled, sort_order = excluded.sort_order, "
            "updated_by = excluded.updated_by, updated_at = excluded.updated_at "
            "RETURNING task_id",
            config.task_id,
            config.title.strip(),
            config.description,
            config.event_key,
            config.cycle.value,
            config.scope_kind.value,
            config.threshold,
            config.reward_points,
            config.enabled,
            config.sort_order,
            admin_id,
            now,
            admin_id,
            now,
        )
        row = await _config(rows[0]["task_id"])
    assert row is not None
    return row


async def _config(task_id: str) -> dict[str, Any] | None:
    return await ProfileTaskConfig.select().where(ProfileTaskConfig.task_id == task_id).first()


async def task_configs(*, viewer: Principal) -> list[dict[str, Any]]:
    """Every task, enabled or not, in display order (admins; at most 200)."""
    viewer.require_admin()
    return await (
        ProfileTaskConfig.select()
        .order_by(ProfileTaskConfig.sort_order)
        .order_by(ProfileTaskConfig.task_id)
        .limit(MAX_TASKS)
    )


async def advance_task_progress(
    *, user_id: str, event_key: str, scope_kind: str, day_key: int
) -> None:
    """Count one event towards every enabled task on `event_key` and `scope_kind`.

    Runs in the tracking transaction; one conditional upsert per task, so concurrent events
    never lose a count. A claimed cycle stays claimed.
    """
    Config = ProfileTaskConfig
    tasks = await Config.select(Config.task_id, Config.cycle, Config.threshold).where(
        (Config.event_key == event_key)
        & (Config.scope_kind == scope_kind)
        & (Config.enabled == True)  # noqa: E712
    )
    now = clock.now()
    for task in tasks:
        cycle_key = cycle_day_key(task["cycle"], day_key)
        await ProfileTaskProgress.raw(
            "INSERT INTO profile_task_progress (progress_id, user_id, task_id, day_key, "
            "progress_count, threshold, status, updated_at) VALUES ({}, {}, {}, {}, 1, {}, {}, {}) "
            "ON CONFLICT (progress_id) DO UPDATE SET "
            "progress_count = profile_task_progress.progress_count + 1, "
            "threshold = excluded.threshold, status = CASE "
            "WHEN profile_task_progress.status = {} THEN profile_task_progress.status "
            "WHEN profile_task_progress.progress_count + 1 >= excluded.threshold THEN {} "
            "ELSE {} END, updated_at = excluded.updated_at",
            cycle_id(user_id, task["task_id"], cycle_key),
            user_id,
            task["task_id"],
            cycle_key,
            task["threshold"],
            (TaskStatus.COMPLETED if task["threshold"] <= 1 else TaskStatus.IN_PROGRESS).value,
            now,
            TaskStatus.CLAIMED.value,
            TaskStatus.COMPLETED.value,
            TaskStatus.IN_PROGRESS.value,
        )


@dataclass(frozen=True, slots=True)
class TaskView:
    """A task as the viewer sees it in the current cycle."""

    config: dict[str, Any]
    cycle_day_key: int
    progress_count: int
    status: TaskStatus
    claimed: bool


async def viewer_tasks(*, user_id: str) -> list[TaskView]:
    """Enabled tasks in display order with the viewer's progress this cycle (3 statements)."""
    Config = ProfileTaskConfig
    configs = await (
        Config.select()
        .where(Config.enabled == True)  # noqa: E712
        .order_by(Config.sort_order)
        .order_by(Config.task_id)
        .limit(MAX_TASKS)
    )
    today = day_key_of(clock.now())
    ids = {
        config["task_id"]: cycle_id(
            user_id, config["task_id"], cycle_day_key(config["cycle"], today)
        )
        for config in configs
    }
    progress: dict[str, dict[str, Any]] = {}
    claimed: set[str] = set()
    if ids:
        rows = await ProfileTaskProgress.select().where(
            ProfileTaskProgress.progress_id.is_in(list(ids.values()))
        )
        progress = {row["progress_id"]: row for row in rows}
        claims = await ProfileTaskRewardClaim.select(ProfileTaskRewardClaim.claim_id).where(
            ProfileTaskRewardClaim.claim_id.is_in(list(ids.values()))
        )
        claimed = {row["claim_id"] for row in claims}
    views = []
    for config in configs:
        key = ids[config["task_id"]]
        count = int(progress[key]["progress_count"]) if key in progress else 0
        if key in claimed:
            status = TaskStatus.CLAIMED
        elif count >= config["threshold"]:
            status = TaskStatus.COMPLETED
        else:
            status = TaskStatus.IN_PROGRESS
        views.append(
            TaskView(
                config=config,
                cycle_day_key=cycle_day_key(config["cycle"], today),
                progress_count=count,
                status=status,
                claimed=key in claimed,
            )
        )
    return views


@dataclass(frozen=True, slots=True)
class TaskClaim:
    claim_id: str
    task_id: str
    day_key: int
    reward_points: int
    wallet_ledger_id: str
    balance: int


async def claim_task_reward(*, viewer: Principal, task_id: str) -> TaskClaim:
    """Pay a finished task once per cycle; concurrent claims pay once."""
    user_id = viewer.require_user()
    today = day_key_of(clock.now())
    async with write_transaction():
        config = await _config(task_id)
        if config is None or not config["enabled"]:
            raise EconomyError(EconomyErrorCode.TASK_NOT_FOUND, "No such task.", field="taskId")
        cycle_key = cycle_day_key(config["cycle"], today)
        claim_id = cycle_id(user_id, task_id, cycle_key)
        progress = (
            await ProfileTaskProgress.select(ProfileTaskProgress.progress_count)
            .where(ProfileTaskProgress.progress_id == claim_id)
            .first()
        )
        if progress is None or progress["progress_count"] < config["threshold"]:
            raise EconomyError(
                EconomyErrorCode.TASK_NOT_COMPLETED,
                "This task is not finished yet in this cycle.",
                field="taskId",
            )
        ledger_id = f"task-reward:{claim_id}"
        inserted = await ProfileTaskRewardClaim.raw(
            "INSERT INTO profile_task_reward_claim (claim_id, user_id, task_id, day_key, "
            "reward_points, wallet_ledger_id, claimed_at) VALUES ({}, {}, {}, {}, {}, {}, {}) "
            "ON CONFLICT (claim_id) DO NOTHING RETURNING claim_id",
            claim_id,
            user_id,
            task_id,
            cycle_key,
            config["reward_points"],
            ledger_id,
            clock.now(),
        )
        if not inserted:
            raise EconomyError(
                EconomyErrorCode.TASK_ALREADY_CLAIMED,
                "This task was already claimed in this cycle.",
                field="taskId",
            )
        change = await apply_wallet_change(
            user_id=user_id,
            ledger_id=ledger_id,
            delta=int(config["reward_points"]),
            source=LedgerSource.TASK_REWARD,
        )
        await ProfileTaskProgress.update(
            {ProfileTaskProgress.status: TaskStatus.CLAIMED.value}
        ).where(ProfileTaskProgress.progress_id == claim_id)
    return TaskClaim(
        claim_id=claim_id,
        task_id=task_id,
        day_key=cycle_key,
        reward_points=int(config["reward_points"]),
        wallet_ledger_id=ledger_id,
        balance=change.balance,
    )
