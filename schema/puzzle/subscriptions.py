"""`puzzleEvents`: the viewer's puzzle events (PUBLISHED, UPDATED, UNPUBLISHED).

Same guarantees as the AI-task streams (schema/streaming.py): replay after `after`, then
live, each sequence once and in order; 4401 on revocation, 4008 when falling behind.
Each delivered batch loads its events with one statement (and their works with one more).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import strawberry

from resolvers.puzzle.model import owner_stream
from resolvers.puzzle.rows import PuzzleEventRow
from resolvers.puzzle.works import events_by_ids
from schema.context import Info
from schema.gallery.loaders import GalleryLoaders
from schema.permissions import IsAuthenticated
from schema.puzzle.events import PuzzleEvent
from schema.streaming import check_cursor, deliver

AFTER = (
    "Deliver events with a sequence above this one (0: the whole history); null (default): "
    "only new events."
)
# An event with its batch's loaders (the works it shows load once per batch).
Loaded = tuple[PuzzleEventRow, GalleryLoaders]


@strawberry.type
class PuzzleSubscription:
    @strawberry.subscription(
        description="Events of your puzzle works (PUBLISHED, UPDATED, UNPUBLISHED) after "
        "`after`, then live ones, each `sequence` once and in order. Closes with 4008 if "
        "you fall behind, 4500 if the server lost the stream and 4401 when your token "
        "expires or is revoked: reconnect with "
        "your last sequence.",
        permission_classes=[IsAuthenticated],
    )
    async def puzzle_events(
        self,
        info: Info,
        after: Annotated[int | None, strawberry.argument(description=AFTER)] = None,
    ) -> AsyncIterator[PuzzleEvent]:
        viewer = info.context.principal.require_user()
        stream_key = owner_stream(viewer)
        await check_cursor(stream_key, after)

        async def load_rows(event_ids: list[str]) -> dict[str, Loaded]:
            rows = await events_by_ids(event_ids)
            loaders = GalleryLoaders(viewer_user_id=viewer)  # one per batch
            return {event_id: (row, loaders) for event_id, row in rows.items()}

        return deliver(info.context, stream_key, after, load_rows=load_rows, convert=_convert)


def _convert(loaded: Loaded, sequence: int) -> PuzzleEvent:
    row, loaders = loaded
    return PuzzleEvent.from_row(row, sequence, loaders)
