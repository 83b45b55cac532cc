"""Match3D boards: pure functions over a run's pile and tray (no database).

A board is a pile of items in grid layers: every copy of every item of the work lies in
one cell (`row`, `col`) of one layer (0 is the bottom). An item is covered while an item
in a higher layer shares its cell; only uncovered items can be picked. A pick moves the
item to the tray (7 places); three alike in the tray clear at once. A tray that fills
without clearing loses (TRAY_FULL); an empty pile and an empty tray win.

Boards are dealt from a run's seed: the same seed deals the same board. A deal is kept
only when a search finds a way to clear it, so every dealt board can be won; after a few
unwinnable deals the pile is laid out flat (one layer, nothing covered), which always can.
Board items are named `<itemId>.<copy>` (item ids have no dot), unique on the board.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from resolvers.match3d.model import ALIKE, TRAY_SIZE
from resolvers.runs.errors import RunError, RunErrorCode

PICK = "pick"
DEAL_ATTEMPTS = 6
SEARCH_BUDGET = 4000  # positions one search may visit


def kind_of(board_item_id: str) -> str:
    return board_item_id.rsplit(".", 1)[0]


def deal(seed: int, counts: Mapping[str, int], layers: int) -> dict[str, Any]:
    """The board of a run: `{"side", "layers", "pile": [{id, itemId, layer, row, col}],
    "tray": []}` for items with these copy counts (deterministic in its arguments)."""
    copies = [f"{item_id}.{copy}" for item_id, count in counts.items() for copy in range(count)]
    for attempt in range(DEAL_ATTEMPTS):
        board = _laid_out(copies, layers, random.Random(f"match3d:{seed}:{attempt}"))
        if search(board, goal="win") is not None:
            return board
    return _laid_out(copies, 1, random.Random(f"match3d:{seed}:flat"))


def _laid_out(copies: Sequence[str], layers: int, rng: random.Random) -> dict[str, Any]:
    order = list(copies)
    rng.shuffle(order)
    layers = max(1, min(layers, len(order)))
    side = max(1, math.ceil(math.sqrt(math.ceil(len(order) / layers))))
    pile: list[dict[str, Any]] = []
    sizes = [
        len(order) // layers + (1 if layer < len(order) % layers else 0) for layer in range(layers)
    ]
    taken = 0
    for layer, size in enumerate(sizes):
        for cell in rng.sample(range(side * side), size):
            board_item = order[taken]
            taken += 1
            pile.append(
                {
                    "id": board_item,
                    "itemId": kind_of(board_item),
                    "layer": layer,
                    "row": cell // side,
                    "col": cell % side,
                }
            )
    return {"side": side, "layers": layers, "pile": pile, "tray": []}


def covered_ids(pile: Sequence[Mapping[str, Any]]) -> set[str]:
    """The items of the pile an item of a higher layer lies on."""
    top: dict[tuple[int, int], int] = {}
    for item in pile:
        cell = (item["row"], item["col"])
        top[cell] = max(top.get(cell, -1), item["layer"])
    return {item["id"] for item in pile if item["layer"] < top[(item["row"], item["col"])]}


def pick_action(board_item_id: str) -> dict[str, Any]:
    return {"kind": PICK, "itemId": board_item_id}


def checked_pick(action: Mapping[str, Any]) -> str:
    """The board item an action picks; ACTION_INVALID for anything but a pick."""
    item_id = action.get("itemId")
    if action.get("kind") != PICK or not isinstance(item_id, str) or not item_id:
        raise RunError(RunErrorCode.ACTION_INVALID, "A Match3D action picks one item.")
    return item_id


def pick(board: Mapping[str, Any], board_item_id: str) -> tuple[dict[str, Any], list[str]]:
    """The board after picking `board_item_id`, and the items that cleared (three alike, or
    none). ILLEGAL_MOVE for an item not in the pile (absent, in the tray, cleared) or
    covered."""
    pile = list(board["pile"])
    found = next((item for item in pile if item["id"] == board_item_id), None)
    if found is None:
        raise RunError(RunErrorCode.ILLEGAL_MOVE, "That item is not on the board.", field="itemId")
    if board_item_id in covered_ids(pile):
        raise RunError(
            RunErrorCode.ILLEGAL_MOVE, "That item is covered by another.", field="itemId"
        )
    pile.remove(found)
    tray = [*board["tray"], board_item_id]
    alike = [each for each in tray if kind_of(each) == found["itemId"]]
    cleared = alike if len(alike) >= ALIKE else []
    tray = [each for each in tray if each not in cleared]
    return {**board, "pile": pile, "tray": tray}, cleared


def is_lost(board: Mapping[str, Any]) -> bool:
    return len(board["tray"]) >= TRAY_SIZE


def is_won(board: Mapping[str, Any]) -> bool:
    return not board["pile"] and not board["tray"]


def search(board: Mapping[str, Any], *, goal: str) -> list[str] | None:
    """Picks that reach `goal` ("win": everything cleared; "lose": a full tray) from
    `board`, or None when none was found within the search budget. Depth first, trying
    first the picks that complete a triple (for "win") or avoid one (for "lose")."""
    seen: set[tuple[frozenset[str], tuple[str, ...]]] = set()
    budget = [SEARCH_BUDGET]

    def visit(state: Mapping[str, Any]) -> list[str] | None:
        if (goal == "win" and is_won(state)) or (goal == "lose" and is_lost(state)):
            return []
        if is_lost(state) or budget[0] <= 0:
            return None
        key = (
            frozenset(item["id"] for item in state["pile"]),
            tuple(sorted(map(kind_of, state["tray"]))),
        )
        if key in seen:
            return None
        seen.add(key)
        budget[0] -= 1
        in_tray = Counter(map(kind_of, state["tray"]))
        covered = covered_ids(state["pile"])
        free = [item for item in state["pile"] if item["id"] not in covered]
        sign = -1 if goal == "win" else 1
        free.sort(key=lambda item: (sign * in_tray[item["itemId"]], -item["layer"], item["id"]))
        for item in free:
            after, _ = pick(state, item["id"])
            rest = visit(after)
            if rest is not None:
                return [item["id"], *rest]
        return None

    return visit(board)
