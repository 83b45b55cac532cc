"""Result references attached to a running task (idempotent by `result_ref_id`)."""

from __future__ import annotations

from dataclasses import dataclass

from resolvers import clock
from resolvers.ai_tasks.errors import AiTaskErrorCode
from resolvers.ai_tasks.events import record_task_event
from resolvers.ai_tasks.inputs import valid_identifier, valid_text
from resolvers.ai_tasks.model import MAX_LABEL_LENGTH, AiResultReferenceKind, AiTaskEventKind
from resolvers.ai_tasks.rows import AiResultReferenceRow
from resolvers.ai_tasks.steps import touch_running
from resolvers.ai_tasks.store.results import insert_result, result_by_ref
from resolvers.ai_tasks.transactions import writing
from resolvers.ids import new_id
from resolvers.principal import Principal
from subscriptions import streams


@dataclass(frozen=True, slots=True)
class ResultAttach:
    """`attached` is False when the reference id had been attached before."""

    result: AiResultReferenceRow
    attached: bool


class _AlreadyWritten(Exception):
    """Rolls back a transaction that found its idempotency key taken."""


async def attach_result(
    *,
    viewer: Principal,
    task_id: str,
    result_ref_id: str,
    kind: AiResultReferenceKind,
    reference_id: str,
    label: str | None = None,
) -> ResultAttach:
    """Attach an output (asset, work profile, entity) to a running task; the same
    `result_ref_id` again is a no-op returning the first reference."""
    viewer.require_service()
    valid_identifier(result_ref_id, field="resultRefId", code=AiTaskErrorCode.REFERENCE_INVALID)
    valid_identifier(reference_id, field="referenceId", code=AiTaskErrorCode.REFERENCE_INVALID)
    clean_label = (
        valid_text(label, field="label", code=AiTaskErrorCode.LABEL_INVALID, limit=MAX_LABEL_LENGTH)
        if label is not None
        else None
    )
    now = clock.now()
    try:
        async with writing():
            existing = await result_by_ref(task_id=task_id, result_ref_id=result_ref_id)
            if existing is not None:
                return ResultAttach(result=existing, attached=False)
            task = await touch_running(task_id, now)
            row_id = new_id()
            result = await insert_result(
                row_id=row_id,
                result_ref_id=result_ref_id,
                task_id=task_id,
                kind=kind,
                reference_id=reference_id,
                label=clean_label,
                now=now,
            )
            if result is None:
                raise _AlreadyWritten()
            entries = await record_task_event(
                task,
                AiTaskEventKind.RESULT_ATTACHED,
                now=now,
                status=task["status"],
                result_row_id=row_id,
            )
    except _AlreadyWritten:
        existing = await result_by_ref(task_id=task_id, result_ref_id=result_ref_id)
        assert existing is not None
        return ResultAttach(result=existing, attached=False)
    await streams.publish(entries)
    return ResultAttach(result=result, attached=True)
