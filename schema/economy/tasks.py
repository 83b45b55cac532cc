"""Tasks on the graph: the viewer's tasks, claims, and admin configuration."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from resolvers.economy import tasks
from resolvers.economy.model import TaskConfig, TaskCycle, TaskStatus
from resolvers.economy.tasks import TaskConfigInput, TaskView
from schema.analytics.types import TrackingScope  # registered there, once
from schema.context import Info
from schema.economy.errors import ERRORS, EconomyErrorType
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAdmin, IsAuthenticated

strawberry.enum(TaskCycle, description="How often a task can pay: every day or every ISO week.")
strawberry.enum(TaskStatus, description="Where the viewer stands on a task in this cycle.")


@strawberry.type(description="A task as the viewer sees it in the current cycle.")
class ProfileTask:
    task_id: str = strawberry.field(description="The task's id (e.g. `daily_login`).")
    title: str = strawberry.field(description="Title.")
    description: str = strawberry.field(description="What to do.")
    event_key: str = strawberry.field(description="The tracked event that counts.")
    cycle: TaskCycle = strawberry.field(description="Daily or weekly.")
    threshold: int = strawberry.field(description="Events needed to finish.")
    reward_points: int = strawberry.field(description="Points paid on claiming.")
    cycle_day_key: int = strawberry.field(
        description="The cycle: today's day key, or that of this ISO week's Monday."
    )
    progress_count: int = strawberry.field(description="Events counted in this cycle.")
    status: TaskStatus = strawberry.field(description="In progress, completed or claimed.")

    @classmethod
    def from_view(cls, view: TaskView) -> ProfileTask:
        config = view.config
        return cls(
            task_id=config.task_id,
            title=config.title,
            description=config.description,
            event_key=config.event_key,
            cycle=config.cycle,
            threshold=config.threshold,
            reward_points=config.reward_points,
            cycle_day_key=view.cycle_day_key,
            progress_count=view.progress_count,
            status=view.status,
        )


@strawberry.type(description="A task's configuration (admins).")
class AdminTaskConfig:
    task_id: str = strawberry.field(description="The task's id.")
    title: str = strawberry.field(description="Title.")
    description: str = strawberry.field(description="What to do.")
    event_key: str = strawberry.field(description="The tracked event that counts.")
    cycle: TaskCycle = strawberry.field(description="Daily or weekly.")
    scope_kind: TrackingScope = strawberry.field(description="Scope of the counted events.")
    threshold: int = strawberry.field(description="Events needed to finish.")
    reward_points: int = strawberry.field(description="Points paid on claiming.")
    enabled: bool = strawberry.field(description="Disabled tasks are hidden and cannot pay.")
    sort_order: int = strawberry.field(description="Display order, ascending.")
    created_by: str = strawberry.field(description="Admin who created it.")
    updated_by: str = strawberry.field(description="Admin who last changed it.")
    created_at: datetime = strawberry.field(description="Creation time.")
    updated_at: datetime = strawberry.field(description="Last change.")

    @classmethod
    def from_config(cls, config: TaskConfig) -> AdminTaskConfig:
        return cls(
            task_id=config.task_id,
            title=config.title,
            description=config.description,
            event_key=config.event_key,
            cycle=config.cycle,
            scope_kind=config.scope_kind,
            threshold=config.threshold,
            reward_points=config.reward_points,
            enabled=config.enabled,
            sort_order=config.sort_order,
            created_by=config.created_by,
            updated_by=config.updated_by,
            created_at=config.created_at,
            updated_at=config.updated_at,
        )


@strawberry.input(description="A task to create or replace (by `taskId`).")
class TaskConfigUpsertInput:
    task_id: str = strawberry.field(description="1 to 64 lower-case letters, digits or `_`.")
    title: str = strawberry.field(description="1 to 64 characters.")
    event_key: str = strawberry.field(
        description="Any tracked event key (e.g. `daily_login`); each event of it counts one."
    )
    cycle: TaskCycle = strawberry.field(description="Daily or weekly (ISO weeks).")
    threshold: int = strawberry.field(description="Events needed, 1 to 10,000.")
    reward_points: int = strawberry.field(description="Points paid once per cycle, 1 to 1,000,000.")
    scope_kind: TrackingScope = strawberry.field(
        default=TrackingScope.USER, description="Scope of the counted events."
    )
    enabled: bool = strawberry.field(default=True, description="Whether it is live.")
    sort_order: int = strawberry.field(default=0, description="Display order, ascending.")
    description: str = strawberry.field(default="", description="≤ 500 characters.")


@strawberry.type(description="Result of `taskConfigUpsert`.")
class TaskConfigUpsertPayload:
    errors: list[EconomyErrorType] = strawberry.field(description=ERRORS)
    task_config: AdminTaskConfig | None = strawberry.field(description="The task, on success.")


@strawberry.type(description="A paid task reward.")
class TaskRewardClaim:
    claim_id: str = strawberry.field(description="`{userId}:{taskId}:{dayKey}`.")
    task_id: str = strawberry.field(description="The task.")
    day_key: int = strawberry.field(description="The cycle's day key.")
    reward_points: int = strawberry.field(description="Points paid.")
    wallet_ledger_id: str = strawberry.field(description="The ledger row of the payment.")


@strawberry.type(description="Result of `taskRewardClaim`.")
class TaskRewardClaimPayload:
    errors: list[EconomyErrorType] = strawberry.field(description=ERRORS)
    claim: TaskRewardClaim | None = strawberry.field(description="The claim, on success.")
    balance: int | None = strawberry.field(description="The wallet balance after payment.")


@strawberry.type
class TaskQuery:
    @strawberry.field(
        description="Every task, enabled or not, in display order (at most 200). Admins only.",
        permission_classes=[IsAdmin],
    )
    async def task_configs(self, info: Info) -> list[AdminTaskConfig]:
        rows = await tasks.task_configs(viewer=info.context.principal)
        return [AdminTaskConfig.from_config(config) for config in rows]


@strawberry.type
class TaskMutation:
    @strawberry.mutation(
        description="Create or replace a task. Admins only.",
        permission_classes=[IsAdmin],
        extensions=[DomainErrorPayload()],
    )
    async def task_config_upsert(
        self,
        info: Info,
        input: Annotated[TaskConfigUpsertInput, strawberry.argument(description="The task.")],
    ) -> TaskConfigUpsertPayload:
        row = await tasks.upsert_task_config(
            viewer=info.context.principal,
            config=TaskConfigInput(
                task_id=input.task_id,
                title=input.title,
                event_key=input.event_key,
                cycle=input.cycle,
                scope_kind=input.scope_kind,
                threshold=input.threshold,
                reward_points=input.reward_points,
                enabled=input.enabled,
                sort_order=input.sort_order,
                description=input.description,
            ),
        )
        return TaskConfigUpsertPayload(errors=[], task_config=AdminTaskConfig.from_config(row))

    @strawberry.mutation(
        description="Collect a finished task's reward: once per cycle, through the ledger "
        "(source TASK_REWARD).",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def task_reward_claim(
        self,
        info: Info,
        task_id: Annotated[str, strawberry.argument(description="The task to claim.")],
    ) -> TaskRewardClaimPayload:
        claim = await tasks.claim_task_reward(viewer=info.context.principal, task_id=task_id)
        return TaskRewardClaimPayload(
            errors=[],
            claim=TaskRewardClaim(
                claim_id=claim.claim_id,
                task_id=claim.task_id,
                day_key=claim.day_key,
                reward_points=claim.reward_points,
                wallet_ledger_id=claim.wallet_ledger_id,
            ),
            balance=claim.balance,
        )
