"""The puzzle's run state as the rules and the graph read it: a `puzzle_runtime_run` row
(resolvers/puzzle/runs.py describes its columns and `snapshot_json`), typed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from resolvers.runs.rows import json_value, optional_utc_time, utc_time


@dataclass(frozen=True, slots=True)
class PuzzleRunLevel:
    """One level of a run, as its snapshot keeps it (playable: a grid size from 3 to 8)."""

    level_id: str
    name: str
    grid_size: int

    @classmethod
    def from_json(cls, level: Mapping[str, Any]) -> PuzzleRunLevel:
        return cls(
            level_id=str(level["levelId"]),
            name=str(level.get("name") or ""),
            grid_size=int(level["gridSize"]),
        )


@dataclass(frozen=True, slots=True)
class PuzzleRunSnapshot:
    """`snapshot_json` read: the run's seed, levels and tags, the current grid, when the
    current level was dealt, and each cleared level's time."""

    seed: int
    levels: list[PuzzleRunLevel]
    tags: list[str]
    tiles: list[int]
    level_started_at: datetime | None
    level_times_ms: list[int]

    @classmethod
    def from_json(cls, snapshot: Mapping[str, Any]) -> PuzzleRunSnapshot:
        return cls(
            seed=int(snapshot.get("seed") or 0),
            levels=[PuzzleRunLevel.from_json(level) for level in snapshot.get("levels") or []],
            tags=[str(tag) for tag in snapshot.get("tags") or []],
            tiles=[int(tile) for tile in snapshot.get("tiles") or []],
            level_started_at=optional_utc_time(snapshot.get("levelStartedAt") or None),
            level_times_ms=[int(time) for time in snapshot.get("levelTimesMs") or []],
        )


@dataclass(frozen=True, slots=True)
class PuzzleRunState:
    """A run's puzzle state (`puzzle_runtime_run`). `snapshot_json` is the document as
    stored (a swap rewrites it, keeping what it does not change); `snapshot` is its read."""

    run_id: str
    owner_user_id: str
    entry_profile_id: str
    current_profile_id: str
    cleared_level_count: int
    current_level_index: int
    current_grid_size: int
    played_profile_ids_json: list[str]
    previous_level_tags_json: list[str]
    snapshot_json: dict[str, Any]
    snapshot: PuzzleRunSnapshot
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> PuzzleRunState:
        snapshot = dict(json_value(row["snapshot_json"]) or {})
        return cls(
            run_id=row["run_id"],
            owner_user_id=row["owner_user_id"],
            entry_profile_id=row["entry_profile_id"],
            current_profile_id=row["current_profile_id"],
            cleared_level_count=int(row["cleared_level_count"]),
            current_level_index=int(row["current_level_index"]),
            current_grid_size=int(row["current_grid_size"]),
            played_profile_ids_json=list(json_value(row["played_profile_ids_json"]) or []),
            previous_level_tags_json=list(json_value(row["previous_level_tags_json"]) or []),
            snapshot_json=snapshot,
            snapshot=PuzzleRunSnapshot.from_json(snapshot),
            created_at=utc_time(row["created_at"]),
            updated_at=utc_time(row["updated_at"]),
        )
