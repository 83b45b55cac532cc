"""The statements that list runs: the viewer's page and the sweeps' batches."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from db.tables.runs import RunsRun
from resolvers.gallery.play_types import PlayType
from resolvers.pagination import Page, keyset_page
from resolvers.runs.model import Run, RunStatus
from resolvers.runs.store.runs import run_from_row


async def runs_page(
    *,
    user_id: str,
    play_type: PlayType | None,
    status: RunStatus | None,
    first: int | None,
    after: str | None,
) -> Page[Run]:
    """One keyset page of the user's runs (of one play type or status when given), most
    recently changed first."""
    where: Any = RunsRun.owner_user_id == user_id
    if play_type is not None:
        where &= RunsRun.play_type == PlayType(play_type).value
    if status is not None:
        where &= RunsRun.status == RunStatus(status).value
    page = await keyset_page(
        RunsRun, RunsRun.updated_at, RunsRun.run_id, first=first, after=after, where=where
    )
    return Page(
        items=[run_from_row(row) for row in page.items],
        cursors=page.cursors,
        has_next_page=page.has_next_page,
    )


async def overdue_run_ids(*, now: datetime, limit: int) -> list[str]:
    """Running runs past their deadline, earliest deadline first."""
    rows = (
        await RunsRun.select(RunsRun.run_id)
        .where((RunsRun.status == RunStatus.RUNNING.value) & (RunsRun.deadline_at <= now))
        .order_by(RunsRun.deadline_at)
        .limit(limit)
    )
    return [row["run_id"] for row in rows]


async def purgeable_run_ids(*, cutoff: datetime, limit: int) -> list[str]:
    """Runs finished before `cutoff` whose events are not purged yet, oldest first."""
    rows = (
        await RunsRun.select(RunsRun.run_id)
        .where(RunsRun.events_purged_at.is_null() & (RunsRun.finished_at < cutoff))
        .order_by(RunsRun.finished_at)
        .limit(limit)
    )
    return [row["run_id"] for row in rows]


async def mark_events_purged(*, run_ids: Sequence[str], now: datetime) -> int:
    """Mark the runs' events purged (unless already); how many were marked."""
    marked = (
        await RunsRun.update({RunsRun.events_purged_at: now})
        .where(RunsRun.run_id.is_in(list(run_ids)) & RunsRun.events_purged_at.is_null())
        .returning(RunsRun.run_id)
    )
    return len(marked)
