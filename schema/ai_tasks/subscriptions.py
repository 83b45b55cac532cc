"""AI-task subscriptions: the events of one task, or of all the viewer's tasks.

Each field replays the stream after the `after` cursor, then delivers live events, every
sequence once and in order (schema/streaming.py over subscriptions/streams.py). Event rows
load once per event per process, shared by its subscribers (schema/ai_tasks/loaders.py).
Authorization:
- at subscribe time: a signed-in user (anonymous sockets get UNAUTHENTICATED, service
  tokens FORBIDDEN), and the task must be theirs (NOT_FOUND otherwise);
- for every event: the connection's watch (schema/websocket.py) must not be revoked or
  expired; once it is, delivery stops and the socket closes with 4401 — in memory, with
  no query per event.
A subscriber that falls more than `REALTIME_QUEUE_SIZE` messages behind is closed with
4008; it resumes with its last `sequence` as `after`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import strawberry

from resolvers.ai_tasks import reading
from resolvers.ai_tasks.model import owner_stream, task_stream
from resolvers.ai_tasks.rows import AiTaskEventRow
from schema.ai_tasks.loaders import event_rows
from schema.ai_tasks.types import AiTaskEvent, task_key
from schema.context import Info
from schema.permissions import IsAuthenticated
from schema.shared_events import shared_event
from schema.streaming import check_cursor, deliver


async def _load_rows(event_ids: list[str]) -> dict[str, AiTaskEventRow]:
    return await event_rows().load_many(event_ids)


def _convert(row: AiTaskEventRow, sequence: int) -> AiTaskEvent:
    # An event at a stream position never changes: one object (and one execution per
    # operation and viewer) for all of this process's subscribers (schema/shared_events.py).
    return shared_event(
        ("ai_task_event", row.event_id, sequence),
        lambda: AiTaskEvent.from_row(row, sequence=sequence),
    )


@strawberry.type
class AiTaskSubscription:
    @strawberry.subscription(
        description="Events of one of your tasks: those after `after` from its history, then "
        "live ones, each `sequence` once and in order (text streams as TEXT_CHUNK events). "
        "NOT_FOUND for another user's task. Closes with 4008 if you fall 256 events behind, "
        "4500 if the server lost the stream, and 4401 when your token expires or is revoked: "
        "reconnect with your last sequence.",
        permission_classes=[IsAuthenticated],
    )
    async def ai_task_events(
        self,
        info: Info,
        task_id: Annotated[
            strawberry.ID,
            strawberry.argument(description="The task's `taskId` (or its global `id`)."),
        ],
        after: Annotated[
            int | None,
            strawberry.argument(
                description="Deliver events with a sequence above this one (default 0: the "
                "whole history, then live); null: only new events."
            ),
        ] = 0,
    ) -> AsyncIterator[AiTaskEvent]:
        task = await reading.owned_task(viewer=info.context.principal, task_id=task_key(task_id))
        stream_key = task_stream(task.task_id)
        await check_cursor(stream_key, after)
        return deliver(info.context, stream_key, after, load_rows=_load_rows, convert=_convert)

    @strawberry.subscription(
        description="Events of all your tasks in one stream (its own sequences): those after "
        "`after`, then live ones, each once and in order. Same closing rules as "
        "`aiTaskEvents`.",
        permission_classes=[IsAuthenticated],
    )
    async def viewer_ai_task_events(
        self,
        info: Info,
        after: Annotated[
            int | None,
            strawberry.argument(
                description="Deliver events with a sequence above this one (0: the whole "
                "history); null (default): only new events."
            ),
        ] = None,
    ) -> AsyncIterator[AiTaskEvent]:
        stream_key = owner_stream(info.context.principal.require_user())
        await check_cursor(stream_key, after)
        return deliver(info.context, stream_key, after, load_rows=_load_rows, convert=_convert)
