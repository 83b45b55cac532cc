"""Big-fish runs: starting one, steering it, reading it; the statements of its row.

A run belongs to its starter. `start_run` copies the work's rules into a new world
(simulation.world) from a fresh seed: a published work for anyone, or the owner's own
draft (a test run); it is RUNNING at tick 0 and starts ticking when someone watches its
frames (live.py). `submit_input` checks the direction (finite, x² + y² ≤ 1; else
BAD_USER_INPUT), the owner (NOT_FOUND otherwise, like a missing run), that the run is not
over (RUN_FINISHED) and the rate (at most `BIG_FISH_INPUTS_PER_SECOND` per run and
second in this process; RATE_LIMITED beyond): then `last_input_x/y` is written and the
input is sent to the ticking process over the bus (channel `bf.in.<runId>`). A refusal
writes nothing.
"""

from __future__ import annotations

import math
import secrets
import time
from collections import deque
from collections.abc import Sequence
from typing import Any

import orjson

from db.tables.big_fish import BigFishRuntimeRun
from db.transactions import write_transaction
from resolvers import clock
from resolvers.big_fish import drafts, sessions, simulation
from resolvers.big_fish.adapter import as_json
from resolvers.big_fish.errors import BigFishError, BigFishErrorCode, BigFishRateLimited
from resolvers.big_fish.gate import game_blockers
from resolvers.big_fish.model import FINISHED_RUN_STATUSES, BigFishRunStatus
from resolvers.errors import BadUserInput, NotFound
from resolvers.gallery.model import WorkPublicationStatus
from resolvers.gallery.play_types import PlayType
from resolvers.ids import new_id
from resolvers.principal import Principal
from resolvers.runs.played import count_play_of
from settings import get_settings
from subscriptions import bus

NOT_FOUND_MESSAGE = "No such big-fish run."
RUN_COLUMNS = (
    "run_id, session_id, owner_user_id, status, snapshot_json, last_input_x, last_input_y, "
    "tick, created_at, updated_at, seed, lease_owner, lease_expires_at, saved_at, finished_at"
)
# Tests choose a run's seed (the world it places) by replacing this.
new_seed = secrets.randbits


def input_channel(run_id: str) -> str:
    """The bus channel of a run's inputs (short: PostgreSQL caps channel names)."""
    return f"bf.in.{run_id}"


def decoded(row: Any) -> dict[str, Any]:
    result = dict(row)
    if isinstance(result.get("snapshot_json"), str | bytes):
        result["snapshot_json"] = orjson.loads(result["snapshot_json"])
    return result


async def runs_by_id(run_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    if not run_ids:
        return {}
    marks = ", ".join("{}" for _ in run_ids)
    rows = await BigFishRuntimeRun.raw(
        f"SELECT {RUN_COLUMNS} FROM big_fish_runtime_run WHERE run_id IN ({marks})", *run_ids
    )
    return {row["run_id"]: decoded(row) for row in rows}


async def owned_run(*, viewer: Principal, run_id: str) -> dict[str, Any]:
    """The viewer's run; NOT_FOUND for a missing run or another user's."""
    owner = viewer.require_user()
    row = (await runs_by_id([run_id])).get(run_id)
    if row is None or row["owner_user_id"] != owner:
        raise NotFound(NOT_FOUND_MESSAGE)
    return row


async def start_run(*, viewer: Principal, work_id: str) -> dict[str, Any]:
    """A new run of a published work (or your own draft); NOT_FOUND for a work you may
    not play, NOT_PLAYABLE for a draft whose game the gate refuses."""
    owner = viewer.require_user()
    work = (await sessions.sessions_by_id([work_id])).get(work_id)
    if not sessions.visible(work, owner):
        raise NotFound("No such big-fish work.")
    assert work is not None
    draft = drafts.stored_draft(work["draft_json"])
    if game_blockers(draft):
        raise BigFishError(
            BigFishErrorCode.NOT_PLAYABLE, "The work's game is not complete.", field="workId"
        )
    seed = new_seed(48)
    snapshot = simulation.world(
        seed=seed,
        levels=[level.model_dump() for level in draft.levels],
        thresholds=draft.growth_thresholds,
        start_level=draft.player_level,
        player_speed=draft.player_speed,
        win_size=draft.win_size,
    )
    now = clock.now()
    async with write_transaction():
        rows = await BigFishRuntimeRun.raw(
            "INSERT INTO big_fish_runtime_run (run_id, session_id, owner_user_id, status, "
            "snapshot_json, last_input_x, last_input_y, tick, created_at, updated_at, seed, "
            "lease_owner, lease_expires_at, saved_at, finished_at) VALUES ({}, {}, {}, {}, "
            f"{{}}, 0, 0, 0, {{}}, {{}}, {{}}, NULL, NULL, {{}}, NULL) RETURNING {RUN_COLUMNS}",
            new_id(),
            work_id,
            owner,
            BigFishRunStatus.RUNNING.value,
            as_json(snapshot),
            now,
            now,
            seed,
            now,
        )
        if work["publication_status"] == WorkPublicationStatus.PUBLISHED.value:
            await BigFishRuntimeRun.raw(
                "UPDATE big_fish_creation_session SET play_count = play_count + 1 "
                "WHERE session_id = {}",
                work_id,
            )
            # The gallery counts plays as for framework runs: once per user and work per
            # 10 minutes (resolvers/runs/played.py).
            await count_play_of(
                user_id=owner, play_type=PlayType.BIG_FISH, work_id=work_id, now=now
            )
    return decoded(rows[0])


class RateLimiter:
    """At most `limit` events per key within any second (a sliding window, this process)."""

    def __init__(self) -> None:
        self._seen: dict[str, deque[float]] = {}

    def allow(self, key: str, limit: int) -> bool:
        now = time.monotonic()
        window = self._seen.setdefault(key, deque())
        while window and window[0] <= now - 1.0:
            window.popleft()
        if len(window) >= limit:
            return False
        window.append(now)
        if len(self._seen) > 10_000:  # forget idle runs
            self._seen = {k: v for k, v in self._seen.items() if v and v[-1] > now - 1.0}
        return True


LIMITER = RateLimiter()


def checked_direction(x: float, y: float) -> tuple[float, float]:
    if not (math.isfinite(x) and math.isfinite(y)) or x * x + y * y > 1.0 + 1e-9:
        raise BadUserInput("The direction must be finite numbers with x² + y² ≤ 1.")
    return float(x), float(y)


async def submit_input(*, viewer: Principal, run_id: str, x: float, y: float) -> dict[str, Any]:
    """Steer your run: the new direction, kept until the next input."""
    direction = checked_direction(x, y)
    owner = viewer.require_user()
    if not LIMITER.allow(f"{run_id}:{owner}", get_settings().big_fish_inputs_per_second):
        await owned_run(viewer=viewer, run_id=run_id)  # a stranger learns nothing more
        raise BigFishRateLimited()
    now = clock.now()
    finished = [status.value for status in FINISHED_RUN_STATUSES]
    rows = await BigFishRuntimeRun.raw(
        "UPDATE big_fish_runtime_run SET last_input_x = {}, last_input_y = {}, updated_at = {} "
        "WHERE run_id = {} AND owner_user_id = {} AND status NOT IN ({}, {}) "
        f"RETURNING {RUN_COLUMNS}",
        direction[0],
        direction[1],
        now,
        run_id,
        owner,
        *finished,
    )
    if not rows:
        await owned_run(viewer=viewer, run_id=run_id)
        raise BigFishError(BigFishErrorCode.RUN_FINISHED, "The run is over.", field="runId")
    from resolvers.big_fish.live import LIVE_RUNS  # the ticker imports this module

    message = {"x": direction[0], "y": direction[1], "at": time.time()}
    LIVE_RUNS.steer(run_id, message)
    await bus.publish(input_channel(run_id), message)
    return decoded(rows[0])
