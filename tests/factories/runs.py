"""Runs for tests: GraphQL operations of the framework, reading a run's rows, and a snapshot
of every table to prove a refused write changed nothing."""

from __future__ import annotations

from typing import Any

from db.apps import all_tables
from db.tables.economy import ProfileDashboardState
from db.tables.gallery import GalleryPublicWork
from db.tables.runs import RunsRun, RunsRunEvent
from resolvers.runs.model import Run, run_stream
from resolvers.runs.store.events import event_from_row
from resolvers.runs.store.runs import run_from_row
from subscriptions import streams

RUN_FIELDS = (
    "id runId playType workId mode status reason snapshotVersion startedAt deadlineAt "
    "durationLimitMs finishedAt elapsedMs"
)
RUN_START = (
    "mutation($input: RunStartInput!) { runStart(input: $input) { errors { code field message } "
    f"run {{ {RUN_FIELDS} }} }} }}"
)
RUN_ABANDON = (
    "mutation($id: ID!) { runAbandon(runId: $id) { errors { code field message } "
    f"currentSnapshotVersion run {{ {RUN_FIELDS} }} }} }}"
)
VIEWER_RUNS = (
    "query($playType: PlayType, $status: RunStatus, $first: Int, $after: String) { viewer { "
    "runs(playType: $playType, status: $status, first: $first, after: $after) { "
    f"edges {{ cursor node {{ {RUN_FIELDS} work {{ workId title }} }} }} "
    "pageInfo { hasNextPage endCursor } } } }"
)
PLAYED_WORKS = (
    "query($first: Int, $after: String) { viewer { totalPlayTimeMs "
    "playedWorks(first: $first, after: $after) { edges { node { id worldKey playType workId "
    "title subtitle firstPlayedAt lastPlayedAt lastObservedPlayTimeMs work { workId title } } } "
    "pageInfo { hasNextPage endCursor } } } }"
)
NODE = f"query($id: ID!) {{ node(id: $id) {{ __typename ... on Run {{ {RUN_FIELDS} }} }} }}"


async def play_count(work_id: str) -> int:
    """The work's plays as the gallery counts them."""
    row = await GalleryPublicWork.select().where(GalleryPublicWork.work_id == work_id).first()
    assert row is not None
    return int(row["play_count"])


async def play_time(user_id: str) -> int:
    """The user's total play time (0 before their first finished PLAY run)."""
    row = (
        await ProfileDashboardState.select().where(ProfileDashboardState.user_id == user_id).first()
    )
    return int(row["total_play_time_ms"]) if row else 0


async def stored_run(run_id: str) -> Run:
    row = await RunsRun.select().where(RunsRun.run_id == run_id).first()
    assert row is not None
    return run_from_row(row)


async def events_of(run_id: str) -> list[dict[str, Any]]:
    """The run's events in stream order (kind, version, status, payload, sequence)."""
    entries = await streams.replay(run_stream(run_id), after=0, limit=1000)
    rows = await RunsRunEvent.select().where(RunsRunEvent.run_id == run_id)
    by_id = {row["event_id"]: event_from_row(row) for row in rows}
    assert sorted(by_id) == sorted(entry.event_id for entry in entries)
    return [
        {
            "sequence": entry.sequence,
            "kind": by_id[entry.event_id].event_kind,
            "version": by_id[entry.event_id].snapshot_version,
            "status": by_id[entry.event_id].status,
            "payload": by_id[entry.event_id].payload_json,
        }
        for entry in entries
    ]


async def every_table() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, in a stable order: equal before and after a refused
    write means nothing was written."""
    contents: dict[str, list[dict[str, Any]]] = {}
    for table in all_tables():
        rows = await table.select()
        contents[table._meta.tablename] = sorted(rows, key=repr)
    return contents
