"""The schema side of the registered play types: each one's `Work` type.

The play types are listed in resolvers/play_types/registry.py; this module names the
GraphQL type of each one's works, explicitly (nothing registers itself by being imported).
`build_schema` installs them, and refuses to build when a registered play type has none.
"""

from __future__ import annotations

from resolvers.gallery.play_types import PlayType
from resolvers.play_types.registry import registered_play_types
from schema.gallery.work import Work, register_work_type
from schema.puzzle.types import PuzzleWork
from schema.worlds.types import CustomWorldWork

WORK_TYPES: dict[PlayType, type[Work]] = {
    PlayType.CUSTOM_WORLD: CustomWorldWork,
    PlayType.PUZZLE: PuzzleWork,
}


def install_work_types() -> None:
    """Register every play type's work type with the gallery (idempotent)."""
    missing = [play_type for play_type in registered_play_types() if play_type not in WORK_TYPES]
    if missing:
        raise RuntimeError(f"play types without a Work type: {missing}")
    for play_type, cls in WORK_TYPES.items():
        register_work_type(play_type, cls)
