"""How each play type's run actions go over the graph, for the run contract tests
(tests/play_types/test_runs_contract.py): every play type with runs has its own action
mutation (`puzzleRunSwap`, …), and lists here how one of its `RunRules` actions becomes a
call of it. A play type with runs and no entry fails the contract suite."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from resolvers.gallery.play_types import PlayType

PAYLOAD = "errors { code field message } currentSnapshotVersion run { snapshotVersion status }"


@dataclass(frozen=True, slots=True)
class ActionCall:
    """A mutation applying one action: its text, variables and root field."""

    query: str
    variables: dict[str, Any]
    field: str


ActionMutation = Callable[[str, int, Mapping[str, Any]], ActionCall]


def _puzzle_swap(run_id: str, version: int, action: Mapping[str, Any]) -> ActionCall:
    return ActionCall(
        "mutation($r: ID!, $a: Int!, $b: Int!, $v: Int!) { puzzleRunSwap(runId: $r, a: $a, "
        f"b: $b, expectedSnapshotVersion: $v) {{ {PAYLOAD} }} }}",
        {"r": run_id, "a": action["a"], "b": action["b"], "v": version},
        "puzzleRunSwap",
    )


def _match3d_pick(run_id: str, version: int, action: Mapping[str, Any]) -> ActionCall:
    return ActionCall(
        "mutation($r: ID!, $i: ID!, $v: Int!) { match3dRunPick(runId: $r, itemId: $i, "
        f"expectedSnapshotVersion: $v) {{ {PAYLOAD} }} }}",
        {"r": run_id, "i": action["itemId"], "v": version},
        "match3dRunPick",
    )


def _square_hole_drop(run_id: str, version: int, action: Mapping[str, Any]) -> ActionCall:
    return ActionCall(
        "mutation($r: ID!, $s: String!, $h: String!, $v: Int!) { squareHoleRunDrop(runId: $r, "
        f"shapeId: $s, holeId: $h, expectedSnapshotVersion: $v) {{ {PAYLOAD} }} }}",
        {"r": run_id, "s": action["shapeId"], "h": action["holeId"], "v": version},
        "squareHoleRunDrop",
    )


def _visual_novel_choose(run_id: str, version: int, action: Mapping[str, Any]) -> ActionCall:
    return ActionCall(
        "mutation($r: ID!, $c: ID!, $v: Int!) { visualNovelRunChoose(runId: $r, choiceId: $c, "
        f"expectedSnapshotVersion: $v) {{ {PAYLOAD} }} }}",
        {"r": run_id, "c": action["choiceId"], "v": version},
        "visualNovelRunChoose",
    )


# Play types with runs the contract suite does not play, and why: a custom world's story
# session has no win yet and no practical time limit (docs/rpg.md); tests/rpg covers its
# refusals, concurrency and counting.
NOT_IN_CONTRACT: dict[PlayType, str] = {
    PlayType.CUSTOM_WORLD: "story sessions: no win and no time limit (tests/rpg)",
}

ACTION_MUTATIONS: dict[PlayType, ActionMutation] = {
    PlayType.PUZZLE: _puzzle_swap,
    PlayType.MATCH3D: _match3d_pick,
    PlayType.SQUARE_HOLE: _square_hole_drop,
    PlayType.VISUAL_NOVEL: _visual_novel_choose,
}
