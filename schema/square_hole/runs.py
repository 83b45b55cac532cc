"""Square-hole runs on the graph: `SquareHoleRun` (the `Run` interface with the square
hole's state) and `squareHoleRunDrop`, its one action (resolvers/square_hole/runs.py).

A run starts with `runStart(input: {playType: SQUARE_HOLE, workId, mode})` and ends with
the last shape, `runAbandon` or its time limit (schema/runs/mutations.py). A drop names
the run's current `snapshotVersion`; a refusal returns `errors` (and
`currentSnapshotVersion` when stale) and writes nothing.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.gallery.play_types import PlayType
from resolvers.runs import lifecycle
from resolvers.runs import model as runs_model
from resolvers.square_hole.run_state import SquareHoleRunState
from resolvers.square_hole.runs import drop_action
from schema.context import Info
from schema.ids import object_id
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAuthenticated
from schema.runs.types import Run, RunErrorType, RunLoaders, build_runs
from schema.square_hole.config import SquareHoleConfig, SquareHoleHole, SquareHoleShape


@strawberry.type(description="One dropped shape of a square-hole run, in order.")
class SquareHoleDrop:
    shape_id: str = strawberry.field(description="The shape dropped.")
    hole_id: str = strawberry.field(description="The hole it was dropped into.")
    accepted: bool = strawberry.field(description="Whether the hole accepted it.")
    points: int = strawberry.field(
        description="The deciding rule's points: added when accepted, taken off otherwise."
    )


@strawberry.type(
    description="A run of a square-hole work: the shapes arrive one by one in an order "
    "drawn from the run's seed; each is dropped into a hole (`squareHoleRunDrop`) and the "
    "work's rules score it. After the last shape the run is WON when `score` reached "
    "`targetScore`, else LOST (reason SCORE_TOO_LOW); the time limit expires it."
)
class SquareHoleRun(Run):
    shapes: list[SquareHoleShape] = strawberry.field(
        description="Every shape the run deals, in arrival order."
    )
    current_shape_id: str | None = strawberry.field(
        description="The shape to drop now (the first not dropped); null once all are."
    )
    holes: list[SquareHoleHole] = strawberry.field(description="The holes to drop into.")
    drops: list[SquareHoleDrop] = strawberry.field(description="The drops so far, in order.")
    total_shape_count: int = strawberry.field(description="Shapes the run deals.")
    completed_shape_count: int = strawberry.field(
        description="Shapes placed (drops the rules accepted)."
    )
    score: int = strawberry.field(description="The score so far (never below 0).")
    target_score: int = strawberry.field(description="The score that wins the run.")
    config: SquareHoleConfig = strawberry.field(
        description="The rules the run plays by (the work's config when it started)."
    )

    @classmethod
    def from_run(
        cls,
        run: runs_model.Run,
        state: SquareHoleRunState | None,
        loaders: RunLoaders,
    ) -> SquareHoleRun:
        # None: the run has no state row.
        if state is None:
            state = SquareHoleRunState.empty(run.run_id)
        return cls(
            **Run.run_fields(run, loaders),
            shapes=[SquareHoleShape(shape_id=s.part_id, name=s.name) for s in state.shapes],
            current_shape_id=state.current_shape_id,
            holes=[SquareHoleHole(hole_id=h.part_id, name=h.name) for h in state.holes],
            drops=[
                SquareHoleDrop(
                    shape_id=d.shape_id, hole_id=d.hole_id, accepted=d.accepted, points=d.points
                )
                for d in state.drops
            ],
            total_shape_count=state.total_shape_count,
            completed_shape_count=state.completed_shape_count,
            score=state.score,
            target_score=state.target_score,
            config=SquareHoleConfig.from_config(state.config),
        )


@strawberry.type(description="What `squareHoleRunDrop` did.")
class SquareHoleRunDropPayload:
    errors: list[RunErrorType] = strawberry.field(
        description="Empty on success; otherwise why nothing was written (ILLEGAL_MOVE: "
        "not the current shape, or a hole the work lacks; SNAPSHOT_STALE; RUN_FINISHED)."
    )
    run: SquareHoleRun | None = strawberry.field(
        description="The run after the drop (WON or LOST after the last shape); null when refused."
    )
    current_snapshot_version: int | None = strawberry.field(
        default=None,
        description="On a SNAPSHOT_STALE or RUN_FINISHED refusal: the run's current "
        "`snapshotVersion` (read the run again and retry from it); null otherwise.",
    )


@strawberry.type
class SquareHoleRunMutation:
    @strawberry.mutation(
        description="Drop the current shape of your square-hole run into a hole. The "
        "server checks it against the run (`expectedSnapshotVersion` must be its current "
        "one; the shape must be the current one; the hole must exist), scores it by the "
        "work's rules and ends the run after the last shape. A missing run or another "
        "user's is NOT_FOUND.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def square_hole_run_drop(
        self,
        info: Info,
        run_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="Your square-hole run's `runId`, or its global `id`."),
        ],
        shape_id: Annotated[
            str, strawberry.argument(description="The current shape's id (`currentShapeId`).")
        ],
        hole_id: Annotated[str, strawberry.argument(description="The hole's id.")],
        expected_snapshot_version: Annotated[
            int,
            strawberry.argument(description="The run's `snapshotVersion` this drop was made on."),
        ],
    ) -> SquareHoleRunDropPayload:
        run = await lifecycle.act(
            viewer=info.context.principal,
            run_id=object_id(str(run_id), SquareHoleRun),
            expected_snapshot_version=expected_snapshot_version,
            action=drop_action(shape_id, hole_id),
            play_type=PlayType.SQUARE_HOLE,
        )
        (built,) = await build_runs([run], info)
        assert isinstance(built, SquareHoleRun)
        return SquareHoleRunDropPayload(errors=[], run=built)
