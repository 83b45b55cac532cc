"""`BigFishTickedRun`: a big-fish run as a run of the run framework (the `Run` interface:
`runStart(playType: BIG_FISH)`, `runAbandon`, `node(id:)`, `viewer.runs`), with the
state of its `big_fish_runtime_run` row (`bigFishRun` reads the same run by its id)."""

from __future__ import annotations

import strawberry

from resolvers.big_fish.run_rows import BigFishRunRow
from resolvers.runs import model
from schema.big_fish.runs import BigFishFrame
from schema.runs.types import Run, RunLoaders


@strawberry.type(
    description="A big-fish run in the run framework: the server ticks its world while "
    "you watch `bigFishRunFrames` and you steer with `bigFishRunInput` (no actions, so "
    "`snapshotVersion` moves only when it ends). PAUSED while nobody watched for 5 s (its "
    "clock stops); no time limit (`durationLimitMs` 0). Ends WON, LOST (reason EATEN) or "
    "ABANDONED."
)
class BigFishTickedRun(Run):
    tick: int = strawberry.field(description="The tick of the last save (once a second).")
    last_input_x: float = strawberry.field(description="The last direction sent, x.")
    last_input_y: float = strawberry.field(description="The last direction sent, y.")
    snapshot: BigFishFrame | None = strawberry.field(
        description="The world as last saved (null only if its state is missing)."
    )

    @classmethod
    def from_run(
        cls, run: model.Run, state: BigFishRunRow | None, loaders: RunLoaders
    ) -> BigFishTickedRun:
        """`state` is the run's `BigFishRunRow`, None when its runtime row is missing."""
        if state is None:
            return cls(
                **Run.run_fields(run, loaders),
                tick=0,
                last_input_x=0.0,
                last_input_y=0.0,
                snapshot=None,
            )
        return cls(
            **Run.run_fields(run, loaders),
            tick=state.tick,
            last_input_x=state.last_input_x,
            last_input_y=state.last_input_y,
            snapshot=BigFishFrame.from_row(run.run_id, state.snapshot),
        )
