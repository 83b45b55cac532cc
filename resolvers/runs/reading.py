"""Reading runs: one run for its owner, the viewer's runs across play types, their states,
events, played works and total play time. Every list is one keyset statement.

Reading a single run is a touch: a running run past its deadline is expired first (its
own transaction), so its owner never sees it running after its limit. Lists show the
stored rows (the sweep expires overdue runs within `RUN_SWEEP_SECONDS`), so a page costs
the same whatever it holds.
"""

from __future__ import annotations

from collections.abc import Sequence

from resolvers import clock
from resolvers.gallery.model import utc
from resolvers.gallery.play_types import PlayType
from resolvers.pagination import Page
from resolvers.principal import Principal
from resolvers.runs.finishing import expire_run
from resolvers.runs.model import Run, RunStatus
from resolvers.runs.registry import rules_for
from resolvers.runs.rows import RunEventRow
from resolvers.runs.store import events as event_store
from resolvers.runs.store import listing
from resolvers.runs.store.runs import run_by_id


async def run_for_viewer(*, viewer: Principal, run_id: str) -> Run | None:
    """The viewer's run, expired first if its time is up; None for a missing run or
    another user's."""
    user_id = viewer.user_id
    if user_id is None:
        return None
    run = await run_by_id(run_id)
    if run is None or run.owner_user_id != user_id:
        return None
    now = utc(clock.now())
    if run.status is RunStatus.RUNNING and run.deadline_at <= now:
        expired = await expire_run(run_id, now)
        if expired is None:
            return await run_by_id(run_id)
        return expired
    return run


async def runs_of(
    *,
    user_id: str,
    play_type: PlayType | None = None,
    status: RunStatus | None = None,
    first: int | None = None,
    after: str | None = None,
) -> Page[Run]:
    """The user's runs of every play type (or one), most recently changed first."""
    return await listing.runs_page(
        user_id=user_id, play_type=play_type, status=status, first=first, after=after
    )


async def states_of(runs: Sequence[Run]) -> dict[str, object]:
    """Each run's play-type state row (`RunRules.states()`, each type its own), by run id:
    one statement per play type among them."""
    by_type: dict[PlayType, list[str]] = {}
    for run in runs:
        by_type.setdefault(run.play_type, []).append(run.run_id)
    states: dict[str, object] = {}
    for play_type, run_ids in by_type.items():
        rules = rules_for(play_type)
        if rules is not None:
            states.update(await rules.states(run_ids))
    return states


async def events_by_ids(event_ids: Sequence[str]) -> dict[str, RunEventRow]:
    """Run events by id (one statement), JSON decoded."""
    if not event_ids:
        return {}
    return await event_store.events_by_ids(event_ids)
