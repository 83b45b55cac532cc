"""The runtime rows' statements (`big_fish_runtime_run`): the run's world as the ticker
saves it, its lease and the player's steering. Each write is one conditional statement,
so a lost lease or a finished run matches nothing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from piccolo.query.functions import Case, When

from db.tables.big_fish import BigFishRuntimeRun
from resolvers.big_fish.model import BigFishRunStatus
from resolvers.big_fish.run_rows import BigFishRunRow
from resolvers.big_fish.store.sessions import as_json

Run = BigFishRuntimeRun
LIVE = [BigFishRunStatus.RUNNING.value, BigFishRunStatus.PAUSED.value]


async def insert_run(
    *, run_id: str, session_id: str, owner_user_id: str, seed: int, world: Any, now: datetime
) -> None:
    """A RUNNING runtime row with the world at tick 0 and no lease."""
    await Run.insert(
        Run(
            run_id=run_id,
            session_id=session_id,
            owner_user_id=owner_user_id,
            status=BigFishRunStatus.RUNNING.value,
            snapshot_json=as_json(world),
            last_input_x=0,
            last_input_y=0,
            tick=0,
            created_at=now,
            updated_at=now,
            seed=seed,
            lease_owner=None,
            lease_expires_at=None,
            saved_at=now,
            finished_at=None,
            input_second=0,
            input_count=0,
        )
    ).returning(*Run.all_columns())


async def runs_by_id(run_ids: Sequence[str]) -> dict[str, BigFishRunRow]:
    if not run_ids:
        return {}
    rows = await Run.select(*Run.all_columns()).where(Run.run_id.is_in(list(run_ids)))
    return {row["run_id"]: BigFishRunRow.from_row(row) for row in rows}


async def claim_lease(
    *, run_id: str, holder: str, lease_seconds: float, now: datetime
) -> BigFishRunRow | None:
    """Take a live run's lease when free, expired or already the holder's (the run is
    RUNNING again); the row after, or None."""
    rows = (
        await Run.update(
            {
                Run.lease_owner: holder,
                Run.lease_expires_at: now + timedelta(seconds=lease_seconds),
                Run.status: BigFishRunStatus.RUNNING.value,
                Run.updated_at: now,
            }
        )
        .where(
            (Run.run_id == run_id)
            & Run.status.is_in(LIVE)
            & (
                Run.lease_owner.is_null()
                | (Run.lease_owner == holder)
                | (Run.lease_expires_at < now)
            )
        )
        .returning(*Run.all_columns())
    )
    return BigFishRunRow.from_row(rows[0]) if rows else None


async def save_world(
    *,
    run_id: str,
    holder: str,
    world: dict[str, Any],
    status: BigFishRunStatus,
    finished: bool,
    now: datetime,
    lease_seconds: float,
) -> bool:
    """The runtime row's save: only while `holder` has the lease and the run is RUNNING (a
    RUNNING save renews the lease, any other releases it). Whether it was saved."""
    keeps = status is BigFishRunStatus.RUNNING
    rows = (
        await Run.update(
            {
                Run.snapshot_json: as_json(world),
                Run.tick: int(world["tick"]),
                Run.status: status.value,
                Run.saved_at: now,
                Run.updated_at: now,
                Run.lease_owner: holder if keeps else None,
                Run.lease_expires_at: now + timedelta(seconds=lease_seconds) if keeps else None,
                Run.finished_at: now if finished else None,
            }
        )
        .where(
            (Run.run_id == run_id)
            & (Run.lease_owner == holder)
            & (Run.status == BigFishRunStatus.RUNNING.value)
        )
        .returning(Run.run_id)
    )
    return bool(rows)


async def abandon(*, run_id: str, now: datetime) -> None:
    """A live run ends ABANDONED and drops its lease."""
    await Run.update(
        {
            Run.status: BigFishRunStatus.ABANDONED.value,
            Run.finished_at: now,
            Run.updated_at: now,
            Run.lease_owner: None,
            Run.lease_expires_at: None,
        }
    ).where((Run.run_id == run_id) & Run.status.is_in(LIVE))


async def steer(
    *,
    run_id: str,
    owner_user_id: str,
    x: float,
    y: float,
    second: int,
    inputs_per_second: int,
    now: datetime,
) -> BigFishRunRow | None:
    """The owner's live run takes a new direction, counted in the current second; None when
    no such live run or the second's inputs are used up."""
    rows = (
        await Run.update(
            {
                Run.last_input_x: x,
                Run.last_input_y: y,
                Run.updated_at: now,
                # A new second starts its count again.
                Run.input_count: Case(
                    When(Run.input_second == second, Run.input_count + 1), default=1
                ),
                Run.input_second: second,
            }
        )
        .where(
            (Run.run_id == run_id)
            & (Run.owner_user_id == owner_user_id)
            & Run.status.is_in(LIVE)
            & ((Run.input_second != second) | (Run.input_count < inputs_per_second))
        )
        .returning(*Run.all_columns())
    )
    return BigFishRunRow.from_row(rows[0]) if rows else None
