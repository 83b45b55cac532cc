"""The world step, pure: deterministic from the seed, eating grows, a bigger fish loses,
the win size wins."""

from __future__ import annotations

from typing import Any

from resolvers.big_fish import simulation
from resolvers.big_fish.plugin import BIG_FISH
from tests.big_fish.conftest import SEED


def _world(seed: int = SEED) -> dict[str, Any]:
    draft = BIG_FISH.example_draft()
    return simulation.world(
        seed=seed,
        levels=draft["levels"],
        thresholds=draft["growthThresholds"],
        start_level=draft["playerLevel"],
        player_speed=draft["playerSpeed"],
        win_size=draft["winSize"],
    )


def _play(state: dict[str, Any], policy: Any, limit: int = 600) -> dict[str, Any]:
    for _ in range(limit):
        state = simulation.step(state, policy(state), 0.1)
        if state["status"] != simulation.RUNNING:
            break
    return state


def _lone(player_level: int, fish_level: int, distance: float) -> dict[str, Any]:
    state = _world()
    state["player"]["level"] = player_level
    state["fish"] = [{"id": 0, "level": fish_level, "x": distance, "y": 0.0, "vx": 0, "vy": 0}]
    return state


def test_the_same_seed_places_the_same_world_and_another_seed_another() -> None:
    # given two worlds of one seed and one of another
    # when they are placed
    # then the first two are equal, the third differs, and fish keep clear of the start
    assert _world(SEED) == _world(SEED)
    assert _world(SEED)["fish"] != _world(SEED + 1)["fish"]
    assert len(_world()["fish"]) == 15
    assert min(abs(f["x"]) + abs(f["y"]) for f in _world()["fish"]) >= 3.0


def test_eating_a_fish_of_your_level_adds_its_size_and_grows_through_thresholds() -> None:
    # given the player next to a shrimp, with mass just under the first threshold
    state = _lone(0, 0, 0.5)
    state["player"]["mass"] = 0.8
    # when one tick passes without moving
    after = simulation.step(state, (0.0, 0.0), 0.1)
    # then the shrimp is eaten, the mass is 1.2 and the player is a perch (level 1)
    assert after["fish"] == []
    assert after["player"]["mass"] == 1.2
    assert after["player"]["level"] == 1
    assert (after["tick"], after["eaten"], after["status"]) == (1, 1, "running")


def test_touching_a_bigger_fish_loses_and_a_finished_world_stays_still() -> None:
    # given the player next to a shark
    state = _lone(0, 2, 1.0)
    # when a tick passes, then another
    lost = simulation.step(state, (1.0, 0.0), 0.1)
    again = simulation.step(lost, (1.0, 0.0), 0.1)
    # then the run is lost and nothing moves any more
    assert lost["status"] == "lost"
    assert again == lost


def test_the_player_moves_by_its_direction_and_stays_in_the_arena() -> None:
    # given a player at the right edge
    state = _lone(0, 0, 9.0)
    state["fish"][0]["y"] = 9.0
    state["player"]["x"] = 9.9
    # when it swims right for a tick at speed 4
    after = simulation.step(state, (1.0, 0.0), 0.1)
    # then it stops at the edge
    assert after["player"]["x"] == 10.0


def test_hunting_wins_and_reckless_loses_the_example_world() -> None:
    # given the example world of the tests' seed
    # when it is played by each policy
    won, lost = _play(_world(), simulation.hunting), _play(_world(), simulation.reckless)
    # then hunting wins at tick 48 with mass 3.2, reckless loses at tick 8
    assert (won["status"], won["tick"], won["player"]["mass"]) == ("won", 48, 3.2)
    assert (lost["status"], lost["tick"]) == ("lost", 8)


def test_a_slot_is_ready_when_bound_else_its_latest_generation_decides() -> None:
    # given a bound image, and slots whose latest generation is in each state
    from resolvers.big_fish.slots import slot_status

    # when their status is read, then
    assert slot_status({"asset_object_id": "a"}, "failed").value == "ready"
    assert [slot_status(None, state).value for state in ("pending", "running")] == [
        "pending",
        "pending",
    ]
    assert [slot_status(None, state).value for state in ("failed", "cancelled")] == [
        "failed",
        "failed",
    ]
    assert slot_status(None, None).value == "missing"
