"""A tiny play type's run rules for the framework's tests: a counter to reach.

`CounterRules` stands in for `TEST_PLAY_TYPE` (tests/factories/gallery.py, a play type no
plugin builds) through `rules_for_tests`, with `CounterTestRun` as its run type. A run
counts up to its work's target: `{"kind": "add", "n": 1..3}` adds (the target reached:
WON, COMPLETED), `{"kind": "give_up"}` loses (LOST, GAVE_UP), anything else is
ILLEGAL_MOVE. A PLAY run's work is a published gallery work of `TEST_PLAY_TYPE`; a TEST
run's is a draft listed in `drafts` (work id → owner). State lives in memory and is changed
only after an action was checked, so a refused action leaves it as it was.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import strawberry

from resolvers.gallery.model import entry_key
from resolvers.gallery.play_types import PlayType
from resolvers.gallery.reading import works_by_keys
from resolvers.runs.errors import RunError, RunErrorCode
from resolvers.runs.model import Outcome, Run, RunMode, RunStatus
from resolvers.runs.rules import PlayableWork, RunRules
from schema.runs import types as run_types
from tests.factories.gallery import TEST_PLAY_TYPE

TARGET = 3
LIMIT_MS = 60_000


class CounterRules(RunRules[dict[str, Any]]):
    play_type = TEST_PLAY_TYPE

    def __init__(self) -> None:
        self.drafts: dict[str, str] = {}
        self.counts: dict[str, int] = {}
        self.finished: list[tuple[str, RunStatus]] = []

    def time_limit_ms(self) -> int:
        return LIMIT_MS

    async def playable_work(
        self, *, work_id: str, mode: RunMode, user_id: str
    ) -> PlayableWork | None:
        if mode is RunMode.TEST:
            owner = self.drafts.get(work_id)
            if owner is None:
                return None
            return PlayableWork(work_id, owner, "A draft", "", {"target": TARGET})
        row = (await works_by_keys([entry_key(self.play_type, work_id)])).get(
            entry_key(self.play_type, work_id)
        )
        if row is None:
            return None
        return PlayableWork(work_id, row.owner_user_id, row.title, "Count", {"target": 3})

    async def start(self, *, run: Run, work: PlayableWork, now: datetime) -> dict[str, Any]:
        self.counts[run.run_id] = 0
        return {"target": work.content["target"]}

    async def apply(self, *, run: Run, action: Mapping[str, Any], now: datetime) -> Outcome:
        kind = action.get("kind")
        if kind == "give_up":
            return Outcome(event={"gaveUp": True}, status=RunStatus.LOST, reason="GAVE_UP")
        n = action.get("n")
        if kind != "add" or not isinstance(n, int) or not 1 <= n <= TARGET:
            raise RunError(RunErrorCode.ILLEGAL_MOVE, "Add 1 to 3.", field="action")
        count = self.counts[run.run_id] + n
        self.counts[run.run_id] = count
        if count >= TARGET:
            return Outcome(event={"count": count}, status=RunStatus.WON, reason="COMPLETED")
        return Outcome(event={"count": count})

    async def on_finished(self, *, run: Run, now: datetime) -> list[Any]:
        self.finished.append((run.run_id, run.status))
        return []

    async def states(self, run_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        return {
            run_id: {"count": self.counts[run_id], "target": TARGET}
            for run_id in run_ids
            if run_id in self.counts
        }

    def winning_actions(self, state: Mapping[str, Any]) -> list[dict[str, Any]]:
        return [{"kind": "add", "n": 1} for _ in range(state["target"] - state["count"])]

    def illegal_action(self, state: Mapping[str, Any]) -> dict[str, Any]:
        return {"kind": "add", "n": 0}


@strawberry.type(description="A counter run of the runs framework's tests (tests only).")
class CounterTestRun(run_types.Run):
    count: int = strawberry.field(description="Where the counter is.")
    target: int = strawberry.field(description="Where it must get to.")

    @classmethod
    def from_run(  # type: ignore[override]
        cls, run: Run, state: dict[str, Any], loaders: run_types.RunLoaders
    ) -> CounterTestRun:
        return cls(
            **run_types.Run.run_fields(run, loaders),
            count=state.get("count", 0),
            target=state.get("target", TARGET),
        )


def register_counter_run_type() -> None:
    # (ahead of the play type's own run type, when it has one: big fish's)
    run_types.register_run_type_for_tests(PlayType(TEST_PLAY_TYPE), CounterTestRun)


def unregister_counter_run_type() -> None:
    run_types.register_run_type_for_tests(PlayType(TEST_PLAY_TYPE), None)
