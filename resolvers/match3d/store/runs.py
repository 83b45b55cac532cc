"""Match3D's run statements: the run's row in `match3d_runtime_run`, its play state and
the status columns mirroring `runs_run` (resolvers/match3d/runs.py has the rules)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from db.tables.match3d import Match3dRuntimeRun
from resolvers.match3d.run_state import Match3dRunState

Run = Match3dRuntimeRun
STATE_COLUMNS = (
    Run.run_id,
    Run.profile_id,
    Run.clear_count,
    Run.total_item_count,
    Run.cleared_item_count,
    Run.snapshot_json,
)


async def insert_run(
    *,
    run_id: str,
    owner_user_id: str,
    work_id: str,
    status: str,
    started_at_ms: int,
    duration_limit_ms: int,
    total_item_count: int,
    snapshot: dict[str, Any],
    now: datetime,
) -> None:
    """A run's row at its start: nothing cleared, not finished."""
    await Run.insert(
        Run(
            run_id=run_id,
            owner_user_id=owner_user_id,
            profile_id=work_id,
            status=status,
            snapshot_version=0,
            started_at_ms=started_at_ms,
            duration_limit_ms=duration_limit_ms,
            finished_at_ms=0,
            elapsed_ms=0,
            clear_count=0,
            total_item_count=total_item_count,
            cleared_item_count=0,
            failure_reason="",
            snapshot_json=snapshot,
            created_at=now,
            updated_at=now,
        )
    )


async def set_play_state(
    *,
    run_id: str,
    snapshot_version: int,
    clear_count: int,
    cleared_item_count: int,
    elapsed_ms: int,
    snapshot: dict[str, Any],
    now: datetime,
) -> None:
    """Write a run's play state after an action."""
    await Run.update(
        {
            Run.snapshot_version: snapshot_version,
            Run.clear_count: clear_count,
            Run.cleared_item_count: cleared_item_count,
            Run.elapsed_ms: elapsed_ms,
            Run.snapshot_json: snapshot,
            Run.updated_at: now,
        }
    ).where(Run.run_id == run_id)


async def set_finished(
    *,
    run_id: str,
    status: str,
    snapshot_version: int,
    finished_at_ms: int,
    elapsed_ms: int,
    failure_reason: str,
    now: datetime,
) -> None:
    """Mirror a run's end into its status columns (the play state stays)."""
    await Run.update(
        {
            Run.status: status,
            Run.snapshot_version: snapshot_version,
            Run.finished_at_ms: finished_at_ms,
            Run.elapsed_ms: elapsed_ms,
            Run.failure_reason: failure_reason,
            Run.updated_at: now,
        }
    ).where(Run.run_id == run_id)


async def run_states(run_ids: Sequence[str]) -> dict[str, Match3dRunState]:
    """Runs' play states by run id, one statement (none for no ids)."""
    if not run_ids:
        return {}
    rows = (
        await Run.select(*STATE_COLUMNS)
        .where(Run.run_id.is_in(list(run_ids)))
        .output(load_json=True)
    )
    return {row["run_id"]: Match3dRunState.from_row(row) for row in rows}
