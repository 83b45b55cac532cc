"""Match3D runs on the graph: `Match3dRun` (the `Run` interface with the board and the
tray) and `match3dRunPick`, Match3D's one action (resolvers/match3d/runs.py).

A run starts with `runStart(input: {playType: MATCH3D, workId, mode})` and ends with
`runAbandon` (schema/runs/mutations.py) or by the rules. A pick names the run's current
`snapshotVersion`; a refusal returns `errors` (and `currentSnapshotVersion` when stale or
finished) and writes nothing.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.gallery.play_types import PlayType
from resolvers.match3d import board
from resolvers.match3d.model import TRAY_SIZE
from resolvers.match3d.run_state import Match3dRunState
from resolvers.runs import lifecycle
from resolvers.runs import model as runs_model
from schema.assets.signed import signed_url
from schema.context import Info
from schema.ids import object_id
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAuthenticated
from schema.runs.types import Run, RunErrorType, RunLoaders, build_runs


@strawberry.type(description="One copy of an item, on the pile or in the tray.")
class Match3dBoardItem:
    item_id: strawberry.ID = strawberry.field(
        description="This copy's id on the board (`<setItemId>.<copy>`): what "
        "`match3dRunPick` takes."
    )
    set_item_id: strawberry.ID = strawberry.field(
        description="The item of the work's set it is a copy of (three alike clear)."
    )
    layer: int = strawberry.field(description="Its layer, 0 at the bottom (in the tray: -1).")
    row: int = strawberry.field(description="Its cell's row, 0 to side-1 (in the tray: -1).")
    col: int = strawberry.field(description="Its cell's column, 0 to side-1 (tray: -1).")
    covered: bool = strawberry.field(
        description="Whether an item of a higher layer shares its cell (then it cannot be picked)."
    )


@strawberry.type(description="One item of the run's item set (taken from the work at start).")
class Match3dRunItem:
    set_item_id: strawberry.ID = strawberry.field(description="The item's id in the work.")
    name: str = strawberry.field(description="Its name.")
    size: float = strawberry.field(description="Relative size on the board, 0.5 to 2.")
    model_src: str | None = strawberry.field(description="URL of its 3D model, if any.")
    model_object_key: str | None = strawberry.field(description="Its 3D model's key, if any.")
    cut_image_url: str | None = strawberry.field(
        description="Signed URL of its published cut image, valid 15 minutes (a TEST run of "
        "a draft: null)."
    )


@strawberry.type(
    description="A run of a Match3D work: a pile of items in grid layers and a tray of 7 "
    "places. Pick uncovered items (`match3dRunPick`); three alike in the tray clear; a full "
    "tray loses (LOST, reason TRAY_FULL); clearing everything wins."
)
class Match3dRun(Run):
    side: int = strawberry.field(description="Cells per row and per column of every layer.")
    layers: int = strawberry.field(description="Layers of the pile (1 to 4).")
    pile: list[Match3dBoardItem] = strawberry.field(description="The items still on the pile.")
    tray: list[Match3dBoardItem] = strawberry.field(description="The tray, in picking order.")
    tray_size: int = strawberry.field(description="Places in the tray (7).")
    items: list[Match3dRunItem] = strawberry.field(description="The run's item set.")
    clear_count: int = strawberry.field(description="Triples cleared so far.")
    cleared_item_count: int = strawberry.field(description="Items cleared so far.")
    total_item_count: int = strawberry.field(description="Items dealt on the pile at the start.")

    @classmethod
    def from_run(
        cls,
        run: runs_model.Run,
        state: Match3dRunState | None,
        loaders: RunLoaders,
    ) -> Match3dRun:
        # None: the run has no state row.
        if state is None:
            state = Match3dRunState.empty(run.run_id)
        return cls(
            **Run.run_fields(run, loaders),
            side=state.side,
            layers=state.layers,
            pile=[
                Match3dBoardItem(
                    item_id=strawberry.ID(item.board_item_id),
                    set_item_id=strawberry.ID(item.item_id),
                    layer=item.layer,
                    row=item.row,
                    col=item.col,
                    covered=item.board_item_id in state.covered,
                )
                for item in state.pile
            ],
            tray=[
                Match3dBoardItem(
                    item_id=strawberry.ID(each),
                    set_item_id=strawberry.ID(board.kind_of(each)),
                    layer=-1,
                    row=-1,
                    col=-1,
                    covered=False,
                )
                for each in state.tray
            ],
            tray_size=TRAY_SIZE,
            items=[
                Match3dRunItem(
                    set_item_id=strawberry.ID(item.item_id),
                    name=item.name,
                    size=item.size,
                    model_src=item.model_src,
                    model_object_key=item.model_object_key,
                    cut_image_url=signed_url(item.cut_image_asset_id),
                )
                for item in state.items
            ],
            clear_count=state.clear_count,
            cleared_item_count=state.cleared_item_count,
            total_item_count=state.total_item_count,
        )


@strawberry.type(description="What `match3dRunPick` did.")
class Match3dRunPickPayload:
    errors: list[RunErrorType] = strawberry.field(
        description="Empty on success; otherwise why nothing was written (ILLEGAL_MOVE: an "
        "item not on the pile, or covered; SNAPSHOT_STALE; RUN_FINISHED)."
    )
    run: Match3dRun | None = strawberry.field(
        description="The run after the pick (WON when the board is clear, LOST when the tray "
        "filled); null when refused."
    )
    current_snapshot_version: int | None = strawberry.field(
        default=None,
        description="On a SNAPSHOT_STALE or RUN_FINISHED refusal: the run's current "
        "`snapshotVersion` (read the run again and retry from it); null otherwise.",
    )


@strawberry.type
class Match3dRunMutation:
    @strawberry.mutation(
        description="Pick an uncovered item of your Match3D run's pile into the tray. The "
        "server checks the pick against the run (`expectedSnapshotVersion` must be its "
        "current one), clears three alike, loses the run when the tray is full (TRAY_FULL) "
        "and wins it when the board is clear. A missing run or another user's is NOT_FOUND.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def match3d_run_pick(
        self,
        info: Info,
        run_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="Your Match3D run's `runId`, or its global `id`."),
        ],
        item_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The board item to pick (`Match3dBoardItem.itemId`)."),
        ],
        expected_snapshot_version: Annotated[
            int,
            strawberry.argument(description="The run's `snapshotVersion` this pick was made on."),
        ],
    ) -> Match3dRunPickPayload:
        run = await lifecycle.act(
            viewer=info.context.principal,
            run_id=object_id(str(run_id), Match3dRun),
            expected_snapshot_version=expected_snapshot_version,
            action=board.pick_action(str(item_id)),
            play_type=PlayType.MATCH3D,
        )
        (built,) = await build_runs([run], info)
        assert isinstance(built, Match3dRun)
        return Match3dRunPickPayload(errors=[], run=built)
