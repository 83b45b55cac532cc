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

from db.transactions import write_transaction
from resolvers import clock
from resolvers.analytics.calendar import day_key_of, week_start_day_key
from resolvers.analytics.scopes import EVENT_KEY, EVENT_KEY_RULE, TrackingScope
from resolvers.economy.errors import EconomyError, EconomyErrorCode
from resolvers.economy.model import TaskConfig
from resolvers.economy.model import TaskCycle as TaskCycle  # re-exported
from resolvers.economy.model import TaskStatus as TaskStatus  # re-exported
from resolvers.economy.store import tasks as store
from resolvers.economy.wallet import LedgerSource, apply_wallet_change
from resolvers.principal import Principal

TASK_ID = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
TITLE_MAX = 64
DESCRIPTION_MAX = 500
THRESHOLD_MAX = 10_000
REWARD_MAX = 1_000_000
MAX_TASKS = 200


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


async def upsert_task_config(*, viewer: Principal, config: TaskConfigInput) -> TaskConfig:
    """Create or replace a task (admins); progress already made in the cycle is kept."""
    admin_id = viewer.require_admin()
    _validate(config)
    now = clock.now()
    async with write_transaction():
        return await store.upsert_config(
            task_id=config.task_id,
            title=config.title.strip(),
            description=config.description,
            event_key=config.event_key,
            cycle=config.cycle.value,
            scope_kind=config.scope_kind.value,
            threshold=config.threshold,
            reward_points=config.reward_points,
            enabled=config.enabled,
            sort_order=config.sort_order,
            admin_id=admin_id,
            now=now,
        )


async def task_configs(*, viewer: Principal) -> list[TaskConfig]:
    """Every task, enabled or not, in display order (admins; at most 200)."""
    viewer.require_admin()
    return await store.configs(enabled_only=False, limit=MAX_TASKS)


async def advance_task_progress(
    *, user_id: str, event_key: str, scope_kind: str, day_key: int
) -> None:
    """Count one event towards every enabled task on `event_key` and `scope_kind`.

    Runs in the tracking transaction; one conditional upsert per task, so concurrent events
    never lose a count. A claimed cycle stays claimed.
    """
    tasks = await store.listening_tasks(event_key=event_key, scope_kind=scope_kind)
    now = clock.now()
    for task_id, cycle, threshold in tasks:
        cycle_key = cycle_day_key(cycle, day_key)
        await store.count_progress(
            progress_id=cycle_id(user_id, task_id, cycle_key),
            user_id=user_id,
            task_id=task_id,
            cycle_key=cycle_key,
            threshold=threshold,
            now=now,
        )


@dataclass(frozen=True, slots=True)
class TaskView:
    """A task as the viewer sees it in the current cycle."""

    config: TaskConfig
    cycle_day_key: int
    progress_count: int
    status: TaskStatus
    claimed: bool


async def viewer_tasks(*, user_id: str) -> list[TaskView]:
    """Enabled tasks in display order with the viewer's progress this cycle (3 statements)."""
    configs = await store.configs(enabled_only=True, limit=MAX_TASKS)
    today = day_key_of(clock.now())
    ids = {
        config.task_id: cycle_id(user_id, config.task_id, cycle_day_key(config.cycle, today))
        for config in configs
    }
    progress: dict[str, int] = {}
    claimed: set[str] = set()
    if ids:
        progress = await store.progress_counts(list(ids.values()))
        claimed = await store.claimed_ids(list(ids.values()))
    views = []
    for config in configs:
        key = ids[config.task_id]
        count = progress.get(key, 0)
        if key in claimed:
            status = TaskStatus.CLAIMED
        elif count >= config.threshold:
            status = TaskStatus.COMPLETED
        else:
            status = TaskStatus.IN_PROGRESS
        views.append(
            TaskView(
                config=config,
                cycle_day_key=cycle_day_key(config.cycle, today),
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
        config = await store.config_of(task_id)
        if config is None or not config.enabled:
            raise EconomyError(EconomyErrorCode.TASK_NOT_FOUND, "No such task.", field="taskId")
        cycle_key = cycle_day_key(config.cycle, today)
        claim_id = cycle_id(user_id, task_id, cycle_key)
        progress = await store.progress_count(claim_id)
        if progress is None or progress < config.threshold:
            raise EconomyError(
                EconomyErrorCode.TASK_NOT_COMPLETED,
                "This task is not finished yet in this cycle.",
                field="taskId",
            )
        ledger_id = f"task-reward:{claim_id}"
        inserted = await store.insert_claim(
            claim_id=claim_id,
            user_id=user_id,
            task_id=task_id,
            day_key=cycle_key,
            reward_points=config.reward_points,
            wallet_ledger_id=ledger_id,
            now=clock.now(),
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
            delta=config.reward_points,
            source=LedgerSource.TASK_REWARD,
        )
        await store.mark_claimed(claim_id)
    return TaskClaim(
        claim_id=claim_id,
        task_id=task_id,
        day_key=cycle_key,
        reward_points=config.reward_points,
        wallet_ledger_id=ledger_id,
        balance=change.balance,
    )
