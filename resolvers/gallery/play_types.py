"""The six play types. Values are the catalog's `source_type` strings."""

from enum import StrEnum


class PlayType(StrEnum):
    CUSTOM_WORLD = "custom_world"
    PUZZLE = "puzzle"
    MATCH3D = "match3d"
    SQUARE_HOLE = "square_hole"
    VISUAL_NOVEL = "visual_novel"
    BIG_FISH = "big_fish"
