"""Creating AI tasks: a task that a service caller drives (`create_task`) and a generation
that this service's worker runs (`request_generation`, or `queue_generation` inside a
domain's own transaction). Call the public functions outside any transaction unless they
say otherwise: they publish after their own commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson

from resolvers import clock
from resolvers.ai_tasks.errors import AiTaskError, AiTaskErrorCode
from resolvers.ai_tasks.events import record_task_event, tell_workers
from resolvers.ai_tasks.inputs import (
    DEFAULT_STAGES,
    valid_payload,
    valid_prompt,
    valid_source,
    valid_stages,
    valid_text,
)
from resolvers.ai_tasks.model import (
    MAX_LABEL_LENGTH,
    AiTaskEventKind,
    AiTaskKind,
    StageInput,
)
from resolvers.ai_tasks.rows import AiTaskRow
from resolvers.ai_tasks.store import leases, tasks
from resolvers.ai_tasks.store.stages import insert_stages
from resolvers.ai_tasks.transactions import writing
from resolvers.ids import new_id
from resolvers.principal import Principal
from subscriptions import streams

GENERATION_SOURCE = "generation"


async def _insert_task(
    *,
    owner_user_id: str,
    kind: AiTaskKind,
    request_label: str,
    source_module: str,
    source_entity_id: str | None,
    request_payload: str | None,
    stages: list[StageInput],
    now: datetime,
) -> tuple[dict[str, Any], list[streams.StreamEntry]]:
    task_id = new_id()
    task = await tasks.insert_task(
        task_id=task_id,
        kind=kind,
        owner_user_id=owner_user_id,
        request_label=request_label,
        source_module=source_module,
        source_entity_id=source_entity_id,
        request_payload=request_payload,
        now=now,
    )
    await insert_stages(task_id=task_id, stages=stages)
    entries = await record_task_event(task, AiTaskEventKind.CREATED, now=now, status=task["status"])
    return task, entries


async def _queue(task_id: str, now: datetime) -> None:
    """Queue a new task for the generation workers (inside its creating transaction)."""
    await leases.insert_lease(task_id=task_id, now=now)


async def create_task(
    *,
    viewer: Principal,
    kind: AiTaskKind,
    request_label: str,
    source_module: str,
    source_entity_id: str | None = None,
    request_payload: Any = None,
    stages: Sequence[StageInput] | None = None,
) -> AiTaskRow:
    """A new pending task of the viewer with its stages (default: one `request_model`)."""
    owner = viewer.require_user()
    label = valid_text(
        request_label,
        field="requestLabel",
        code=AiTaskErrorCode.LABEL_INVALID,
        limit=MAX_LABEL_LENGTH,
    )
    source, entity = valid_source(source_module, source_entity_id)
    payload = valid_payload(request_payload, field="requestPayload")
    chosen = valid_stages(stages)
    now = clock.now()
    async with writing():
        task, entries = await _insert_task(
            owner_user_id=owner,
            kind=kind,
            request_label=label,
            source_module=source,
            source_entity_id=entity,
            request_payload=payload,
            stages=chosen,
            now=now,
        )
    await streams.publish(entries)
    return AiTaskRow.from_row(task)


async def request_generation(*, viewer: Principal, kind: AiTaskKind, prompt: str) -> AiTaskRow:
    """A task that this service's generation worker runs: created pending and queued."""
    owner = viewer.require_user()
    if kind is AiTaskKind.IMAGE_GENERATION:
        # An image needs an entity, a slot and a size: only imageGenerate can queue one.
        raise AiTaskError(
            AiTaskErrorCode.KIND_INVALID,
            "Images are asked for with imageGenerate (or workCoverGenerate).",
            field="kind",
        )
    text, label = valid_prompt(prompt)
    now = clock.now()
    async with writing():
        task, entries = await _insert_task(
            owner_user_id=owner,
            kind=kind,
            request_label=label,
            source_module=GENERATION_SOURCE,
            source_entity_id=None,
            request_payload=orjson.dumps({"prompt": text}).decode(),
            stages=list(DEFAULT_STAGES),
            now=now,
        )
        await _queue(task["task_id"], now)
    await streams.publish(entries)
    await tell_workers({"wake": task["task_id"]})
    return AiTaskRow.from_row(task)


async def queue_generation(
    *,
    owner_user_id: str,
    kind: AiTaskKind,
    prompt: str,
    source_module: str,
    source_entity_id: str | None,
    request_payload: dict[str, Any] | None = None,
    stages: Sequence[StageInput] | None = None,
    now: datetime,
) -> tuple[dict[str, Any], list[streams.StreamEntry]]:
    """`request_generation` inside the caller's write transaction, for a domain that queues
    a generation together with rows of its own (a creation turn). The worker sends
    `prompt` (stored as the payload's `prompt`, beside `request_payload`'s keys). After
    commit the caller publishes the entries and calls `announce_queued(task_id)`.
    `stages` default to the one text stage (images have their own, resolvers/images)."""
    text, label = valid_prompt(prompt)
    source, entity = valid_source(source_module, source_entity_id)
    payload = valid_payload({**(request_payload or {}), "prompt": text}, field="requestPayload")
    task, entries = await _insert_task(
        owner_user_id=owner_user_id,
        kind=kind,
        request_label=label,
        source_module=source,
        source_entity_id=entity,
        request_payload=payload,
        stages=valid_stages(stages),
        now=now,
    )
    await _queue(task["task_id"], now)
    return task, entries


async def announce_queued(task_id: str) -> None:
    """Wake the workers for a task queued with `queue_generation` (after its commit)."""
    await tell_workers({"wake": task_id})
