"""A run's life: start, act, abandon (expiry: resolvers/runs/finishing.py).

The server referees: a client sends intentions, the server checks them against the run's
snapshot and applies the play type's rules (`RunRules`, resolvers/runs/rules.py).

- `start_run`: PLAY a published work (anyone's) or TEST your own draft (another user's
  draft is NOT_FOUND, like a missing work). At most `RUN_LIMIT` (20) unfinished runs per
  user: the user's starts are serialized on their dashboard row, then counted. One
  transaction inserts the `runs_run` row, lets the play type write its state
  (`rules.start`), records the STARTED event and, in PLAY mode, counts a play (once per 10
  minutes) and the played work.
- `act`: the version guard is one conditional UPDATE of the run's row (`… WHERE run_id AND
  owner AND snapshot_version = <expected> AND status = 'running' AND deadline_at > now
  RETURNING *`) that bumps `snapshot_version`; then `rules.apply`, the ACTION event and,
  when the rules say the run is won or lost, its end (finishing.py), in that transaction.
  Two concurrent actions with one version: the guard lets exactly one through. A guard
  that matches nothing writes nothing; one read then decides the refusal (refusals.py).
  An illegal move raises inside the transaction: no row, no event, no version bump.
- `abandon_run`: the same guard without a version (a PAUSED run too, whatever its
  deadline: it cannot expire while paused); ABANDONED with reason ABANDONED.
A play type without a time limit (`NO_TIME_LIMIT`) starts its runs with the deadline
`NO_DEADLINE`; a PAUSED run (resolvers/runs/server_clock.py) counts against the limit.
Each function publishes its events after its commit; call them outside any transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from db.transactions import write_transaction
from resolvers import clock
from resolvers.errors import BadUserInput, NotFound
from resolvers.gallery.model import utc
from resolvers.gallery.play_types import PlayType
from resolvers.ids import new_id
from resolvers.principal import Principal
from resolvers.runs import played, refusals
from resolvers.runs.errors import RunError, RunErrorCode
from resolvers.runs.finishing import end_running, finished, record_elapsed
from resolvers.runs.model import (
    NO_DEADLINE,
    NO_TIME_LIMIT,
    Run,
    RunEventKind,
    RunMode,
    RunStatus,
)
from resolvers.runs.registry import require_rules
from resolvers.runs.store import runs as store
from resolvers.runs.store.events import record_event
from settings import get_settings
from subscriptions import streams
from subscriptions.streams import StreamEntry

# A guard can miss because the run changed between it and the read that explains it; the
# write is tried again this many times before answering SNAPSHOT_STALE.
ATTEMPTS = 3
ENDINGS = frozenset({RunStatus.WON, RunStatus.LOST})
MAX_WORK_ID_LENGTH = 128  # runs_run.work_id


async def start_run(
    *, viewer: Principal, play_type: PlayType | str, work_id: str, mode: RunMode | str
) -> Run:
    """A new run of `work_id` (see the module docstring). Raises RunError
    (PLAY_TYPE_UNSUPPORTED, RUN_LIMIT_REACHED), NotFound or BadUserInput (a work id longer
    than 128 characters); nothing is written then."""
    user_id = viewer.require_user()
    rules = require_rules(play_type)
    mode = RunMode(mode)
    if not 1 <= len(work_id) <= MAX_WORK_ID_LENGTH:
        raise BadUserInput(f"`workId` is 1 to {MAX_WORK_ID_LENGTH} characters.")
    now = utc(clock.now())
    limit_ms = rules.time_limit_ms()
    if limit_ms < 0:
        raise ValueError(f"{rules.play_type} has a time limit of {limit_ms} ms")
    async with write_transaction():
        work = await rules.playable_work(work_id=work_id, mode=mode, user_id=user_id)
        if work is None or (mode is RunMode.TEST and work.owner_user_id != user_id):
            raise NotFound("No such work.")
        if work.time_limit_ms is not None:
            limit_ms = work.time_limit_ms  # the work chose its own limit
        await played.lock_player(user_id, now)
        unfinished = await store.count_unfinished(user_id=user_id, now=now)
        limit = get_settings().run_limit
        if unfinished >= limit:
            raise RunError(
                RunErrorCode.RUN_LIMIT_REACHED,
                f"You have {limit} unfinished runs: finish or abandon one first.",
            )
        run = Run(
            run_id=new_id(),
            play_type=rules.play_type,
            work_id=work.work_id,
            owner_user_id=user_id,
            mode=mode,
            status=RunStatus.RUNNING,
            reason=None,
            snapshot_version=0,
            started_at=now,
            deadline_at=(
                now + timedelta(milliseconds=limit_ms) if limit_ms != NO_TIME_LIMIT else NO_DEADLINE
            ),
            duration_limit_ms=limit_ms,
            finished_at=None,
            elapsed_ms=None,
            updated_at=now,
        )
        await store.insert_run(run)
        payload = await rules.start(run=run, work=work, now=now)
        entries = await record_event(run, RunEventKind.STARTED, now=now, payload=payload)
        if mode is RunMode.PLAY:
            await played.count_play(run, now)
            await played.played(run, work, now)
    await streams.publish(entries)
    return run


async def act(
    *,
    viewer: Principal,
    run_id: str,
    expected_snapshot_version: int,
    action: Mapping[str, Any],
    play_type: PlayType | str | None = None,
) -> Run:
    """Apply one action to the viewer's run (see the module docstring); returns the run
    after it. `play_type`: the mutation's play type (a run of another one is NOT_FOUND).
    Raises RunError (SNAPSHOT_STALE, RUN_FINISHED, ILLEGAL_MOVE, …) or NotFound."""
    user_id = viewer.require_user()
    kind = PlayType(play_type) if play_type is not None else None
    for _ in range(ATTEMPTS):
        now = utc(clock.now())
        applied = await _apply(run_id, user_id, kind, expected_snapshot_version, action, now)
        if applied is not None:
            run, entries = applied
            await streams.publish(entries)
            return run
        await refusals.refuse(
            run_id=run_id,
            user_id=user_id,
            play_type=kind,
            expected_version=expected_snapshot_version,
            now=now,
        )
    raise RunError(
        RunErrorCode.SNAPSHOT_STALE,
        "The run keeps changing; read it again.",
        field="expectedSnapshotVersion",
    )


async def _apply(
    run_id: str,
    user_id: str,
    play_type: PlayType | None,
    expected: int,
    action: Mapping[str, Any],
    now: datetime,
) -> tuple[Run, list[StreamEntry]] | None:
    """The guarded write; None when the guard matched nothing (nothing was written)."""
    async with write_transaction():
        run = await store.guard_action(
            run_id=run_id, user_id=user_id, expected=expected, play_type=play_type, now=now
        )
        if run is None:
            return None
        outcome = await require_rules(run.play_type).apply(run=run, action=action, now=now)
        entries = list(outcome.entries)
        entries += await record_event(
            run, RunEventKind.ACTION, now=now, payload=outcome.event, action=action
        )
        if outcome.status is not None:
            if outcome.status not in ENDINGS:
                raise ValueError(f"an action can only win or lose a run, not {outcome.status}")
            run, ending = await end_running(run, outcome.status, outcome.reason, now)
            entries += ending
    return run, entries


async def abandon_run(*, viewer: Principal, run_id: str) -> Run:
    """The owner gives a running run up: ABANDONED (reason ABANDONED), one more snapshot
    version. Raises RunError(RUN_FINISHED) or NotFound; nothing is written then."""
    user_id = viewer.require_user()
    for _ in range(ATTEMPTS):
        now = utc(clock.now())
        async with write_transaction():
            abandoned = await store.abandon(run_id=run_id, user_id=user_id, now=now)
            if abandoned is not None:
                ended = await record_elapsed(abandoned, now)
                entries = await finished(ended, now)
        if abandoned is not None:
            await streams.publish(entries)
            return ended
        await refusals.refuse(
            run_id=run_id, user_id=user_id, play_type=None, expected_version=None, now=now
        )
    raise RunError(RunErrorCode.RUN_FINISHED, "The run could not be abandoned; read it again.")
