"""Why a guarded write of a run found nothing to change: one read decides.

Called after a run's guard UPDATE (`… WHERE run_id AND owner AND snapshot_version AND
status = 'running' AND deadline_at > now`) returned no row, outside any transaction (the
refused write wrote nothing). In order:
- no such run, another user's run, or a run of another play type than the mutation's:
  `NotFound` (the same answer for all three);
- a running run past its deadline: it is expired now, in its own transaction (so a late
  request never finishes it), then RUN_FINISHED;
- a finished run: RUN_FINISHED;
- a PAUSED run (an action's guard takes RUNNING runs only): RUN_PAUSED;
- a snapshot version that is not the expected one: SNAPSHOT_STALE.
Each RunError carries the run's current snapshot version for the payload. When none of
these holds (the run changed back between the two statements) it returns, and the caller
tries its write again.
"""

from __future__ import annotations

from datetime import datetime

from resolvers.errors import NotFound
from resolvers.gallery.play_types import PlayType
from resolvers.runs.errors import RunError, RunErrorCode
from resolvers.runs.finishing import expire_run
from resolvers.runs.model import Run, RunStatus
from resolvers.runs.store.runs import run_by_id


async def _read(run_id: str) -> Run | None:
    return await run_by_id(run_id)


async def owned_run(run_id: str, user_id: str, play_type: PlayType | None = None) -> Run:
    """The user's run (of `play_type` when given), or `NotFound`."""
    run = await _read(run_id)
    if run is None or run.owner_user_id != user_id:
        raise NotFound("No such run.")
    if play_type is not None and run.play_type is not PlayType(play_type):
        raise NotFound("No such run.")
    return run


async def refuse(
    *,
    run_id: str,
    user_id: str,
    play_type: PlayType | None,
    expected_version: int | None,
    now: datetime,
) -> None:
    """Raise the refusal that explains the missed guard (see the module docstring)."""
    run = await owned_run(run_id, user_id, play_type)
    if run.status is RunStatus.RUNNING and run.deadline_at <= now:
        expired = await expire_run(run_id, now) or await _read(run_id) or run
        raise RunError(
            RunErrorCode.RUN_FINISHED,
            "The run's time is up.",
            current_version=expired.snapshot_version,
        )
    if run.finished:
        raise RunError(
            RunErrorCode.RUN_FINISHED,
            f"The run has ended ({run.status.name}).",
            current_version=run.snapshot_version,
        )
    if run.status is RunStatus.PAUSED and expected_version is not None:
        raise RunError(
            RunErrorCode.RUN_PAUSED,
            "The run is paused; its play type resumes it.",
            current_version=run.snapshot_version,
        )
    if expected_version is not None and run.snapshot_version != expected_version:
        raise RunError(
            RunErrorCode.SNAPSHOT_STALE,
            f"The run is at snapshot version {run.snapshot_version}, not {expected_version}.",
            field="expectedSnapshotVersion",
            current_version=run.snapshot_version,
        )
