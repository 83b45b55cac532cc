"""`visualNovelRunEvents`: the runtime events of one of your visual-novel runs, replayed
from a cursor, then live (one per applied turn; schema/streaming.py's guarantees: each
`sequence` once and in order, 4401 on revocation, 4008 when falling behind). The run must
be the viewer's (NOT_FOUND otherwise, checked when subscribing). These events are audit
facts of the run, not a replay of it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from resolvers.gallery.play_types import PlayType
from resolvers.runs.refusals import owned_run
from resolvers.visual_novel import narration
from resolvers.visual_novel.model import run_event_stream
from resolvers.visual_novel.rows import VisualNovelRuntimeEventRow
from resolvers.visual_novel.store.history import events_by_ids
from schema.context import Info
from schema.permissions import IsAuthenticated
from schema.runs.types import run_object_id
from schema.streaming import check_cursor, deliver


@strawberry.type(description="One runtime event of a visual-novel run: an applied turn.")
class VisualNovelRuntimeEvent:
    sequence: int = strawberry.field(description="Position in the run's stream, from 1.")
    event_id: strawberry.ID = strawberry.field(description="The event's id.")
    run_id: strawberry.ID = strawberry.field(description="The run it belongs to.")
    kind: str = strawberry.field(description="`turn_applied` or `turn_regenerated`.")
    history_entry_id: strawberry.ID = strawberry.field(description="The turn's history entry.")
    client_event_id: str = strawberry.field(
        description="The AI task of a text turn; '' for a choice."
    )
    payload: JSON = strawberry.field(
        description="`turnIndex`, `source`, `sceneId`, `endingId`, `narrative`, `snapshotVersion`."
    )
    occurred_at: datetime = strawberry.field(description="When the turn was applied.")


def _convert(row: VisualNovelRuntimeEventRow, sequence: int) -> VisualNovelRuntimeEvent:
    return VisualNovelRuntimeEvent(
        sequence=sequence,
        event_id=strawberry.ID(row.event_id),
        run_id=strawberry.ID(row.run_id),
        kind=row.event_kind.value,
        history_entry_id=strawberry.ID(row.history_entry_id),
        client_event_id=row.client_event_id,
        payload=JSON(row.payload_json),
        occurred_at=row.occurred_at,
    )


@strawberry.type
class VisualNovelSubscription:
    @strawberry.subscription(
        description="The runtime events of one of your visual-novel runs after `after`, then "
        "live ones, each `sequence` once and in order. NOT_FOUND for another user's run. "
        "Closes with 4008 if you fall 256 events behind and 4401 when your token expires or "
        "is revoked: reconnect with your last sequence.",
        permission_classes=[IsAuthenticated],
    )
    async def visual_novel_run_events(
        self,
        info: Info,
        run_id: Annotated[
            strawberry.ID, strawberry.argument(description="The run's `runId` or global `id`.")
        ],
        after: Annotated[
            int | None,
            strawberry.argument(
                description="Deliver events with a sequence above this one (default 0: all, "
                "then live); null: only new events."
            ),
        ] = 0,
    ) -> AsyncIterator[VisualNovelRuntimeEvent]:
        viewer = info.context.principal.require_user()
        run = await owned_run(run_object_id(str(run_id)), viewer, PlayType.VISUAL_NOVEL)
        # A text turn whose task finished while its listener did not run is applied first.
        await narration.settle_run(run.run_id)
        stream_key = run_event_stream(run.run_id)
        await check_cursor(stream_key, after)
        return deliver(info.context, stream_key, after, load_rows=events_by_ids, convert=_convert)
