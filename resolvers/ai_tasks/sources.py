"""The AI tasks another domain asked for about one of its entities (`source_entity_id`),
for domains that show what their generations are doing (big fish's sprite slots)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from db.tables.ai_tasks import AiTask
from resolvers.ai_tasks.model import AiTaskKind


@dataclass(frozen=True, slots=True)
class SourceTask:
    """A task's status and the request payload it was queued with (a JSON object, or None)."""

    status: str
    request_payload: dict[str, Any] | None


async def tasks_from_source(
    *, kind: AiTaskKind, owner_user_id: str, source_entity_id: str
) -> list[SourceTask]:
    """The owner's tasks of this kind about this entity, oldest first: one statement."""
    rows = (
        await AiTask.select(AiTask.status, AiTask.request_payload_json)
        .where(
            (AiTask.task_kind == kind.value)
            & (AiTask.owner_user_id == owner_user_id)
            & (AiTask.source_entity_id == source_entity_id)
        )
        .order_by(AiTask.created_at, AiTask.task_id)
    )
    found: list[SourceTask] = []
    for row in rows:
        payload = row["request_payload_json"]
        if isinstance(payload, str | bytes):
            payload = orjson.loads(payload)
        found.append(
            SourceTask(
                status=row["status"], request_payload=payload if isinstance(payload, dict) else None
            )
        )
    return found
