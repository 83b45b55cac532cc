"""Puzzle runs on the graph: `PuzzleRun` (the `Run` interface with the puzzle's state) and
`puzzleRunSwap`, the puzzle's one action (resolvers/puzzle/runs.py).

A run starts with `runStart(input: {playType: PUZZLE, workId, mode})` and ends with
`runAbandon` (schema/runs/mutations.py). A swap names the run's current
`snapshotVersion`; a refusal returns `errors` (and `currentSnapshotVersion` when stale)
and writes nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from resolvers.gallery.play_types import PlayType
from resolvers.puzzle import grids
from resolvers.puzzle.run_state import PuzzleRunState
from resolvers.runs import lifecycle
from resolvers.runs import model as runs_model
from schema.context import Info
from schema.ids import object_id
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAuthenticated
from schema.runs.types import Run, RunErrorType, RunLoaders, build_runs

POSITION = "A tile's position on the current grid: 0 to n²-1, row by row (n: the grid size)."


@strawberry.type(description="One level of a puzzle run, in play order.")
class PuzzleRunLevel:
    level_id: strawberry.ID = strawberry.field(description="The level's id in the work.")
    name: str = strawberry.field(description="The level's name (up to 60 characters).")
    grid_size: int = strawberry.field(description="Pieces per side, 3 to 8.")
    elapsed_ms: int | None = strawberry.field(
        description="How long solving it took, in milliseconds (from its first grid to the "
        "solving swap); null until it is solved."
    )


@strawberry.type(
    description="A run of a puzzle work: its levels in order, each dealt as a shuffled grid "
    "the player solves by swapping tiles (`puzzleRunSwap`); the run is WON when the last "
    "level is solved."
)
class PuzzleRun(Run):
    levels: list[PuzzleRunLevel] = strawberry.field(
        description="The run's levels (taken from the work when it started), in play order."
    )
    current_level_index: int = strawberry.field(
        description="The level being played (0-based); the last level once the run is won."
    )
    cleared_level_count: int = strawberry.field(description="Levels solved so far.")
    current_grid_size: int = strawberry.field(
        description="The current level's grid size n (3 to 8): `tiles` has n² entries."
    )
    tiles: list[int] = strawberry.field(
        description="The current grid, row by row: `tiles[position]` is the tile lying at "
        "that position (tiles are numbered by their home position, 0 to n²-1). Solved when "
        "every tile is home (`tiles[i] == i`)."
    )
    level_started_at: datetime | None = strawberry.field(
        description="When the current level's grid was dealt (its time counts from then)."
    )
    level_times_ms: list[int] = strawberry.field(
        description="Each solved level's time in milliseconds, in order."
    )
    played_work_ids: list[strawberry.ID] = strawberry.field(
        description="The works whose levels this run has solved (the catalog's "
        "`played_profile_ids_json`)."
    )
    previous_level_tags: list[str] = strawberry.field(
        description="The tags of the last solved level's work (empty before the first solve)."
    )

    @classmethod
    def from_run(
        cls, run: runs_model.Run, state: PuzzleRunState | None, loaders: RunLoaders
    ) -> PuzzleRun:
        fields = Run.run_fields(run, loaders)
        if state is None:
            # A run without a puzzle state: nothing dealt.
            return cls(
                **fields,
                levels=[],
                current_level_index=0,
                cleared_level_count=0,
                current_grid_size=0,
                tiles=[],
                level_started_at=None,
                level_times_ms=[],
                played_work_ids=[],
                previous_level_tags=[],
            )
        snapshot = state.snapshot
        times = snapshot.level_times_ms
        return cls(
            **fields,
            levels=[
                PuzzleRunLevel(
                    level_id=strawberry.ID(level.level_id),
                    name=level.name,
                    grid_size=level.grid_size,
                    elapsed_ms=times[index] if index < len(times) else None,
                )
                for index, level in enumerate(snapshot.levels)
            ],
            current_level_index=state.current_level_index,
            cleared_level_count=state.cleared_level_count,
            current_grid_size=state.current_grid_size,
            tiles=list(snapshot.tiles),
            level_started_at=snapshot.level_started_at,
            level_times_ms=list(times),
            played_work_ids=[strawberry.ID(work_id) for work_id in state.played_profile_ids_json],
            previous_level_tags=list(state.previous_level_tags_json),
        )


@strawberry.type(description="What `puzzleRunSwap` did.")
class PuzzleRunSwapPayload:
    errors: list[RunErrorType] = strawberry.field(
        description="Empty on success; otherwise why nothing was written (ILLEGAL_MOVE: a "
        "position outside the grid or a tile swapped with itself; SNAPSHOT_STALE; "
        "RUN_FINISHED)."
    )
    run: PuzzleRun | None = strawberry.field(
        description="The run after the swap (the next level dealt when it solved one; WON "
        "after the last); null when refused."
    )
    current_snapshot_version: int | None = strawberry.field(
        default=None,
        description="On a SNAPSHOT_STALE or RUN_FINISHED refusal: the run's current "
        "`snapshotVersion` (read the run again and retry from it); null otherwise.",
    )


@strawberry.type
class PuzzleRunMutation:
    @strawberry.mutation(
        description="Swap the tiles at positions `a` and `b` of your puzzle run's current "
        "grid. The server checks the swap against the run (`expectedSnapshotVersion` must be "
        "its current one), detects the solve, records the level's time (in PLAY mode also "
        "on the leaderboard of the work and grid size), deals the next level, and wins the "
        "run after the last one. A missing run or another user's is NOT_FOUND.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def puzzle_run_swap(
        self,
        info: Info,
        run_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="Your puzzle run's `runId`, or its global `id`."),
        ],
        a: Annotated[int, strawberry.argument(description=POSITION)],
        b: Annotated[int, strawberry.argument(description=POSITION + " Not `a`.")],
        expected_snapshot_version: Annotated[
            int,
            strawberry.argument(description="The run's `snapshotVersion` this swap was made on."),
        ],
    ) -> PuzzleRunSwapPayload:
        run = await lifecycle.act(
            viewer=info.context.principal,
            run_id=object_id(str(run_id), PuzzleRun),
            expected_snapshot_version=expected_snapshot_version,
            action=grids.swap_action(a, b),
            play_type=PlayType.PUZZLE,
        )
        (built,) = await build_runs([run], info)
        assert isinstance(built, PuzzleRun)
        return PuzzleRunSwapPayload(errors=[], run=built)
