"""Puzzle grids: pure functions over tile permutations (no database).

A level of grid size n has n² tiles numbered 0 … n²-1 by their home position; the grid is
the list `tiles` where `tiles[position]` is the tile lying there, solved when every tile
lies at home (`tiles[i] == i`). A move swaps the tiles at two positions, so any grid can be
solved. A level's first grid is a shuffle drawn from the run's seed and the level's index:
the same run always deals the same grids, and a dealt grid is never already solved.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from resolvers.runs.errors import RunError, RunErrorCode

SWAP = "swap"


def shuffled(seed: int, level_index: int, grid_size: int) -> list[int]:
    """The first grid of level `level_index` of a run with `seed`: a permutation of the
    n² tiles that is not the solved one (deterministic in its arguments)."""
    tiles = list(range(grid_size * grid_size))
    rng = random.Random(f"puzzle:{seed}:{level_index}")
    rng.shuffle(tiles)
    if is_solved(tiles):
        tiles[0], tiles[1] = tiles[1], tiles[0]
    return tiles


def is_solved(tiles: Sequence[int]) -> bool:
    return all(tile == position for position, tile in enumerate(tiles))


def swapped(tiles: Sequence[int], a: int, b: int) -> list[int]:
    """The grid after swapping the tiles at positions `a` and `b` (a new list)."""
    result = list(tiles)
    result[a], result[b] = result[b], result[a]
    return result


def solving_swaps(tiles: Sequence[int]) -> list[tuple[int, int]]:
    """Swaps that solve `tiles`, in order (each puts one tile home; the last one solves)."""
    grid = list(tiles)
    where = {tile: position for position, tile in enumerate(grid)}
    swaps = []
    for position in range(len(grid)):
        if grid[position] != position:
            other = where[position]
            swaps.append((position, other))
            where[grid[position]] = other
            grid[position], grid[other] = grid[other], grid[position]
    return swaps


def swap_action(a: int, b: int) -> dict[str, Any]:
    """The action `puzzleRunSwap` sends to the run framework."""
    return {"kind": SWAP, "a": a, "b": b}


def checked_swap(action: Any, tile_count: int) -> tuple[int, int]:
    """The positions of a swap action. ACTION_INVALID: not a swap of two integers;
    ILLEGAL_MOVE: a position outside the grid (0 … tile_count-1) or a tile with itself."""
    if (
        not isinstance(action, Mapping)
        or set(action) != {"kind", "a", "b"}
        or action["kind"] != SWAP
        or not all(type(action[key]) is int for key in ("a", "b"))
    ):
        raise RunError(
            RunErrorCode.ACTION_INVALID,
            'A puzzle action is {"kind": "swap", "a": position, "b": position}.',
            field="action",
        )
    a, b = action["a"], action["b"]
    for name, position in (("a", a), ("b", b)):
        if not 0 <= position < tile_count:
            raise RunError(
                RunErrorCode.ILLEGAL_MOVE,
                f"Position {position} is outside the grid (0 to {tile_count - 1}).",
                field=name,
            )
    if a == b:
        raise RunError(RunErrorCode.ILLEGAL_MOVE, "Swap two different tiles.", field="b")
    return a, b
