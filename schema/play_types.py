"""The schema side of the registered play types: each one's `Work` type, and the `Run`
type of each one with runs.

The play types are listed in resolvers/play_types/registry.py; this module names the
GraphQL type of each one's works (`WORK_TYPES`) and runs (`RUN_TYPES`: a `@strawberry.type`
implementing `Run`, schema/runs/types.py), explicitly (nothing registers itself by being
imported). `build_schema` installs them, and refuses to build when a registered play type
has no work type, or has run rules (`PlayTypePlugin.runs`) and no run type.
"""

from __future__ import annotations

from resolvers.gallery.play_types import PlayType
from resolvers.play_types.registry import registered_play_types
from resolvers.runs.registry import play_types_with_runs
from schema.big_fish.run_type import BigFishTickedRun
from schema.big_fish.types import BigFishWork
from schema.gallery.work import Work, register_work_type
from schema.match3d.runs import Match3dRun
from schema.match3d.types import Match3dWork
from schema.puzzle.runs import PuzzleRun
from schema.puzzle.work import PuzzleWork
from schema.rpg.types import CustomWorldRun
from schema.runs.types import Run, register_run_type, stand_in_run_type
from schema.square_hole.runs import SquareHoleRun
from schema.square_hole.types import SquareHoleWork
from schema.visual_novel.runs import VisualNovelRun
from schema.visual_novel.work import VisualNovelWork
from schema.worlds.types import CustomWorldWork

WORK_TYPES: dict[PlayType, type[Work]] = {
    PlayType.CUSTOM_WORLD: CustomWorldWork,
    PlayType.PUZZLE: PuzzleWork,
    PlayType.MATCH3D: Match3dWork,
    PlayType.SQUARE_HOLE: SquareHoleWork,
    PlayType.VISUAL_NOVEL: VisualNovelWork,
    PlayType.BIG_FISH: BigFishWork,
}

# The run type of every play type whose plugin has run rules.
RUN_TYPES: dict[PlayType, type[Run]] = {
    PlayType.PUZZLE: PuzzleRun,
    PlayType.MATCH3D: Match3dRun,
    PlayType.SQUARE_HOLE: SquareHoleRun,
    PlayType.VISUAL_NOVEL: VisualNovelRun,
    PlayType.CUSTOM_WORLD: CustomWorldRun,
    PlayType.BIG_FISH: BigFishTickedRun,
}


def install_work_types() -> None:
    """Register every play type's work type with the gallery (idempotent)."""
    missing = [play_type for play_type in registered_play_types() if play_type not in WORK_TYPES]
    if missing:
        raise RuntimeError(f"play types without a Work type: {missing}")
    for play_type, cls in WORK_TYPES.items():
        register_work_type(play_type, cls)


def install_run_types() -> None:
    """Register the run type of every play type with runs (idempotent). Rules that tests
    stand in for a play type (resolvers/runs/registry.py) come with their run type
    registered by the test."""
    for play_type, cls in RUN_TYPES.items():
        register_run_type(play_type, cls)
    # Checked against RUN_TYPES, not the registry: a type registered by an earlier build
    # must not hide a play type that this code no longer names.
    missing = [
        play_type
        for play_type in play_types_with_runs()
        if play_type not in RUN_TYPES and stand_in_run_type(play_type) is None
    ]
    if missing:
        raise RuntimeError(
            f"play types with runs but without a Run type: {missing}; list a "
            "`@strawberry.type` implementing `schema.runs.types.Run` in RUN_TYPES "
            "(schema/play_types.py)"
        )
