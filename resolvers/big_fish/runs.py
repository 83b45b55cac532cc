"""Big-fish runs: starting one, steering it, reading it; the statements of its row.

A run belongs to its starter. `start_run` starts it through the run framework
(run_rules.py places the world from a fresh seed): a published work for anyone (PLAY),
or the owner's own draft (TEST); it is RUNNING at tick 0 and starts ticking when someone
watches its frames (live.py). `submit_input` checks the direction (finite, x² + y² ≤ 1;
else BAD_USER_INPUT), the owner (NOT_FOUND otherwise, like a missing run), that the run is
not over (RUN_FINISHED) and the rate (at most `BIG_FISH_INPUTS_PER_SECOND` per run in
each clock second, across processes: one conditional UPDATE counts; RATE_LIMITED beyond):
then `last_input_x/y` is written and the input is sent to the ticking process over the
bus (channel `bf.in.<runId>`). A refusal writes nothing.
"""

from __future__ import annotations

import math
import secrets
import time

from db.transactions import write_transaction
from resolvers import clock
from resolvers.big_fish import drafts, sessions
from resolvers.big_fish.errors import BigFishError, BigFishErrorCode, BigFishRateLimited
from resolvers.big_fish.gate import game_blockers
from resolvers.big_fish.run_rows import BigFishRunRow
from resolvers.big_fish.store import runs as store
from resolvers.errors import BadUserInput, NotFound
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.gallery.play_types import PlayType
from resolvers.principal import Principal
from resolvers.runs import lifecycle
from resolvers.runs.errors import RunError, RunErrorCode
from resolvers.runs.model import RunMode
from settings import get_settings
from subscriptions import bus

NOT_FOUND_MESSAGE = "No such big-fish run."
# Tests choose a run's seed (the world it places) by replacing this.
new_seed = secrets.randbits


def input_channel(run_id: str) -> str:
    """The bus channel of a run's inputs (short: PostgreSQL caps channel names)."""
    return f"bf.in.{run_id}"


runs_by_id = store.runs_by_id


async def owned_run(*, viewer: Principal, run_id: str) -> BigFishRunRow:
    """The viewer's run; NOT_FOUND for a missing run or another user's."""
    owner = viewer.require_user()
    row = (await runs_by_id([run_id])).get(run_id)
    if row is None or row.owner_user_id != owner:
        raise NotFound(NOT_FOUND_MESSAGE)
    return row


async def start_run(*, viewer: Principal, work_id: str) -> BigFishRunRow:
    """A new run through the run framework (`lifecycle.start_run`, same run id): PLAY a
    published work (anyone's, counted like every PLAY run), or TEST your own draft
    (counting nothing). NOT_FOUND for a work you may not play, NOT_PLAYABLE for a draft
    whose game the gate refuses, RUN_LIMIT_REACHED past `RUN_LIMIT` unfinished runs."""
    owner = viewer.require_user()
    work = (await sessions.sessions_by_id([work_id])).get(work_id)
    if work is None or not work.visible_to(owner):
        raise NotFound("No such big-fish work.")
    if game_blockers(drafts.stored_draft(work.draft_json)):
        raise BigFishError(
            BigFishErrorCode.NOT_PLAYABLE, "The work's game is not complete.", field="workId"
        )
    published = work.publication_status is WorkPublicationStatus.PUBLISHED
    try:
        run = await lifecycle.start_run(
            viewer=viewer,
            play_type=PlayType.BIG_FISH,
            work_id=work_id,
            mode=RunMode.PLAY if published else RunMode.TEST,
        )
    except RunError as error:
        if error.code in BIG_FISH_CODES:
            raise BigFishError(
                BigFishErrorCode(error.code), error.message, field=error.field
            ) from error
        raise
    return (await runs_by_id([run.run_id]))[run.run_id]


# Framework refusals of a start that `bigFishRunStart` answers with its own codes.
BIG_FISH_CODES = frozenset({RunErrorCode.RUN_LIMIT_REACHED, RunErrorCode.NOT_PLAYABLE})


def checked_direction(x: float, y: float) -> tuple[float, float]:
    if not (math.isfinite(x) and math.isfinite(y)) or x * x + y * y > 1.0 + 1e-9:
        raise BadUserInput("The direction must be finite numbers with x² + y² ≤ 1.")
    return float(x), float(y)


async def submit_input(*, viewer: Principal, run_id: str, x: float, y: float) -> BigFishRunRow:
    """Steer your run: the new direction, kept until the next input. One conditional
    UPDATE of the run's row writes it and counts it in the current second (`input_second`,
    `input_count`): it matches nothing once `BIG_FISH_INPUTS_PER_SECOND` inputs were taken
    in this second, whichever processes took them (PostgreSQL's row lock makes a concurrent
    writer re-check the count; SQLite's immediate transactions serialize them)."""
    direction = checked_direction(x, y)
    owner = viewer.require_user()
    now = clock.now()
    second = int(now.timestamp())
    async with write_transaction():
        steered = await store.steer(
            run_id=run_id,
            owner_user_id=owner,
            x=direction[0],
            y=direction[1],
            second=second,
            inputs_per_second=get_settings().big_fish_inputs_per_second,
            now=now,
        )
    if steered is None:
        row = await owned_run(viewer=viewer, run_id=run_id)  # a stranger learns nothing more
        if row.finished:
            raise BigFishError(BigFishErrorCode.RUN_FINISHED, "The run is over.", field="runId")
        raise BigFishRateLimited()
    from resolvers.big_fish.live import LIVE_RUNS  # the ticker imports this module

    # The bus carries JSON: the direction and when it was sent (the latest one wins).
    message = {"x": direction[0], "y": direction[1], "at": time.time()}
    LIVE_RUNS.steer(run_id, message)
    await bus.publish(input_channel(run_id), message)
    return steered
