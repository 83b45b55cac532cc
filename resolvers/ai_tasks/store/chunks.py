"""Statements of the text chunks: the batched appends (`chunk_batch` runs them in this
order inside one transaction) and the per-task chunk pages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from db.engine import is_sqlite
from db.sql import marks, parameter_table, value_rows
from db.tables.ai_tasks import AiTask
from resolvers.ai_tasks.model import AiTaskStageKind, AiTaskStageStatus
from resolvers.ai_tasks.rows import AiTextChunkRow

CHUNK_COLUMNS = (
    "text_chunk_row_id",
    "chunk_id",
    "task_id",
    "stage_kind",
    "sequence",
    "delta_text",
    "created_at",
)


async def lock_tasks_with_chunks(
    *, task_ids: Sequence[str], chunk_ids: Sequence[str]
) -> list[dict[str, Any]]:
    """Lock the tasks (PostgreSQL, in id order); each with its lease holder and held chunks."""
    lock = "" if is_sqlite(AiTask._meta.db) else " FOR UPDATE OF t"
    # Raw: LEFT JOINs on tables without foreign keys, and `FOR UPDATE OF` one of them.
    rows: list[dict[str, Any]] = await AiTask.raw(
        "SELECT t.task_id AS owner_task_id, t.owner_user_id, t.status, "
        "l.lease_owner AS lease_holder, "
        + ", ".join(f"c.{column}" for column in CHUNK_COLUMNS)
        + " FROM ai_task t LEFT JOIN ai_tasks_worker_lease l ON l.task_id = t.task_id "
        "LEFT JOIN ai_text_chunk c ON c.task_id = t.task_id "
        f"AND c.chunk_id IN ({marks(chunk_ids)}) "
        f"WHERE t.task_id IN ({marks(task_ids)}) ORDER BY t.task_id{lock}",
        *chunk_ids,
        *task_ids,
    )
    return rows


async def advance_running_stages(
    groups: Sequence[tuple[str, str, int, str]],
) -> dict[tuple[str, str], int]:
    """Add each (task, stage, count, text) to its stage if running; the new chunk counts."""
    # Raw: `UPDATE … FROM` a parameter table (a per-row increment in one statement).
    rows = await AiTask.raw(
        "UPDATE ai_task_stage SET chunk_count = chunk_count + v.added, "
        "text_output = COALESCE(text_output, '') || v.added_text FROM ("
        + parameter_table(
            len(groups),
            ("VARCHAR(64)", "VARCHAR(32)", "INTEGER", "TEXT"),
            ("task_id", "stage_kind", "added", "added_text"),
        )
        + ") v WHERE ai_task_stage.task_id = v.task_id "
        "AND ai_task_stage.stage_kind = v.stage_kind AND ai_task_stage.status = {} "
        "RETURNING ai_task_stage.task_id, ai_task_stage.stage_kind, ai_task_stage.chunk_count",
        *[value for group in groups for value in group],
        AiTaskStageStatus.RUNNING.value,
    )
    return {(row["task_id"], row["stage_kind"]): int(row["chunk_count"]) for row in rows}


async def add_task_versions(*, added: Sequence[tuple[str, int]], now: datetime) -> None:
    """Add each `(task id, count)`'s count to the task's version."""
    # Raw: `UPDATE … FROM` a parameter table (a per-row increment in one statement).
    await AiTask.raw(
        "UPDATE ai_task SET version = version + v.added, updated_at = {} FROM ("
        + parameter_table(len(added), ("VARCHAR(64)", "INTEGER"), ("task_id", "added"))
        + ") v WHERE ai_task.task_id = v.task_id",
        now,
        *[value for pair in added for value in pair],
    )


async def insert_chunks(rows: Sequence[Sequence[Any]]) -> dict[str, AiTextChunkRow]:
    """Insert chunk tuples (in `CHUNK_COLUMNS` order); the inserted chunks by row id."""
    return {
        row["text_chunk_row_id"]: AiTextChunkRow.from_row(row)
        # Raw: a multi-row VALUES batch of the planned tuples (`chunk_plan`), read back.
        for row in await AiTask.raw(
            "INSERT INTO ai_text_chunk (text_chunk_row_id, chunk_id, task_id, stage_kind, "
            f"sequence, delta_text, created_at) VALUES {value_rows(len(rows), 7)} "
            "RETURNING *",
            *[value for row in rows for value in row],
        )
    }


async def chunk_page_rows(
    *,
    task_ids: Sequence[str],
    stage_kind: AiTaskStageKind | None,
    after: tuple[int, int] | None,
    per_task: int,
) -> list[dict[str, Any]]:
    """Up to `per_task` chunks of each task in text order after `after`, with `stage_order`."""
    conditions = [f"c.task_id IN ({marks(task_ids)})"]
    arguments: list[Any] = list(task_ids)
    if stage_kind is not None:
        conditions.append("c.stage_kind = {}")
        arguments.append(stage_kind.value)
    if after is not None:
        order, sequence = after
        conditions.append("(s.stage_order > {} OR (s.stage_order = {} AND c.sequence > {}))")
        arguments += [order, order, sequence]
    # Raw: a per-task page by `ROW_NUMBER() OVER (PARTITION BY …)` over a join.
    rows: list[dict[str, Any]] = await AiTask.raw(
        "SELECT * FROM (SELECT c.text_chunk_row_id, c.chunk_id, c.task_id, c.stage_kind, "
        "c.sequence, c.delta_text, c.created_at, s.stage_order, ROW_NUMBER() OVER ("
        "PARTITION BY c.task_id ORDER BY s.stage_order, c.sequence) AS position "
        "FROM ai_text_chunk c JOIN ai_task_stage s "
        "ON s.task_id = c.task_id AND s.stage_kind = c.stage_kind "
        f"WHERE {' AND '.join(conditions)}) ranked WHERE position <= {per_task} "
        "ORDER BY task_id, stage_order, sequence",
        *arguments,
    )
    return rows
