"""Run mutations of every play type: start and abandon (each play type's actions are its
own mutations, e.g. `puzzleRunSwap`, applied through `resolvers.runs.lifecycle.act`).

A refusal returns `errors` (and, when it knows it, the run's `currentSnapshotVersion`) and
writes nothing; a missing run, another user's run and another user's draft are NOT_FOUND.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.gallery.play_types import PlayType
from resolvers.runs import lifecycle
from resolvers.runs.model import RunMode
from schema.context import Info
from schema.gallery.work import work_object_id
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAuthenticated
from schema.runs.types import Run, RunErrorType, build_runs, run_object_id

ERRORS = "Empty on success; otherwise why nothing was written."
CURRENT_VERSION = (
    "On a SNAPSHOT_STALE or RUN_FINISHED refusal: the run's current `snapshotVersion` "
    "(read the run again and retry from it); null otherwise."
)


@strawberry.input(description="Which work to play, and how.")
class RunStartInput:
    play_type: PlayType = strawberry.field(description="The work's play type.")
    work_id: strawberry.ID = strawberry.field(
        description="The work's `workId` (or its global `id`), up to 128 characters."
    )
    mode: RunMode = strawberry.field(
        default=RunMode.PLAY,
        description="PLAY (default): a published work, anyone's. TEST: your own draft "
        "(another user's draft is NOT_FOUND).",
    )


@strawberry.type(description="What `runStart` did.")
class RunStartPayload:
    errors: list[RunErrorType] = strawberry.field(description=ERRORS)
    run: Run | None = strawberry.field(description="The new run, RUNNING; null when refused.")


@strawberry.type(description="What `runAbandon` did.")
class RunAbandonPayload:
    errors: list[RunErrorType] = strawberry.field(description=ERRORS)
    run: Run | None = strawberry.field(description="The run, ABANDONED; null when refused.")
    current_snapshot_version: int | None = strawberry.field(
        default=None, description=CURRENT_VERSION
    )


@strawberry.type
class RunMutation:
    @strawberry.mutation(
        description="Start a run of a work: PLAY a published work or TEST your own draft. "
        "It runs until the rules end it (WON, LOST), you abandon it, or its time limit "
        "passes (EXPIRED). A PLAY run counts one play of the work (at most one per work "
        "every 10 minutes) and the work in `viewer.playedWorks`. At most 20 unfinished "
        "runs (RUN_LIMIT_REACHED); a play type without runs is PLAY_TYPE_UNSUPPORTED; a "
        "missing work or another user's draft is NOT_FOUND.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def run_start(
        self,
        info: Info,
        input: Annotated[RunStartInput, strawberry.argument(description="The work and mode.")],
    ) -> RunStartPayload:
        run = await lifecycle.start_run(
            viewer=info.context.principal,
            play_type=input.play_type,
            work_id=work_object_id(str(input.work_id), input.play_type),
            mode=input.mode,
        )
        (built,) = await build_runs([run], info)
        return RunStartPayload(errors=[], run=built)

    @strawberry.mutation(
        description="Give up one of your running runs: ABANDONED (reason ABANDONED); its "
        "play time counts. A run that has ended (or whose time is up) is RUN_FINISHED; a "
        "missing run or another user's is NOT_FOUND.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def run_abandon(
        self,
        info: Info,
        run_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The run's `runId` (or its global `id`)."),
        ],
    ) -> RunAbandonPayload:
        run = await lifecycle.abandon_run(
            viewer=info.context.principal, run_id=run_object_id(str(run_id))
        )
        (built,) = await build_runs([run], info)
        return RunAbandonPayload(errors=[], run=built)
