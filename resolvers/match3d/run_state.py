"""A Match3D run's state as `MATCH3D_RUNS.states()` reads it (`match3d_runtime_run`): the
counts, the board and the item set, typed for the schema. The stored board document stays
alongside: the rules play on it with the pure functions of resolvers/match3d/board.py and
write it back whole."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from resolvers.match3d import board
from resolvers.match3d.rows import Match3dSetItem
from resolvers.runs.rows import json_value


@dataclass(frozen=True, slots=True)
class Match3dPileItem:
    """One copy of an item on the pile: its board id (`<itemId>.<copy>`), the item it is a
    copy of, and its cell in its layer."""

    board_item_id: str
    item_id: str
    layer: int
    row: int
    col: int

    @classmethod
    def from_json(cls, item: Mapping[str, Any]) -> Match3dPileItem:
        return cls(
            board_item_id=item["id"],
            item_id=item["itemId"],
            layer=item["layer"],
            row=item["row"],
            col=item["col"],
        )


@dataclass(frozen=True, slots=True)
class Match3dRunState:
    """A run's play state; `snapshot_json` is the stored board document (seed, side,
    layers, pile, tray, items) the rules act on."""

    run_id: str
    profile_id: str
    clear_count: int
    total_item_count: int
    cleared_item_count: int
    snapshot_json: dict[str, Any]
    side: int
    layers: int
    pile: tuple[Match3dPileItem, ...]
    # The board ids of the pile's items an item of a higher layer lies on.
    covered: frozenset[str]
    tray: tuple[str, ...]
    items: tuple[Match3dSetItem, ...]

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Match3dRunState:
        snapshot = dict(json_value(row["snapshot_json"]) or {})
        pile = snapshot.get("pile") or []
        return cls(
            run_id=row["run_id"],
            profile_id=row["profile_id"],
            clear_count=int(row["clear_count"]),
            total_item_count=int(row["total_item_count"]),
            cleared_item_count=int(row["cleared_item_count"]),
            snapshot_json=snapshot,
            side=int(snapshot.get("side") or 0),
            layers=int(snapshot.get("layers") or 0),
            pile=tuple(Match3dPileItem.from_json(item) for item in pile),
            covered=frozenset(board.covered_ids(pile)),
            tray=tuple(snapshot.get("tray") or []),
            items=tuple(Match3dSetItem.from_json(item) for item in snapshot.get("items") or []),
        )

    @classmethod
    def empty(cls, run_id: str) -> Match3dRunState:
        """No state row: an empty board and no counts (what the graph shows then)."""
        return cls.from_row(
            {
                "run_id": run_id,
                "profile_id": "",
                "clear_count": 0,
                "total_item_count": 0,
                "cleared_item_count": 0,
                "snapshot_json": {},
            }
        )
