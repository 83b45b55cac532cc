"""An AI task with its chunks, for bench/reads.py: the seed, the baseline's answer, the query.

Each of reads.py's signed-in viewers owns one completed text generation with two stages of
streamed chunks (REQUEST_MODEL: 40, REPAIR_RESPONSE: 20), inserted directly with rows as
the resolvers write them (resolvers/ai_tasks/: lower-case enum values, stage counters,
chunk sequences 1..n per stage). The client asks for the task and its first 50 chunks, as
a client polling a generation would; the app serves `aiTask` with three statements (the
token's check, the task, the chunk page: resolvers/ai_tasks/reading.py's `owned_task` and
`chunk_pages`), and so does the baseline (Starlette + asyncpg, the same token check and
JSON).
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

TASK_QUERY = (
    "query Task($id: ID!) { aiTask(taskId: $id) { __typename id taskId kind status "
    "requestLabel sourceModule sourceEntityId requestPayload failureMessage latestTextOutput "
    "version createdAt startedAt completedAt updatedAt chunks(first: 50) { edges { cursor "
    "node { id chunkId stageKind sequence deltaText createdAt } } pageInfo { hasNextPage "
    "endCursor } } } }"
)
FIRST = 50
STAGES = (("request_model", "Request the model", 40), ("repair_response", "Repair", 20))

# The baseline's statements after the token's check: the viewer's task, then the page of
# its chunks in text order (what `chunk_pages` selects for one task, without a window).
TASK_SQL = (
    "SELECT task_id, task_kind, request_label, source_module, source_entity_id, "
    "request_payload_json, status, failure_message, latest_text_output, version, created_at, "
    "started_at, completed_at, updated_at FROM ai_task WHERE task_id = $1 AND owner_user_id = $2"
)
CHUNKS_SQL = (
    "SELECT c.text_chunk_row_id, c.chunk_id, c.stage_kind, c.sequence, c.delta_text, "
    "c.created_at, s.stage_order FROM ai_text_chunk c JOIN ai_task_stage s "
    "ON s.task_id = c.task_id AND s.stage_kind = c.stage_kind WHERE c.task_id = $1 "
    "ORDER BY s.stage_order, c.sequence LIMIT $2"
)


async def seed(connection: Any, viewers: list[str]) -> list[str]:
    """One task per viewer with its stages and chunks; the task ids, in viewer order."""
    started = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    tasks, stages, chunks = [], [], []
    for number, viewer in enumerate(viewers):
        task_id = f"01BENCHTASK{number:015d}"
        at = started + timedelta(minutes=number)
        text = []
        for order, (kind, label, count) in enumerate(STAGES, start=1):
            parts = [f"Part {sequence} of {kind} — «{number}» " for sequence in range(1, count + 1)]
            text.append("".join(parts))
            stages.append(
                (f"{task_id}-s{order}", task_id, kind, label, order, "".join(parts), count, at)
            )
            chunks += [
                (
                    f"{task_id}-{kind}-{sequence}",
                    f"chunk-{kind}-{sequence}",
                    task_id,
                    kind,
                    sequence,
                    part,
                    at + timedelta(milliseconds=sequence),
                )
                for sequence, part in enumerate(parts, start=1)
            ]
        payload = json.dumps({"prompt": f"A story about bench number {number}"})
        tasks.append((task_id, viewer, f"Story {number}", payload, text[-1], at))
    await connection.executemany(
        "INSERT INTO ai_task (task_id, task_kind, owner_user_id, request_label, source_module, "
        "request_payload_json, status, latest_text_output, version, created_at, started_at, "
        "completed_at, updated_at) VALUES ($1, 'text_generation', $2, $3, 'generation', "
        "$4::json, 'completed', $5, 130, $6::timestamptz, $6::timestamptz, $6::timestamptz + interval '1 minute', "
        "$6::timestamptz + interval '1 minute')",
        tasks,
    )
    await connection.executemany(
        "INSERT INTO ai_task_stage (task_stage_id, task_id, stage_kind, label, detail, "
        "stage_order, status, text_output, warning_messages, chunk_count, started_at, "
        "completed_at) VALUES ($1, $2, $3, $4, '', $5, 'completed', $6, '[]'::json, $7, $8, $8)",
        stages,
    )
    await connection.executemany(
        "INSERT INTO ai_text_chunk (text_chunk_row_id, chunk_id, task_id, stage_kind, sequence, "
        "delta_text, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        chunks,
    )
    return [task[0] for task in tasks]


def _cursor(key: list[Any]) -> str:
    import orjson

    return base64.urlsafe_b64encode(orjson.dumps(key)).decode().rstrip("=")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


async def answer(connection: Any, task_id: str, viewer: str) -> bytes:
    """The baseline's response body for `TASK_QUERY` (the token already checked)."""
    import orjson

    task = await connection.fetchrow(TASK_SQL, task_id, viewer)
    if task is None:
        raise RuntimeError("the bench seeds one task per viewer")
    rows = await connection.fetch(CHUNKS_SQL, task_id, FIRST + 1)
    edges = [
        {
            "cursor": _cursor([row["stage_order"], row["sequence"]]),
            "node": {
                "id": row["text_chunk_row_id"],
                "chunkId": row["chunk_id"],
                "stageKind": row["stage_kind"].upper(),
                "sequence": row["sequence"],
                "deltaText": row["delta_text"],
                "createdAt": row["created_at"].isoformat(),
            },
        }
        for row in rows[:FIRST]
    ]
    payload = task["request_payload_json"]
    found = {
        "__typename": "AiTask",
        "id": base64.b64encode(f"AiTask:{task_id}".encode()).decode(),
        "taskId": task_id,
        "kind": task["task_kind"].upper(),
        "status": task["status"].upper(),
        "requestLabel": task["request_label"],
        "sourceModule": task["source_module"],
        "sourceEntityId": task["source_entity_id"],
        "requestPayload": orjson.loads(payload) if payload is not None else None,
        "failureMessage": task["failure_message"],
        "latestTextOutput": task["latest_text_output"],
        "version": task["version"],
        "createdAt": task["created_at"].isoformat(),
        "startedAt": _iso(task["started_at"]),
        "completedAt": _iso(task["completed_at"]),
        "updatedAt": task["updated_at"].isoformat(),
        "chunks": {
            "edges": edges,
            "pageInfo": {
                "hasNextPage": len(rows) > FIRST,
                "endCursor": edges[-1]["cursor"] if edges else None,
            },
        },
    }
    return orjson.dumps({"data": {"aiTask": found}})
