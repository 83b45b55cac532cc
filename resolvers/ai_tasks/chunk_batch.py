"""Writing a batch of chunk appends in one transaction with about eight statements."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from db.engine import is_sqlite
from db.tables.ai_tasks import AiTask
from resolvers.ai_tasks.model import (
    AiTaskEventKind,
    AiTaskStageKind,
    AiTaskStageStatus,
    AiTaskStatus,
    owner_stream,
    task_stream,
)
from resolvers.ai_tasks.refusals import _stage_refusal, _task_refusal
from resolvers.ids import new_id
from subscriptions import streams


@dataclass(frozen=True, slots=True)
class ChunkAppend:
    """`appended` is False when the chunk id had been appended before (nothing written)."""

    chunk: dict[str, Any]
    appended: bool


class LeaseLost(Exception):
    """A worker's append to a task whose lease another worker holds now (it took the task
    over): refused, so a worker that was presumed dead never writes after the takeover."""


@dataclass(eq=False)
class _Append:
    task_id: str
    stage_kind: AiTaskStageKind
    chunk_id: str
    delta_text: str
    now: datetime
    future: asyncio.Future[ChunkAppend] | None = None
    # A worker's appends name it: they are written only while it holds the task's lease.
    lease_owner: str | None = None


def _rows(count: int, width: int) -> str:
    """`({}, {}, …), (…)`: `count` rows of `width` placeholders."""
    row = "(" + ", ".join("{}" for _ in range(width)) + ")"
    return ", ".join(row for _ in range(count))


def _selects(count: int, casts: Sequence[str], names: Sequence[str]) -> str:
    """A derived table of parameters (`SELECT {} AS a, … UNION ALL SELECT …`), typed with
    CASTs so PostgreSQL infers nothing and SQLite accepts it (no VALUES column aliases)."""
    first = ", ".join(
        f"CAST({{}} AS {cast}) AS {name}" for cast, name in zip(casts, names, strict=True)
    )
    other = ", ".join(f"CAST({{}} AS {cast})" for cast in casts)
    return " UNION ALL ".join(
        f"SELECT {first if number == 0 else other}" for number in range(count)
    )


@dataclass(frozen=True, slots=True)
class BatchWritten:
    """Each append's outcome (in order), the stream entries to publish after commit, and
    the written events as `reading.load_events` would return them."""

    outcomes: list[ChunkAppend | BaseException]
    entries: list[streams.StreamEntry]
    events: list[dict[str, Any]]


CHUNK_COLUMNS = (
    "text_chunk_row_id",
    "chunk_id",
    "task_id",
    "stage_kind",
    "sequence",
    "delta_text",
    "created_at",
)


async def _append_batch(batch: list[_Append]) -> BatchWritten:
    """Write a batch of appends in the caller's transaction with one statement per step
    (seven whatever the batch's size); refused appends write nothing."""
    outcomes: list[ChunkAppend | BaseException | None] = [None] * len(batch)
    # 1. Lock the tasks (PostgreSQL; in id order, so batches never wait in a cycle) and read
    #    their status with the chunk ids appended before, read under that lock: those are
    #    no-ops whatever the status. SQLite's transaction already holds the only write lock.
    #    The lease holder is read with them: a takeover claims the lease, then takes this
    #    lock (`continuation.resume_task`), so an append fenced here is never lost to it.
    task_ids = sorted({append.task_id for append in batch})
    chunk_ids = sorted({append.chunk_id for append in batch})
    lock = "" if is_sqlite(AiTask._meta.db) else " FOR UPDATE OF t"
    tasks: dict[str, dict[str, Any]] = {}
    existing: dict[tuple[str, str], dict[str, Any]] = {}
    for row in await AiTask.raw(
        "SELECT t.task_id AS owner_task_id, t.owner_user_id, t.status, "
        "l.lease_owner AS lease_holder, "
        + ", ".join(f"c.{column}" for column in CHUNK_COLUMNS)
        + " FROM ai_task t LEFT JOIN ai_tasks_worker_lease l ON l.task_id = t.task_id "
        "LEFT JOIN ai_text_chunk c ON c.task_id = t.task_id "
        f"AND c.chunk_id IN ({', '.join('{}' for _ in chunk_ids)}) "
        f"WHERE t.task_id IN ({', '.join('{}' for _ in task_ids)}) ORDER BY t.task_id{lock}",
        *chunk_ids,
        *task_ids,
    ):
        tasks[row["owner_task_id"]] = {
            "task_id": row["owner_task_id"],
            "owner_user_id": row["owner_user_id"],
            "status": row["status"],
            "lease_holder": row["lease_holder"],
        }
        if row["text_chunk_row_id"] is not None:
            existing[(row["task_id"], row["chunk_id"])] = {
                column: row[column] for column in CHUNK_COLUMNS
            }
    first_of: dict[tuple[str, str], int] = {}
    groups: dict[tuple[str, str], list[int]] = {}
    for number, append in enumerate(batch):
        key = (append.task_id, append.chunk_id)
        if key in existing:
            outcomes[number] = ChunkAppend(chunk=existing[key], appended=False)
        elif key in first_of:
            continue  # the same chunk id twice in this batch: settled from the first below
        else:
            first_of[key] = number
            task = tasks.get(append.task_id)
            if task is None or task["status"] != AiTaskStatus.RUNNING.value:
                outcomes[number] = _task_refusal(task)
            elif append.lease_owner is not None and append.lease_owner != task["lease_holder"]:
                outcomes[number] = LeaseLost(f"the lease of {append.task_id} is not ours")
            else:
                groups.setdefault((append.task_id, append.stage_kind.value), []).append(number)
    # 2. Advance each (task, stage) group's chunk count, if that stage is running.
    accepted: dict[tuple[str, str], int] = {}
    if groups:
        keys = list(groups)
        rows = await AiTask.raw(
            "UPDATE ai_task_stage SET chunk_count = chunk_count + v.added, "
            "text_output = COALESCE(text_output, '') || v.added_text FROM ("
            + _selects(
                len(keys),
                ("VARCHAR(64)", "VARCHAR(32)", "INTEGER", "TEXT"),
                ("task_id", "stage_kind", "added", "added_text"),
            )
            + ") v WHERE ai_task_stage.task_id = v.task_id "
            "AND ai_task_stage.stage_kind = v.stage_kind AND ai_task_stage.status = {} "
            "RETURNING ai_task_stage.task_id, ai_task_stage.stage_kind, ai_task_stage.chunk_count",
            *[
                value
                for key in keys
                for value in (
                    key[0],
                    key[1],
                    len(groups[key]),
                    "".join(batch[number].delta_text for number in groups[key]),
                )
            ],
            AiTaskStageStatus.RUNNING.value,
        )
        accepted = {(row["task_id"], row["stage_kind"]): int(row["chunk_count"]) for row in rows}
        refused = [key for key in keys if key not in accepted]
        if refused:
            stages = {
                (row["task_id"], row["stage_kind"]): row["status"]
                for row in await AiTask.raw(
                    "SELECT task_id, stage_kind, status FROM ai_task_stage WHERE task_id IN "
                    f"({', '.join('{}' for _ in refused)})",
                    *[key[0] for key in refused],
                )
            }
            for key in refused:
                refusal = _stage_refusal(AiTaskStageKind(key[1]), stages.get(key))
                for number in groups.pop(key):
                    outcomes[number] = refusal
    # 3. What is accepted: chunks with their sequences, events, versions, stream numbers.
    chunk_rows: list[list[Any]] = []
    event_rows: list[list[Any]] = []
    stream_events: list[streams.StreamEvent] = []
    added_per_task: dict[str, int] = {}
    placed: list[tuple[int, str]] = []
    written: list[dict[str, Any]] = []
    for key, numbers in groups.items():
        sequence = accepted[key] - len(numbers)
        for number in numbers:
            sequence += 1
            append = batch[number]
            row_id, event_id = new_id(), new_id()
            placed.append((number, row_id))
            chunk_rows.append(
                [
                    row_id,
                    append.chunk_id,
                    append.task_id,
                    key[1],
                    sequence,
                    append.delta_text,
                    append.now,
                ]
            )
            owner = tasks[append.task_id]["owner_user_id"]
            event_rows.append(
                [
                    event_id,
                    append.task_id,
                    owner,
                    AiTaskEventKind.TEXT_CHUNK.value,
                    AiTaskStatus.RUNNING.value,
                    key[1],
                    row_id,
                    append.now,
                ]
            )
            stream_events.append(
                streams.StreamEvent(
                    (task_stream(append.task_id), owner_stream(owner)),
                    AiTaskEventKind.TEXT_CHUNK.value,
                    event_id,
                    append.now,
                )
            )
            added_per_task[append.task_id] = added_per_task.get(append.task_id, 0) + 1
            written.append(
                {
                    "event_id": event_id,
                    "task_id": append.task_id,
                    "owner_user_id": owner,
                    "event_kind": AiTaskEventKind.TEXT_CHUNK.value,
                    "task_status": AiTaskStatus.RUNNING.value,
                    "stage_kind": key[1],
                    "text_chunk_row_id": row_id,
                    "result_reference_row_id": None,
                    "occurred_at": append.now,
                    "chunk_sequence": sequence,
                    "delta_text": append.delta_text,
                    "result_ref_id": None,
                    "reference_kind": None,
                    "reference_id": None,
                    "reference_label": None,
                    "failure_message": None,
                }
            )
    entries: list[streams.StreamEntry] = []
    if chunk_rows:
        # Events in batch order, so each stream numbers them as they were asked for.
        order = sorted(range(len(placed)), key=lambda index: placed[index][0])
        chunk_rows = [chunk_rows[index] for index in order]
        event_rows = [event_rows[index] for index in order]
        stream_events = [stream_events[index] for index in order]
        written = [written[index] for index in order]
        placed = [placed[index] for index in order]
        updated = max(append.now for append in batch)
        task_keys = sorted(added_per_task)
        await AiTask.raw(
            "UPDATE ai_task SET version = version + v.added, updated_at = {} FROM ("
            + _selects(len(task_keys), ("VARCHAR(64)", "INTEGER"), ("task_id", "added"))
            + ") v WHERE ai_task.task_id = v.task_id",
            updated,
            *[value for task_id in task_keys for value in (task_id, added_per_task[task_id])],
        )
        inserted = {
            row["text_chunk_row_id"]: dict(row)
            for row in await AiTask.raw(
                "INSERT INTO ai_text_chunk (text_chunk_row_id, chunk_id, task_id, stage_kind, "
                f"sequence, delta_text, created_at) VALUES {_rows(len(chunk_rows), 7)} "
                "RETURNING *",
                *[value for row in chunk_rows for value in row],
            )
        }
        await AiTask.raw(
            "INSERT INTO ai_task_event (event_id, task_id, owner_user_id, event_kind, "
            "task_status, stage_kind, text_chunk_row_id, occurred_at) "
            f"VALUES {_rows(len(event_rows), 8)}",
            *[value for row in event_rows for value in row],
        )
        for numbered in await streams.append_many(stream_events):
            entries += numbered
        for number, row_id in placed:
            outcomes[number] = ChunkAppend(chunk=inserted[row_id], appended=True)
    # 4. Repeats within the batch share their first occurrence's outcome.
    settled: list[ChunkAppend | BaseException] = []
    for number, append in enumerate(batch):
        outcome = outcomes[number]
        if outcome is None:
            first = outcomes[first_of[(append.task_id, append.chunk_id)]]
            assert first is not None
            outcome = (
                ChunkAppend(chunk=first.chunk, appended=False)
                if isinstance(first, ChunkAppend)
                else first
            )
        settled.append(outcome)
    return BatchWritten(outcomes=settled, entries=entries, events=written)
