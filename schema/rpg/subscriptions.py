"""`storySessionEvents`: every change of one of your story sessions, replayed from a cursor,
then live (schema/streaming.py's guarantees: each `sequence` once and in order, 4401 on
revocation, 4008 when falling behind). The events are the session run's (`runs_run_event`,
stream `run:<runtimeSessionId>`), numbered per session; each payload lists the rows changed
(`changes`: `{table, op, row}` for story_session, story_event, npc_state, inventory_slot).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from resolvers.rpg import narration
from resolvers.rpg.store import story as store
from resolvers.runs.model import run_stream
from resolvers.runs.reading import events_by_ids
from resolvers.runs.rows import RunEventRow
from schema.context import Info
from schema.permissions import IsAuthenticated
from schema.streaming import check_cursor, deliver


@strawberry.type(description="One change of a story session, with its per-session sequence.")
class StorySessionEvent:
    sequence: int = strawberry.field(description="Position in the session's stream, from 1.")
    event_id: strawberry.ID = strawberry.field(description="The event's id.")
    kind: str = strawberry.field(
        description="session_started, turn_queued, turn_applied, turn_failed, npc_chat, "
        "npc_gift, npc_help, npc_recruit, inventory_equip, inventory_unequip, inventory_use, "
        "battle_start, battle_attack, battle_skill, battle_item, battle_flee, treasure_open, "
        "treasure_inspect, treasure_leave, quest_accept, quest_turn_in, finished."
    )
    snapshot_version: int = strawberry.field(description="The session's version after it.")
    payload: JSON = strawberry.field(
        description="`changes`: the rows written, each `{table, op, row}` (op insert, update "
        "or delete); `taskId` for turn_queued."
    )
    occurred_at: datetime = strawberry.field(description="When it was applied.")


def _convert(row: RunEventRow, sequence: int) -> StorySessionEvent:
    payload = row.payload_json or {}
    return StorySessionEvent(
        sequence=sequence,
        event_id=strawberry.ID(row.event_id),
        kind=str(payload.get("kind") or row.event_kind),
        snapshot_version=row.snapshot_version,
        payload=JSON(payload),
        occurred_at=row.occurred_at,
    )


@strawberry.type
class RpgSubscription:
    @strawberry.subscription(
        description="Every change of one of your story sessions after `after` (story "
        "events, NPC and inventory changes), then live ones, each `sequence` once and in "
        "order: replay them to rebuild the session. NOT_FOUND for another user's session. "
        "Closes with 4008 if you fall 256 events behind and 4401 when your token expires or "
        "is revoked: reconnect with your last sequence.",
        permission_classes=[IsAuthenticated],
    )
    async def story_session_events(
        self,
        info: Info,
        story_session_id: Annotated[
            strawberry.ID, strawberry.argument(description="The session's id.")
        ],
        after: Annotated[
            int | None,
            strawberry.argument(
                description="Deliver events with a sequence above this one (default 0: all, "
                "then live); null: only new events."
            ),
        ] = 0,
    ) -> AsyncIterator[StorySessionEvent]:
        session = await store.owned_session(
            viewer=info.context.principal, story_session_id=str(story_session_id)
        )
        run_id = session.runtime_session_id
        await narration.settle_session(run_id)
        stream_key = run_stream(run_id)
        await check_cursor(stream_key, after)
        return deliver(info.context, stream_key, after, load_rows=events_by_ids, convert=_convert)
