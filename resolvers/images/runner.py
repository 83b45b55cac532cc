"""Runs one claimed `image_generation` task (the generation worker dispatches it here).

    start ─▶ Draw: the backend's picture (checked: size cap, PNG/JPEG/WebP, readable)
          ─▶ Store: bytes stored, object confirmed (PUBLIC_READ where the slot is public),
             bound to its slot (replacing an earlier binding), `asset_event`s written,
             the object attached as the task's `ai_result_reference`
          ─▶ completed

Every step is an AI-task transition, so `aiTaskEvents` shows it stage by stage. A backend
failure (timeout, provider error, refusal, bad bytes) fails the task with its message.
The backend runs in a task of its own and is cancelled when the worker stops the job
(the owner cancelled, the lease was lost, the server is stopping: the worker then hands
the task back); a task cancelled or failed meanwhile makes the next transition refuse,
and the runner stops quietly. A later attempt (a takeover) continues where this one
stopped, and an image already stored is bound once: it is found by its `source_job_id`.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import io
import logging
from collections.abc import Callable
from typing import Any

from PIL import Image, UnidentifiedImageError

from resolvers.ai_tasks import reading, results, stage_transitions, transitions
from resolvers.ai_tasks.errors import AiTaskError
from resolvers.ai_tasks.model import (
    FINISHED_STATUSES,
    AiResultReferenceKind,
    AiTaskKind,
    AiTaskStageStatus,
    AiTaskStatus,
)
from resolvers.ai_tasks.rows import AiTaskRow
from resolvers.assets.entities import policy_for
from resolvers.assets.generated import Generated, store_and_bind
from resolvers.assets.objects import AccessPolicy
from resolvers.assets.queries import object_id_stored_by
from resolvers.errors import AccessError
from resolvers.images.backends import ImageBackend, ImageBackendError, backend_from_settings
from resolvers.images.model import (
    ASSET_KIND,
    DRAW,
    RESULT_REF_ID,
    STORE,
    GeneratedImage,
    ImageRequest,
)
from resolvers.principal import Principal
from settings import get_settings

logger = logging.getLogger("genarrative.images")

PENDING = AiTaskStageStatus.PENDING.value
COMPLETED = AiTaskStageStatus.COMPLETED.value
STOP_POLL_SECONDS = 0.1

_backend: ImageBackend | None = None


def get_backend() -> ImageBackend:
    global _backend
    if _backend is None:
        _backend = backend_from_settings(get_settings())
    return _backend


def set_backend(backend: ImageBackend | None) -> None:
    """Install another backend (tests, benches); None goes back to the settings' choice."""
    global _backend
    _backend = backend


class _Stopped(Exception):
    """The worker stopped the job; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def _draw(request: ImageRequest, stop_reason: Callable[[], str | None]) -> GeneratedImage:
    """The backend's image, or `_Stopped` as soon as the worker stops the job."""
    call = asyncio.create_task(get_backend().generate(request))
    try:
        while not call.done():
            reason = stop_reason()
            if reason is not None:
                raise _Stopped(reason)
            await asyncio.wait({call}, timeout=STOP_POLL_SECONDS)
        return call.result()
    finally:
        if not call.done():
            call.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await call


def _dimensions(image: GeneratedImage) -> tuple[int, int]:
    try:
        with Image.open(io.BytesIO(image.data)) as opened:
            return opened.size
    except (UnidentifiedImageError, OSError) as error:
        raise ImageBackendError("the image cannot be read") from error


async def _fail(principal: Principal, task_id: str, message: str) -> bool:
    with contextlib.suppress(AiTaskError, AccessError):
        await transitions.fail_task(viewer=principal, task_id=task_id, message=message[:1000])
    return True


def _request(task: AiTaskRow) -> tuple[ImageRequest, Generated] | None:
    """What to draw and where it goes, from the task's payload (None: not an image task)."""
    payload = task.request_payload_json or {}
    try:
        request = ImageRequest(
            task_id=task.task_id,
            prompt=str(payload["prompt"]),
            width=int(payload["width"]),
            height=int(payload["height"]),
        )
        target = Generated(
            owner_user_id=task.owner_user_id,
            asset_kind=ASSET_KIND,
            content_type="",
            data=b"",
            access_policy=AccessPolicy.PUBLIC_READ if payload["public"] else AccessPolicy.PRIVATE,
            entity_kind=str(payload["entityKind"]),
            entity_id=str(payload["entityId"]),
            slot=str(payload["slot"]),
            source_job_id=task.task_id,
        )
    except (KeyError, TypeError, ValueError):
        return None
    return request, target


async def run_image_task(
    task_id: str,
    *,
    principal: Principal,
    stop_reason: Callable[[], str | None] = lambda: None,
) -> bool | None:
    """Run a claimed task if it is an image task (None: it is not, the worker streams it);
    True when this run finished it (completed or failed it), False when the worker stopped
    the job or the task changed meanwhile. Safe to run again on a task an earlier attempt
    left half-way (a takeover): each step reads where the task stands, and an image
    already stored is not redrawn."""
    task = (await reading.tasks_by_id([task_id])).get(task_id)
    if task is None or task.task_kind != AiTaskKind.IMAGE_GENERATION:
        return None
    if task.status in FINISHED_STATUSES:
        return False
    parsed = _request(task)
    if parsed is None:
        return await _fail(principal, task_id, "This is not an image request; use imageGenerate.")
    request, target = parsed
    try:
        if task.status == AiTaskStatus.PENDING:
            await transitions.start_task(viewer=principal, task_id=task_id)
        stages = {row.stage_kind: row for row in (await reading.stages_of([task_id]))[task_id]}
        status = {kind: str(row.status) for kind, row in stages.items()}
        if status.get(DRAW) == PENDING:
            await stage_transitions.start_stage(viewer=principal, task_id=task_id, stage_kind=DRAW)
        asset_object_id = await object_id_stored_by(task_id)
        drawn = stages.get(DRAW)
        facts: dict[str, Any] = dict((drawn.structured_payload_json if drawn else None) or {})
        image: GeneratedImage | None = None
        if asset_object_id is None:
            try:
                image = await _draw(request, stop_reason)
                width, height = _dimensions(image)
            except ImageBackendError as error:
                return await _fail(principal, task_id, f"The image generator failed: {error}")
            facts = {
                "contentType": image.content_type,
                "contentLength": len(image.data),
                "sha256": hashlib.sha256(image.data).hexdigest(),
                "width": width,
                "height": height,
            }
        if status.get(DRAW) != COMPLETED:
            await stage_transitions.complete_stage(
                viewer=principal, task_id=task_id, stage_kind=DRAW, structured_payload=facts
            )
        if status.get(STORE) in (None, PENDING):
            await stage_transitions.start_stage(viewer=principal, task_id=task_id, stage_kind=STORE)
        if image is not None:
            policy = policy_for(target.entity_kind)
            if policy is None or not await policy.can_bind(target.owner_user_id, target.entity_id):
                return await _fail(principal, task_id, "The entity is gone or no longer yours.")
            asset, _ = await store_and_bind(
                dataclasses.replace(target, content_type=image.content_type, data=image.data)
            )
            asset_object_id = str(asset["asset_object_id"])
        assert asset_object_id is not None  # found above, or stored just now
        stored = {**facts, "assetObjectId": asset_object_id}
        await results.attach_result(
            viewer=principal,
            task_id=task_id,
            result_ref_id=RESULT_REF_ID,
            kind=AiResultReferenceKind.ASSET_OBJECT,
            reference_id=asset_object_id,
            label=f"{target.entity_kind} {target.slot}",
        )
        if status.get(STORE) != COMPLETED:
            await stage_transitions.complete_stage(
                viewer=principal, task_id=task_id, stage_kind=STORE, structured_payload=stored
            )
        await transitions.complete_task(
            viewer=principal, task_id=task_id, structured_payload=stored
        )
        return True
    except _Stopped:
        return False  # the worker hands an unfinished task back (shutdown) or lost it
    except (AiTaskError, AccessError):
        return False  # cancelled or failed meanwhile: its status is already set
