"""The big-fish world, as a pure function: `step(state, direction, dt) -> state`.

A world is a JSON object (what `big_fish_runtime_run.snapshot_json` keeps and every frame
shows): the rules copied from the work when the run started (`levels` with `size` and
`speed`, `thresholds`, `playerSpeed`, `winSize`, `startLevel`), the tick, the status, the
player's fish (`x`, `y`, `mass`, `level`) and the other fish (`id`, `level`, `x`, `y`,
`vx`, `vy`). Everything follows from the run's seed and the inputs: `world(seed, …)`
places the fish (uniformly in the arena, at least `SPAWN_CLEARANCE` from the player's
start at the centre, each heading its own way at its level's speed), `step` moves them.

One step:
1. the player's fish moves by `direction` (|d| ≤ 1) × `playerSpeed` × dt, kept inside the
   arena (a square of half-side `ARENA`); the others move straight on and wrap around;
2. touching (centre distance ≤ the sum of the radii; a fish's radius is its level's
   size) a fish of a higher level loses; otherwise every fish of the player's level or
   below that it touches is eaten: its size is added to the mass;
3. the player's level is its start level or the highest level whose growth threshold the
   mass reached; a mass at the win size wins.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from typing import Any

ARENA = 10.0
SPAWN_CLEARANCE = 3.0
RUNNING = "running"
WON = "won"
LOST = "lost"


def world(
    *,
    seed: int,
    levels: Sequence[Mapping[str, Any]],
    thresholds: Sequence[float],
    start_level: int,
    player_speed: float,
    win_size: float,
) -> dict[str, Any]:
    """The world at tick 0 for a seed and the work's rules."""
    rng = random.Random(seed)
    fish: list[dict[str, Any]] = []
    for index, level in enumerate(levels):
        for _ in range(int(level["count"])):
            while True:
                x, y = rng.uniform(-ARENA, ARENA), rng.uniform(-ARENA, ARENA)
                if math.hypot(x, y) >= SPAWN_CLEARANCE:
                    break
            heading = rng.uniform(0, 2 * math.pi)
            speed = float(level["speed"])
            fish.append(
                {
                    "id": len(fish),
                    "level": index,
                    "x": x,
                    "y": y,
                    "vx": speed * math.cos(heading),
                    "vy": speed * math.sin(heading),
                }
            )
    return {
        "tick": 0,
        "status": RUNNING,
        "levels": [{"size": float(lv["size"]), "speed": float(lv["speed"])} for lv in levels],
        "thresholds": [float(value) for value in thresholds],
        "startLevel": start_level,
        "playerSpeed": float(player_speed),
        "winSize": float(win_size),
        "player": {"x": 0.0, "y": 0.0, "mass": 0.0, "level": start_level},
        "fish": fish,
        "eaten": 0,
    }


def _wrap(value: float) -> float:
    if value > ARENA:
        return value - 2 * ARENA
    if value < -ARENA:
        return value + 2 * ARENA
    return value


def _clamp(value: float) -> float:
    return max(-ARENA, min(ARENA, value))


def level_for(state: Mapping[str, Any], mass: float) -> int:
    reached = sum(1 for threshold in state["thresholds"] if mass >= threshold)
    return max(int(state["startLevel"]), min(reached, len(state["levels"]) - 1))


def step(state: Mapping[str, Any], direction: tuple[float, float], dt: float) -> dict[str, Any]:
    """The world one tick later (a finished world is returned unchanged)."""
    if state["status"] != RUNNING:
        return dict(state)
    dx, dy = direction
    player = dict(state["player"])
    speed = state["playerSpeed"] * dt
    player["x"] = _clamp(player["x"] + dx * speed)
    player["y"] = _clamp(player["y"] + dy * speed)
    sizes = [level["size"] for level in state["levels"]]
    radius = sizes[player["level"]]
    status, kept, eaten = RUNNING, [], 0
    for fish in state["fish"]:
        moved = {
            **fish,
            "x": _wrap(fish["x"] + fish["vx"] * dt),
            "y": _wrap(fish["y"] + fish["vy"] * dt),
        }
        touching = math.hypot(moved["x"] - player["x"], moved["y"] - player["y"]) <= (
            radius + sizes[moved["level"]]
        )
        if touching and moved["level"] > player["level"]:
            status = LOST
        if touching and moved["level"] <= player["level"]:
            player["mass"] = round(player["mass"] + sizes[moved["level"]], 6)
            eaten += 1
            continue
        kept.append(moved)
    if status == RUNNING:
        player["level"] = level_for(state, player["mass"])
        if player["mass"] >= state["winSize"]:
            status = WON
    return {
        **state,
        "tick": state["tick"] + 1,
        "status": status,
        "player": player,
        "fish": kept,
        "eaten": state["eaten"] + eaten,
    }


def _towards(state: Mapping[str, Any], fish: Mapping[str, Any]) -> tuple[float, float]:
    player = state["player"]
    dx, dy = fish["x"] - player["x"], fish["y"] - player["y"]
    length = math.hypot(dx, dy)
    return (0.0, 0.0) if length == 0 else (dx / length, dy / length)


def _nearest(state: Mapping[str, Any], bigger: bool) -> Mapping[str, Any] | None:
    player = state["player"]
    candidates = [fish for fish in state["fish"] if (fish["level"] > player["level"]) == bigger]
    return min(
        candidates,
        key=lambda fish: math.hypot(fish["x"] - player["x"], fish["y"] - player["y"]),
        default=None,
    )


def hunting(state: Mapping[str, Any]) -> tuple[float, float]:
    """A direction towards the nearest fish the player can eat, away from a bigger one
    closer than 2.5 (tests and the bench steer with it)."""
    danger = _nearest(state, bigger=True)
    if danger is not None:
        player = state["player"]
        if math.hypot(danger["x"] - player["x"], danger["y"] - player["y"]) < 2.5:
            away = _towards(state, danger)
            return (-away[0], -away[1])
    prey = _nearest(state, bigger=False)
    return (0.0, 0.0) if prey is None else _towards(state, prey)


def reckless(state: Mapping[str, Any]) -> tuple[float, float]:
    """A direction towards the nearest bigger fish (a test's way to lose)."""
    danger = _nearest(state, bigger=True)
    return (0.0, 0.0) if danger is None else _towards(state, danger)
