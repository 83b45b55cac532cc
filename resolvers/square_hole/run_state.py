"""A square-hole run's state as `SQUARE_HOLE_RUNS.states()` reads it
(`square_hole_runtime_run`): the counts, the dealt shapes, the holes, the drops so far and
the rules the run plays by, typed for the schema. The stored snapshot stays alongside: the
rules judge and append drops on it and write it back whole."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from resolvers.runs.rows import json_value
from resolvers.square_hole.drafts import SquareHoleConfig, stored_config


@dataclass(frozen=True, slots=True)
class RunPart:
    """A shape the run deals, or a hole it offers: its id and its name."""

    part_id: str
    name: str


@dataclass(frozen=True, slots=True)
class RunDrop:
    """One drop so far: the shape, the hole, the verdict and the deciding rule's points."""

    shape_id: str
    hole_id: str
    accepted: bool
    points: int

    @classmethod
    def from_json(cls, drop: Mapping[str, Any]) -> RunDrop:
        return cls(
            shape_id=drop["shapeId"],
            hole_id=drop["holeId"],
            accepted=drop["accepted"],
            points=drop["points"],
        )


@dataclass(frozen=True, slots=True)
class SquareHoleRunState:
    """A run's play state; `snapshot_json` is the stored snapshot (seed, shapes, holes,
    rules, default rule, target score, drops) the rules act on."""

    run_id: str
    owner_user_id: str
    profile_id: str
    total_shape_count: int
    completed_shape_count: int
    score: int
    snapshot_json: dict[str, Any]
    shapes: tuple[RunPart, ...]
    holes: tuple[RunPart, ...]
    drops: tuple[RunDrop, ...]
    # The shape to drop now (the first not dropped); None once all are.
    current_shape_id: str | None
    target_score: int
    # The rules the run plays by (the work's config when it started).
    config: SquareHoleConfig

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> SquareHoleRunState:
        snapshot = dict(json_value(row["snapshot_json"]) or {})
        shapes = list(snapshot.get("shapes") or [])
        holes = list(snapshot.get("holes") or [])
        drops = list(snapshot.get("drops") or [])
        target = int(snapshot.get("targetScore") or 0)
        return cls(
            run_id=row["run_id"],
            owner_user_id=row["owner_user_id"],
            profile_id=row["profile_id"],
            total_shape_count=int(row["total_shape_count"]),
            completed_shape_count=int(row["completed_shape_count"]),
            score=int(row["score"]),
            snapshot_json=snapshot,
            shapes=tuple(RunPart(s["shapeId"], s["name"]) for s in shapes),
            holes=tuple(RunPart(h["holeId"], h["name"]) for h in holes),
            drops=tuple(RunDrop.from_json(drop) for drop in drops),
            current_shape_id=shapes[len(drops)]["shapeId"] if len(drops) < len(shapes) else None,
            target_score=target,
            config=stored_config(
                {
                    "shapes": shapes,
                    "holes": holes,
                    "rules": snapshot.get("rules") or [],
                    "defaultRule": snapshot.get("defaultRule") or {},
                    "targetScore": target,
                }
            ),
        )

    @classmethod
    def empty(cls, run_id: str) -> SquareHoleRunState:
        """No state row: nothing dealt and no counts (what the graph shows then)."""
        return cls.from_row(
            {
                "run_id": run_id,
                "owner_user_id": "",
                "profile_id": "",
                "total_shape_count": 0,
                "completed_shape_count": 0,
                "score": 0,
                "snapshot_json": {},
            }
        )
