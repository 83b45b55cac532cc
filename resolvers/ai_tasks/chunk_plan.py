"""Planning a batch of chunk appends: which are no-ops or refused, which are written with
which sequences, and each append's outcome. Pure: `chunk_batch` runs the statements."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from resolvers.ai_tasks.model import (
    AiTaskEventKind,
    AiTaskStageKind,
    AiTaskStatus,
    owner_stream,
    task_stream,
)
from resolvers.ai_tasks.refusals import task_refusal
from resolvers.ai_tasks.rows import AiTaskEventRow, AiTextChunkRow
from resolvers.ids import new_id
from subscriptions import streams


@dataclass(frozen=True, slots=True)
class ChunkAppend:
    """`appended` is False when the chunk id had been appended before (nothing written)."""

    chunk: AiTextChunkRow
    appended: bool


class LeaseLost(Exception):
    """A worker's append to a task whose lease another worker holds now (it took the task
    over): refused, so a worker that was presumed dead never writes after the takeover."""


@dataclass(eq=False)
class PendingAppend:
    """One append waiting in the group-commit batcher."""

    task_id: str
    stage_kind: AiTaskStageKind
    chunk_id: str
    delta_text: str
    now: datetime
    future: asyncio.Future[ChunkAppend] | None = None
    # A worker's appends name it: they are written only while it holds the task's lease.
    lease_owner: str | None = None


@dataclass(frozen=True, slots=True)
class LockedTask:
    """A task as the batch's first statement read it, under its row lock."""

    task_id: str
    owner_user_id: str
    status: str
    lease_holder: str | None


@dataclass(eq=False, slots=True)
class AppendPlan:
    """The batch's appends as they go through the steps: outcomes settled so far, the first
    occurrence of each (task, chunk id), and the accepted appends per (task, stage)."""

    batch: list[PendingAppend]
    outcomes: list[ChunkAppend | BaseException | None]
    first_of: dict[tuple[str, str], int]
    groups: dict[tuple[str, str], list[int]]


@dataclass(eq=False, slots=True)
class PlannedRows:
    """The rows an accepted batch writes, in batch order."""

    chunks: list[list[Any]]
    events: list[list[Any]]
    stream_events: list[streams.StreamEvent]
    placed: list[tuple[int, str]]
    written: list[AiTaskEventRow]
    added_per_task: dict[str, int]


def plan_appends(
    batch: list[PendingAppend],
    tasks: dict[str, LockedTask],
    existing: dict[tuple[str, str], AiTextChunkRow],
) -> AppendPlan:
    """Settle what needs no write (chunk ids appended before, tasks not running, a lease
    another worker holds) and group the rest by (task, stage)."""
    plan = AppendPlan(batch=batch, outcomes=[None] * len(batch), first_of={}, groups={})
    for number, append in enumerate(batch):
        key = (append.task_id, append.chunk_id)
        if key in existing:
            plan.outcomes[number] = ChunkAppend(chunk=existing[key], appended=False)
        elif key in plan.first_of:
            continue  # the same chunk id twice in this batch: settled from the first below
        else:
            plan.first_of[key] = number
            task = tasks.get(append.task_id)
            if task is None or task.status != AiTaskStatus.RUNNING.value:
                plan.outcomes[number] = task_refusal(None if task is None else task.status)
            elif append.lease_owner is not None and append.lease_owner != task.lease_holder:
                plan.outcomes[number] = LeaseLost(f"the lease of {append.task_id} is not ours")
            else:
                group = (append.task_id, append.stage_kind.value)
                plan.groups.setdefault(group, []).append(number)
    return plan


def planned_rows(
    plan: AppendPlan, accepted: dict[tuple[str, str], int], tasks: dict[str, LockedTask]
) -> PlannedRows:
    """Step 3: what is accepted, as rows: chunks with their sequences, events, stream
    entries and the events as `reading.load_events` returns them, in batch order (so each
    stream numbers them as they were asked for)."""
    rows = PlannedRows(
        chunks=[], events=[], stream_events=[], placed=[], written=[], added_per_task={}
    )
    for key, numbers in plan.groups.items():
        sequence = accepted[key] - len(numbers)
        for number in numbers:
            sequence += 1
            _add_rows(rows, number, plan.batch[number], key[1], sequence, tasks)
    order = sorted(range(len(rows.placed)), key=lambda index: rows.placed[index][0])
    return PlannedRows(
        chunks=[rows.chunks[index] for index in order],
        events=[rows.events[index] for index in order],
        stream_events=[rows.stream_events[index] for index in order],
        placed=[rows.placed[index] for index in order],
        written=[rows.written[index] for index in order],
        added_per_task=rows.added_per_task,
    )


def _add_rows(
    rows: PlannedRows,
    number: int,
    append: PendingAppend,
    stage_kind: str,
    sequence: int,
    tasks: dict[str, LockedTask],
) -> None:
    row_id, event_id = new_id(), new_id()
    owner = tasks[append.task_id].owner_user_id
    rows.placed.append((number, row_id))
    rows.chunks.append(
        [
            row_id,
            append.chunk_id,
            append.task_id,
            stage_kind,
            sequence,
            append.delta_text,
            append.now,
        ]
    )
    rows.events.append(
        [
            event_id,
            append.task_id,
            owner,
            AiTaskEventKind.TEXT_CHUNK.value,
            AiTaskStatus.RUNNING.value,
            stage_kind,
            row_id,
            append.now,
        ]
    )
    rows.stream_events.append(
        streams.StreamEvent(
            (task_stream(append.task_id), owner_stream(owner)),
            AiTaskEventKind.TEXT_CHUNK.value,
            event_id,
            append.now,
        )
    )
    rows.added_per_task[append.task_id] = rows.added_per_task.get(append.task_id, 0) + 1
    rows.written.append(
        AiTaskEventRow(
            event_id=event_id,
            task_id=append.task_id,
            owner_user_id=owner,
            event_kind=AiTaskEventKind.TEXT_CHUNK,
            task_status=AiTaskStatus.RUNNING,
            stage_kind=AiTaskStageKind(stage_kind),
            text_chunk_row_id=row_id,
            result_reference_row_id=None,
            occurred_at=append.now,
            chunk_sequence=sequence,
            delta_text=append.delta_text,
            result_ref_id=None,
            reference_kind=None,
            reference_id=None,
            reference_label=None,
            failure_message=None,
        )
    )


def settled_outcomes(plan: AppendPlan) -> list[ChunkAppend | BaseException]:
    """Step 5: repeats within the batch share their first occurrence's outcome."""
    settled: list[ChunkAppend | BaseException] = []
    for number, append in enumerate(plan.batch):
        outcome = plan.outcomes[number]
        if outcome is None:
            first = plan.outcomes[plan.first_of[(append.task_id, append.chunk_id)]]
            assert first is not None
            outcome = (
                ChunkAppend(chunk=first.chunk, appended=False)
                if isinstance(first, ChunkAppend)
                else first
            )
        settled.append(outcome)
    return settled
