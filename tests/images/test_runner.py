"""The image runner on its own: a fresh task, a task an earlier attempt left half-way (a
takeover), a job the worker stops, an owner's cancel, and a task that is no image request."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from db.tables.ai_tasks import AiResultReference, AiTask
from db.tables.assets import AssetEntityBinding, AssetEvent, AssetObject
from resolvers.ai_tasks import creating, stage_transitions, transitions
from resolvers.ai_tasks.model import AiTaskKind
from resolvers.assets.generated import Generated, store_and_bind
from resolvers.assets.objects import AccessPolicy
from resolvers.images import requesting
from resolvers.images.drawing import draw_png
from resolvers.images.model import ASSET_KIND, DRAW, STORE, GeneratedImage, ImageRequest
from resolvers.images.runner import run_image_task, set_backend
from resolvers.puzzle.plugin import PUZZLE
from resolvers.worlds.plugin import CUSTOM_WORLD
from tests.factories.ai_tasks import SERVICE
from tests.factories.auth import TestUser, make_user
from tests.factories.images import EVENTS
from tests.fixtures import GraphQLClient
from tests.ws import graphql_socket

PROMPT = "a paper kite over the bay"


class HeldBackend:
    """A backend that draws only when released; records whether it was cancelled."""

    def __init__(self) -> None:
        self.started = asyncio.Event()
        self.release = asyncio.Event()
        self.stopped = asyncio.Event()
        self.cancelled = False

    async def generate(self, request: ImageRequest) -> GeneratedImage:
        self.started.set()
        try:
            await self.release.wait()
        except asyncio.CancelledError:
            self.cancelled = True
            self.stopped.set()
            raise
        return GeneratedImage(draw_png(request.prompt, request.width, request.height), "image/png")


async def _queued(owner: TestUser) -> tuple[str, str]:
    """A queued cover task of the owner's puzzle work: (task id, work id)."""
    work = await PUZZLE.start_session(viewer=owner.principal, seed_text="")
    requested = await requesting.request_cover(
        viewer=owner.principal, play_type=PUZZLE.play_type, work_id=work.work_id, prompt=PROMPT
    )
    return requested.task.task_id, work.work_id


async def _status(task_id: str) -> str:
    row = await AiTask.select(AiTask.status).where(AiTask.task_id == task_id).first()
    assert row is not None
    return str(row["status"])


async def test_a_fresh_task_runs_to_completion(hub: Any) -> None:
    # given a queued cover task
    owner = await make_user()
    task_id, work_id = await _queued(owner)
    # when the runner runs it
    finished = await run_image_task(task_id, principal=SERVICE)
    # then it completed, with the drawn bytes' object bound and attached
    assert finished is True
    assert await _status(task_id) == "completed"
    (asset,) = await AssetObject.select()
    assert asset["source_job_id"] == task_id
    assert asset["access_policy"] == "public_read"
    (reference,) = await AiResultReference.select()
    assert reference["reference_id"] == asset["asset_object_id"]
    (binding,) = await AssetEntityBinding.select()
    assert (binding["entity_id"], binding["slot"]) == (work_id, "cover")


async def test_a_takeover_after_the_store_binds_the_stored_object_once(hub: Any) -> None:
    # given a task whose first attempt stored and bound its image, then stopped
    owner = await make_user()
    task_id, work_id = await _queued(owner)
    await transitions.start_task(viewer=SERVICE, task_id=task_id)
    await stage_transitions.start_stage(viewer=SERVICE, task_id=task_id, stage_kind=DRAW)
    await stage_transitions.complete_stage(viewer=SERVICE, task_id=task_id, stage_kind=DRAW)
    await stage_transitions.start_stage(viewer=SERVICE, task_id=task_id, stage_kind=STORE)
    stored, _ = await store_and_bind(
        Generated(
            owner_user_id=owner.user_id,
            asset_kind=ASSET_KIND,
            content_type="image/png",
            data=draw_png(PROMPT, 512, 512),
            access_policy=AccessPolicy.PUBLIC_READ,
            entity_kind="puzzle_work",
            entity_id=work_id,
            slot="cover",
            source_job_id=task_id,
        )
    )
    # when another attempt runs it
    finished = await run_image_task(task_id, principal=SERVICE)
    # then it completes with that object: nothing drawn, stored or bound again
    assert finished is True
    assert await _status(task_id) == "completed"
    assert [row["asset_object_id"] for row in await AssetObject.select()] == [
        stored["asset_object_id"]
    ]
    assert [row["reference_id"] for row in await AiResultReference.select()] == [
        stored["asset_object_id"]
    ]
    assert await AssetEvent.count() == 2


async def test_a_stopped_job_leaves_the_task_to_the_next_attempt(hub: Any) -> None:
    # given a task being drawn by a backend that does not finish
    owner = await make_user()
    task_id, _ = await _queued(owner)
    held = HeldBackend()
    set_backend(held)
    stop: list[str] = []
    running = asyncio.create_task(
        run_image_task(task_id, principal=SERVICE, stop_reason=lambda: stop[0] if stop else None)
    )
    await held.started.wait()
    # when the worker stops the job (shutting down)
    stop.append("shutdown")
    finished = await running
    # then the backend was cancelled, the task still runs and nothing was stored
    assert finished is False and held.cancelled
    assert await _status(task_id) == "running"
    assert await AssetObject.count() == 0
    # and the next attempt finishes it
    set_backend(None)
    assert await run_image_task(task_id, principal=SERVICE) is True
    assert await _status(task_id) == "completed"
    assert await AssetObject.count() == 1


async def test_a_task_of_another_kind_is_not_the_runner_s(hub: Any) -> None:
    owner = await make_user()
    task = await creating.request_generation(
        viewer=owner.principal, kind=AiTaskKind.TEXT_GENERATION, prompt="hello"
    )
    assert await run_image_task(task.task_id, principal=SERVICE) is None
    assert await _status(task.task_id) == "pending"


async def test_an_image_task_without_an_image_request_is_refused(
    client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    # given a signed-in user
    owner = await make_user()
    # when they ask aiTaskGenerate for an IMAGE_GENERATION task (a prompt only)
    result = await gql.execute(
        'mutation { aiTaskGenerate(input: {prompt: "a kite", kind: IMAGE_GENERATION}) '
        "{ errors { code field message } task { taskId } } }",
        token=owner.access_token,
    )
    # then it is refused, saying how to ask for an image, and no task was written
    assert result["data"]["aiTaskGenerate"] == {
        "errors": [
            {
                "code": "KIND_INVALID",
                "field": "kind",
                "message": "Images are asked for with imageGenerate (or workCoverGenerate).",
            }
        ],
        "task": None,
    }
    assert await AiTask.count() == 0


async def test_the_owner_s_cancel_stops_the_drawing(
    client: httpx.AsyncClient, gql: GraphQLClient
) -> None:
    # given a cover being drawn by the app's worker
    held = HeldBackend()
    set_backend(held)
    owner = await make_user()
    work = await CUSTOM_WORLD.start_session(viewer=owner.principal, seed_text="")
    async with graphql_socket(client, owner.access_token) as ws:
        queued = await gql.execute(
            "mutation($w: ID!) { workCoverGenerate(playType: CUSTOM_WORLD, workId: $w, "
            'prompt: "a dune") { task { taskId } } }',
            {"w": work.work_id},
            token=owner.access_token,
        )
        task_id = queued["data"]["workCoverGenerate"]["task"]["taskId"]
        await ws.subscribe(EVENTS, {"t": task_id})
        kinds: list[str] = []
        while "STAGE_STARTED" not in kinds:
            (payload,) = await ws.next_payloads(1)
            kinds.append(payload["data"]["aiTaskEvents"]["kind"])
        await held.started.wait()
        # when its owner cancels it
        cancelled = await gql.execute(
            "mutation($t: ID!) { aiTaskCancel(taskId: $t) { errors { code } task { status } } }",
            {"t": task_id},
            token=owner.access_token,
        )
        (payload,) = await ws.next_payloads(1)
    # then the task is CANCELLED, the backend was stopped and nothing was stored
    assert cancelled["data"]["aiTaskCancel"]["task"]["status"] == "CANCELLED"
    assert payload["data"]["aiTaskEvents"]["kind"] == "CANCELLED"
    await asyncio.wait_for(held.stopped.wait(), timeout=5)
    assert await AssetObject.count() == 0
