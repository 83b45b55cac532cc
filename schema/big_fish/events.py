"""`bigFishEvents`: the publish-gate evaluations of one of your sessions, replayed from a
cursor, then live (the guarantees of schema/streaming.py: each sequence once, in order)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

import strawberry

from resolvers.big_fish.gate import events_by_ids, session_stream
from resolvers.big_fish.rows import BigFishEventRow
from resolvers.big_fish.sessions import owned_session
from schema.big_fish.types import BigFishBlocker
from schema.context import Info
from schema.permissions import IsAuthenticated
from schema.streaming import check_cursor, deliver


@strawberry.type(description="One evaluation of a big-fish session's publish gate.")
class BigFishEvent:
    sequence: int = strawberry.field(description="Position in the session's stream, from 1.")
    event_id: strawberry.ID = strawberry.field(description="The event's id.")
    session_id: strawberry.ID = strawberry.field(description="The session.")
    kind: str = strawberry.field(description="`publish_gate_evaluated`.")
    publish_ready: bool = strawberry.field(description="Whether nothing blocked publishing.")
    blockers: list[BigFishBlocker] = strawberry.field(description="What blocked it.")
    occurred_at: datetime = strawberry.field(description="When the gate ran.")

    @classmethod
    def from_row(cls, row: BigFishEventRow, sequence: int) -> BigFishEvent:
        return cls(
            sequence=sequence,
            event_id=strawberry.ID(row.event_id),
            session_id=strawberry.ID(row.session_id),
            kind=row.event_kind.value,
            publish_ready=row.publish_ready,
            blockers=[BigFishBlocker.from_blocker(blocker) for blocker in row.blockers],
            occurred_at=row.occurred_at,
        )


@strawberry.type
class BigFishEventSubscription:
    @strawberry.subscription(
        description="Gate evaluations of your big-fish session after `after` (default 0: "
        "all, then live; null: only new ones). NOT_FOUND for another user's session.",
        permission_classes=[IsAuthenticated],
    )
    async def big_fish_events(
        self,
        info: Info,
        session_id: Annotated[strawberry.ID, strawberry.argument(description="The session.")],
        after: Annotated[
            int | None, strawberry.argument(description="The last sequence you have.")
        ] = 0,
    ) -> AsyncIterator[BigFishEvent]:
        row = await owned_session(viewer=info.context.principal, session_id=str(session_id))
        stream_key = session_stream(row.session_id)
        await check_cursor(stream_key, after)
        return deliver(
            info.context, stream_key, after, load_rows=events_by_ids, convert=BigFishEvent.from_row
        )
