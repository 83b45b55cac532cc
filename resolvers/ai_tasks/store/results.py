"""Statements of the `ai_result_reference` rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from db.tables.ai_tasks import AiResultReference
from resolvers.ai_tasks.model import AiResultReferenceKind
from resolvers.ai_tasks.rows import AiResultReferenceRow


async def result_by_ref(*, task_id: str, result_ref_id: str) -> AiResultReferenceRow | None:
    """The task's result reference attached as `result_ref_id`."""
    row = (
        await AiResultReference.select()
        .where(
            (AiResultReference.task_id == task_id)
            & (AiResultReference.result_ref_id == result_ref_id)
        )
        .first()
    )
    return AiResultReferenceRow.from_row(row) if row is not None else None


async def insert_result(
    *,
    row_id: str,
    result_ref_id: str,
    task_id: str,
    kind: AiResultReferenceKind,
    reference_id: str,
    label: str | None,
    now: datetime,
) -> AiResultReferenceRow | None:
    """Insert a result reference; None when the task already has `result_ref_id`."""
    rows = (
        await AiResultReference.insert(
            AiResultReference(
                result_reference_row_id=row_id,
                result_ref_id=result_ref_id,
                task_id=task_id,
                reference_kind=kind.value,
                reference_id=reference_id,
                label=label,
                created_at=now,
            )
        )
        .on_conflict(
            target=(AiResultReference.task_id, AiResultReference.result_ref_id),
            action="DO NOTHING",
        )
        .returning(*AiResultReference.all_columns())
    )
    return AiResultReferenceRow.from_row(rows[0]) if rows else None


async def results_of_tasks(task_ids: Sequence[str]) -> list[AiResultReferenceRow]:
    """The result references of these tasks, by task, oldest first."""
    rows = (
        await AiResultReference.select()
        .where(AiResultReference.task_id.is_in(list(task_ids)))
        .order_by(AiResultReference.task_id)
        .order_by(AiResultReference.created_at)
        .order_by(AiResultReference.result_reference_row_id)
    )
    return [AiResultReferenceRow.from_row(row) for row in rows]
