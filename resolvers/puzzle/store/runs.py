"""Puzzle's run statements: the run's play state, its row in `puzzle_runtime_run`
(resolvers/puzzle/runs.py has the rules)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from db.tables.puzzle import PuzzleRuntimeRun
from resolvers.play_types.rows import as_json
from resolvers.puzzle.run_state import PuzzleRunState

Run = PuzzleRuntimeRun


async def run_state(run_id: str) -> PuzzleRunState | None:
    """A run's play state."""
    row = await Run.select().where(Run.run_id == run_id).output(load_json=True).first()
    return PuzzleRunState.from_row(row) if row is not None else None


async def run_states(run_ids: Sequence[str]) -> dict[str, PuzzleRunState]:
    """Runs' play states by run id, one statement (none for no ids)."""
    if not run_ids:
        return {}
    rows = await Run.select().where(Run.run_id.is_in(list(run_ids))).output(load_json=True)
    return {row["run_id"]: PuzzleRunState.from_row(row) for row in rows}


async def insert_run(
    *,
    run_id: str,
    owner_user_id: str,
    work_id: str,
    grid_size: int,
    snapshot: dict[str, Any],
    now: datetime,
) -> None:
    """A run's state at its start: the first level of the work, nothing cleared."""
    await Run.insert(
        Run(
            run_id=run_id,
            owner_user_id=owner_user_id,
            entry_profile_id=work_id,
            current_profile_id=work_id,
            cleared_level_count=0,
            current_level_index=0,
            current_grid_size=grid_size,
            played_profile_ids_json=as_json([]),
            previous_level_tags_json=as_json([]),
            snapshot_json=as_json(snapshot),
            created_at=now,
            updated_at=now,
        )
    )


async def set_run_state(
    *,
    run_id: str,
    cleared_level_count: int,
    level_index: int,
    grid_size: int,
    played_profile_ids: list[str],
    previous_level_tags: list[str],
    snapshot: dict[str, Any],
    now: datetime,
) -> None:
    """Write a run's state after an action."""
    # Raw: every puzzle action writes it (bench/runs.py); building it costs about 150 µs
    # of CPU more per call.
    await Run.raw(
        "UPDATE puzzle_runtime_run SET cleared_level_count = {}, current_level_index = {}, "
        "current_grid_size = {}, played_profile_ids_json = {}, "
        "previous_level_tags_json = {}, snapshot_json = {}, updated_at = {} "
        "WHERE run_id = {}",
        cleared_level_count,
        level_index,
        grid_size,
        as_json(played_profile_ids),
        as_json(previous_level_tags),
        as_json(snapshot),
        now,
        run_id,
    )
