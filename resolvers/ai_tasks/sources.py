"""The AI tasks another domain asked for about one of its entities (`source_entity_id`),
for domains that show what their generations are doing (big fish's sprite slots)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from resolvers.ai_tasks.model import AiTaskKind
from resolvers.ai_tasks.store import tasks


@dataclass(frozen=True, slots=True)
class SourceTask:
    """A task's status and the request payload it was queued with (a JSON object, or None)."""

    status: str
    request_payload: dict[str, Any] | None


async def tasks_from_source(
    *, kind: AiTaskKind, owner_user_id: str, source_entity_id: str
) -> list[SourceTask]:
    """The owner's tasks of this kind about this entity, oldest first: one statement."""
    rows = await tasks.tasks_from_source(
        kind=kind, owner_user_id=owner_user_id, source_entity_id=source_entity_id
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
