"""Square-hole runs: the catalog row of each run (`square_hole_runtime_run`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from db.tables.square_hole import SquareHoleRuntimeRun
from resolvers.square_hole.run_state import SquareHoleRunState

STATE_COLUMNS = (
    SquareHoleRuntimeRun.run_id,
    SquareHoleRuntimeRun.owner_user_id,
    SquareHoleRuntimeRun.profile_id,
    SquareHoleRuntimeRun.total_shape_count,
    SquareHoleRuntimeRun.completed_shape_count,
    SquareHoleRuntimeRun.score,
    SquareHoleRuntimeRun.snapshot_json,
)


async def insert_run(
    *,
    run_id: str,
    owner_user_id: str,
    profile_id: str,
    status: str,
    started_at_ms: int,
    duration_limit_ms: int,
    total_shape_count: int,
    snapshot: Mapping[str, Any],
    now: datetime,
) -> None:
    """Insert a run's catalog row at its start."""
    await SquareHoleRuntimeRun.insert(
        SquareHoleRuntimeRun(
            run_id=run_id,
            owner_user_id=owner_user_id,
            profile_id=profile_id,
            status=status,
            snapshot_version=0,
            started_at_ms=started_at_ms,
            duration_limit_ms=duration_limit_ms,
            finished_at_ms=0,
            elapsed_ms=0,
            total_shape_count=total_shape_count,
            completed_shape_count=0,
            score=0,
            snapshot_json=snapshot,
            created_at=now,
            updated_at=now,
        )
    )


async def save_drop(
    *,
    run_id: str,
    snapshot_version: int,
    elapsed_ms: int,
    completed_shape_count: int,
    score: int,
    snapshot: Mapping[str, Any],
    now: datetime,
) -> None:
    """Write a run's state after a drop."""
    await SquareHoleRuntimeRun.update(
        {
            SquareHoleRuntimeRun.snapshot_version: snapshot_version,
            SquareHoleRuntimeRun.elapsed_ms: elapsed_ms,
            SquareHoleRuntimeRun.completed_shape_count: completed_shape_count,
            SquareHoleRuntimeRun.score: score,
            SquareHoleRuntimeRun.snapshot_json: snapshot,
            SquareHoleRuntimeRun.updated_at: now,
        }
    ).where(SquareHoleRuntimeRun.run_id == run_id)


async def finish_run(
    *,
    run_id: str,
    status: str,
    snapshot_version: int,
    finished_at_ms: int,
    elapsed_ms: int,
    now: datetime,
) -> None:
    """Mirror a run's end into its catalog columns."""
    await SquareHoleRuntimeRun.update(
        {
            SquareHoleRuntimeRun.status: status,
            SquareHoleRuntimeRun.snapshot_version: snapshot_version,
            SquareHoleRuntimeRun.finished_at_ms: finished_at_ms,
            SquareHoleRuntimeRun.elapsed_ms: elapsed_ms,
            SquareHoleRuntimeRun.updated_at: now,
        }
    ).where(SquareHoleRuntimeRun.run_id == run_id)


async def run_states(run_ids: Sequence[str]) -> dict[str, SquareHoleRunState]:
    """Runs' play states (one statement; none for no ids)."""
    if not run_ids:
        return {}
    rows = (
        await SquareHoleRuntimeRun.select(*STATE_COLUMNS)
        .where(SquareHoleRuntimeRun.run_id.is_in(list(run_ids)))
        .output(load_json=True)
    )
    return {row["run_id"]: SquareHoleRunState.from_row(row) for row in rows}
