"""Big-fish runs on the graph: `bigFishRunStart`, `bigFishRunInput`, `bigFishRun`, and the
frames each tick (`bigFishRunFrames`).

A run is simulated by the server (resolvers/big_fish/live.py): a client only steers.
Frames go to the run's owner only; subscribing makes this process tick the run.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

import strawberry

from resolvers.big_fish import runs
from resolvers.big_fish.live import LIVE_RUNS
from resolvers.big_fish.model import BigFishRunStatus
from resolvers.big_fish.run_rows import BigFishFrameRow, BigFishRunRow
from schema.big_fish.types import BigFishErrorType
from schema.context import Info
from schema.mutation_errors import DomainErrorPayload
from schema.permissions import IsAuthenticated

strawberry.enum(
    BigFishRunStatus,
    description="RUNNING: ticking while watched; PAUSED: nobody watched for 5 s, its clock "
    "stopped (watching resumes it); WON; LOST; ABANDONED (`runAbandon`).",
)
RUN_ID = "Your big-fish run's `runId`."


@strawberry.type(description="The player's fish in a frame.")
class BigFishPlayer:
    x: float = strawberry.field(description="Position, -10 to 10.")
    y: float = strawberry.field(description="Position, -10 to 10.")
    mass: float = strawberry.field(description="The size of everything eaten so far.")
    level: int = strawberry.field(description="Its level (0-based); its radius is its size.")


@strawberry.type(description="Another fish in a frame.")
class BigFishFish:
    id: int = strawberry.field(description="Its number in the world.")
    level: int = strawberry.field(description="Its level (0-based).")
    x: float = strawberry.field(description="Position, -10 to 10 (it wraps at the edges).")
    y: float = strawberry.field(description="Position, -10 to 10.")


@strawberry.type(description="The world of a run at one tick.")
class BigFishFrame:
    run_id: strawberry.ID = strawberry.field(description="The run.")
    tick: int = strawberry.field(description="Ticks since the start (10 a second while live).")
    status: BigFishRunStatus = strawberry.field(
        description="RUNNING, WON or LOST; ABANDONED only in the one frame a run given up "
        "answers with (its last saved world)."
    )
    player: BigFishPlayer = strawberry.field(description="The player's fish.")
    fish: list[BigFishFish] = strawberry.field(description="The other fish still swimming.")
    eaten: int = strawberry.field(description="Fish eaten so far.")

    @classmethod
    def from_row(cls, run_id: str, frame: BigFishFrameRow) -> BigFishFrame:
        player = frame.player
        return cls(
            run_id=strawberry.ID(run_id),
            tick=frame.tick,
            status=frame.status,
            player=BigFishPlayer(x=player.x, y=player.y, mass=player.mass, level=player.level),
            fish=[BigFishFish(id=f.id, level=f.level, x=f.x, y=f.y) for f in frame.fish],
            eaten=frame.eaten,
        )


@strawberry.type(description="A run of a big-fish work (its owner's alone).")
class BigFishRun:
    run_id: strawberry.ID = strawberry.field(description="The run's id.")
    work_id: strawberry.ID = strawberry.field(description="The work played (its session id).")
    status: BigFishRunStatus = strawberry.field(description="Where the run stands.")
    tick: int = strawberry.field(description="The tick of the last save (once a second).")
    last_input_x: float = strawberry.field(description="The last direction sent, x.")
    last_input_y: float = strawberry.field(description="The last direction sent, y.")
    snapshot: BigFishFrame = strawberry.field(description="The world as last saved.")
    created_at: datetime = strawberry.field(description="When it started.")
    updated_at: datetime = strawberry.field(description="Its last change.")

    @classmethod
    def from_row(cls, row: BigFishRunRow) -> BigFishRun:
        return cls(
            run_id=strawberry.ID(row.run_id),
            work_id=strawberry.ID(row.work_id),
            status=row.status,
            tick=row.tick,
            last_input_x=row.last_input_x,
            last_input_y=row.last_input_y,
            snapshot=BigFishFrame.from_row(row.run_id, row.snapshot),
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


@strawberry.type(description="Result of `bigFishRunStart`.")
class BigFishRunStartPayload:
    errors: list[BigFishErrorType] = strawberry.field(
        description="Empty on success; NOT_PLAYABLE for a draft whose game is incomplete; "
        "RUN_LIMIT_REACHED with 20 unfinished runs (of any play type)."
    )
    run: BigFishRun | None = strawberry.field(description="The new run; null if refused.")


@strawberry.type(description="Result of `bigFishRunInput`.")
class BigFishRunInputPayload:
    errors: list[BigFishErrorType] = strawberry.field(
        description="Empty on success; RUN_FINISHED once the run is over."
    )
    run: BigFishRun | None = strawberry.field(description="The run; null if refused.")


@strawberry.type
class BigFishRunMutation:
    @strawberry.mutation(
        description="Start a run of a published big-fish work (anyone's; a PLAY run of the "
        "run framework, counted as every PLAY run) or of your own draft (a TEST run, "
        "counting nothing): a world placed from a fresh seed, RUNNING at tick 0; it ticks "
        "while you watch `bigFishRunFrames`. The same as `runStart(playType: BIG_FISH)`; "
        "the run is in `viewer.runs` under the same `runId`.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def big_fish_run_start(
        self,
        info: Info,
        work_id: Annotated[strawberry.ID, strawberry.argument(description="The work's id.")],
    ) -> BigFishRunStartPayload:
        row = await runs.start_run(viewer=info.context.principal, work_id=str(work_id))
        return BigFishRunStartPayload(errors=[], run=BigFishRun.from_row(row))

    @strawberry.mutation(
        description="Steer your run: the direction (x, y) with x² + y² ≤ 1 (finite numbers, "
        "else BAD_USER_INPUT) holds until the next input. At most 30 inputs a second per "
        "run (RATE_LIMITED beyond). Another user's run is NOT_FOUND. Nothing is written "
        "on a refusal.",
        permission_classes=[IsAuthenticated],
        extensions=[DomainErrorPayload()],
    )
    async def big_fish_run_input(
        self,
        info: Info,
        run_id: Annotated[strawberry.ID, strawberry.argument(description=RUN_ID)],
        x: Annotated[float, strawberry.argument(description="Direction, x.")],
        y: Annotated[float, strawberry.argument(description="Direction, y.")],
    ) -> BigFishRunInputPayload:
        row = await runs.submit_input(viewer=info.context.principal, run_id=str(run_id), x=x, y=y)
        return BigFishRunInputPayload(errors=[], run=BigFishRun.from_row(row))


@strawberry.type
class BigFishRunSubscription:
    @strawberry.subscription(
        description="The world of your run at every tick (10 a second), starting with the "
        "current one; this process ticks the run while you watch. A slow client skips "
        "frames (at most 8 wait), the simulation never waits. Ends after the WON or LOST "
        "frame. With no watcher for 5 s the run pauses; watching again resumes it. "
        "NOT_FOUND for another user's run.",
        permission_classes=[IsAuthenticated],
    )
    async def big_fish_run_frames(
        self,
        info: Info,
        run_id: Annotated[strawberry.ID, strawberry.argument(description=RUN_ID)],
    ) -> AsyncIterator[BigFishFrame]:
        row = await runs.owned_run(viewer=info.context.principal, run_id=str(run_id))
        run = row.run_id
        if row.finished:
            # (an abandoned run: its last saved world, marked ABANDONED)
            yield BigFishFrame.from_row(run, row.last_frame())
            return

        async def is_over() -> bool:
            found = (await runs.runs_by_id([run])).get(run)
            return found is None or found.finished

        async with LIVE_RUNS.watch(run, is_over=is_over) as queue:
            while (frame := await queue.get()) is not None:
                yield BigFishFrame.from_row(run, frame)
