"""Typed rows the schema reads from big-fish runs: a run (`big_fish_runtime_run`, also its
run rules' state) and a world as a frame shows it.

The world itself stays the JSON document simulation.py steps and `snapshot_json` keeps
(policies steer from frames read back off the graph, so it is plain data throughout);
`BigFishFrameRow.from_world` reads it once for the schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from resolvers.big_fish.model import FINISHED_RUN_STATUSES, BigFishRunStatus
from resolvers.runs.rows import json_value, optional_utc_time, utc_time


@dataclass(frozen=True, slots=True)
class BigFishPlayerRow:
    x: float
    y: float
    mass: float
    level: int


@dataclass(frozen=True, slots=True)
class BigFishFishRow:
    id: int
    level: int
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class BigFishFrameRow:
    """A world at one tick: what a frame shows of it (the rules it carries are left out)."""

    tick: int
    status: BigFishRunStatus
    player: BigFishPlayerRow
    fish: tuple[BigFishFishRow, ...]
    eaten: int

    @classmethod
    def from_world(cls, world: Mapping[str, Any]) -> BigFishFrameRow:
        player = world["player"]
        return cls(
            tick=int(world["tick"]),
            status=BigFishRunStatus(world["status"]),
            player=BigFishPlayerRow(
                x=player["x"], y=player["y"], mass=player["mass"], level=player["level"]
            ),
            fish=tuple(
                BigFishFishRow(id=fish["id"], level=fish["level"], x=fish["x"], y=fish["y"])
                for fish in world["fish"]
            ),
            eaten=int(world["eaten"]),
        )


@dataclass(frozen=True, slots=True)
class BigFishRunRow:
    """A big-fish run as last saved. `snapshot_json` is its world (the JSON document the
    simulation steps on); `snapshot` the same world as a frame shows it."""

    run_id: str
    session_id: str
    owner_user_id: str
    status: BigFishRunStatus
    snapshot_json: dict[str, Any]
    snapshot: BigFishFrameRow
    last_input_x: float
    last_input_y: float
    tick: int
    created_at: datetime
    updated_at: datetime
    seed: int
    lease_owner: str | None
    lease_expires_at: datetime | None
    saved_at: datetime | None
    finished_at: datetime | None
    input_second: int
    input_count: int

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> BigFishRunRow:
        # Every run is inserted with its world (run_rules.py, `start`).
        world = json_value(row["snapshot_json"])
        return cls(
            run_id=row["run_id"],
            session_id=row["session_id"],
            owner_user_id=row["owner_user_id"],
            status=BigFishRunStatus(row["status"]),
            snapshot_json=world,
            snapshot=BigFishFrameRow.from_world(world),
            last_input_x=float(row["last_input_x"]),
            last_input_y=float(row["last_input_y"]),
            tick=int(row["tick"]),
            created_at=utc_time(row["created_at"]),
            updated_at=utc_time(row["updated_at"]),
            seed=int(row["seed"]),
            lease_owner=row["lease_owner"],
            lease_expires_at=optional_utc_time(row["lease_expires_at"]),
            saved_at=optional_utc_time(row["saved_at"]),
            finished_at=optional_utc_time(row["finished_at"]),
            input_second=int(row["input_second"]),
            input_count=int(row["input_count"]),
        )

    @property
    def work_id(self) -> str:
        """The work played: its session's id."""
        return self.session_id

    @property
    def finished(self) -> bool:
        return self.status in FINISHED_RUN_STATUSES

    def last_frame(self) -> BigFishFrameRow:
        """The world as last saved, marked with the run's status (what watching a finished
        run answers: an abandoned run's world was saved while it was still running)."""
        return replace(self.snapshot, status=self.status)
