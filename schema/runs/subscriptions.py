"""`runEvents`: the applied changes of one of your runs, replayed from a cursor, then live.

Same guarantees as the AI-task streams (schema/streaming.py): each `sequence` once and in
order, 4401 on revocation, 4008 when falling behind. The run must be the viewer's
(NOT_FOUND otherwise, checked when subscribing). Each delivered batch loads its events
with one statement. Streams of runs finished more than 30 days ago are purged: they replay
nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import strawberry

from resolvers.runs.model import run_stream
from resolvers.runs.reading import events_by_ids
from resolvers.runs.refusals import owned_run
from resolvers.runs.rows import RunEventRow
from schema.context import Info
from schema.permissions import IsAuthenticated
from schema.runs.types import RunEvent, run_object_id
from schema.streaming import check_cursor, deliver


async def _load_rows(event_ids: list[str]) -> dict[str, RunEventRow]:
    return await events_by_ids(event_ids)


@strawberry.type
class RunSubscription:
    @strawberry.subscription(
        description="Events of one of your runs (STARTED, every applied ACTION, FINISHED) "
        "after `after`, then live ones, each `sequence` once and in order: replay them to "
        "rebuild the run after a reconnect. NOT_FOUND for another user's run. Closes with "
        "4008 if you fall 256 events behind and 4401 when your token expires or is revoked: "
        "reconnect with your last sequence.",
        permission_classes=[IsAuthenticated],
    )
    async def run_events(
        self,
        info: Info,
        run_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The run's `runId` (or its global `id`)."),
        ],
        after: Annotated[
            int | None,
            strawberry.argument(
                description="Deliver events with a sequence above this one (default 0: the "
                "whole history, then live); null: only new events."
            ),
        ] = 0,
    ) -> AsyncIterator[RunEvent]:
        viewer = info.context.principal.require_user()
        run = await owned_run(run_object_id(str(run_id)), viewer)
        stream_key = run_stream(run.run_id)
        await check_cursor(stream_key, after)
        return deliver(info.context, stream_key, after, load_rows=_load_rows, convert=_convert)


def _convert(row: RunEventRow, sequence: int) -> RunEvent:
    return RunEvent.from_row(row, sequence)
