"""Image generation in tests: the mutations, waiting for a task's end on its event stream,
reading the stored bytes back, and a fake OpenAI-compatible images provider served over
real HTTP on a local port."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import io
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from db.tables.ai_tasks import AiResultReference, AiTask, AiTasksImageQuota
from db.tables.assets import AssetEntityBinding, AssetEvent, AssetObject
from tests.fixtures import GraphQLClient
from tests.ws import graphql_socket

TASK_FIELDS = "taskId kind status sourceModule requestPayload"
GENERATE = (
    "mutation($i: ImageGenerateInput!) { imageGenerate(input: $i) { "
    f"errors {{ code field message }} remainingToday task {{ {TASK_FIELDS} }} }} }}"
)
COVER = (
    "mutation($p: PlayType!, $w: ID!, $t: String!) { "
    "workCoverGenerate(playType: $p, workId: $w, prompt: $t) { "
    f"errors {{ code field message }} remainingToday task {{ {TASK_FIELDS} }} }} }}"
)
EVENTS = (
    "subscription($t: ID!) { aiTaskEvents(taskId: $t, after: 0) { sequence kind status "
    "stageKind } }"
)
TASK = (
    "query($t: ID!) { aiTask(taskId: $t) { status failureMessage latestStructuredPayload "
    "stages { kind status } results { kind referenceId resultRefId } } }"
)
OBJECT = (
    "query($a: ID!) { assetObject(id: $a) { accessPolicy "
    "contentType contentLength contentHash assetKind readUrl } }"
)
FINISHED_KINDS = ("COMPLETED", "FAILED", "CANCELLED")


async def generate(gql: GraphQLClient, token: str | None, **fields: Any) -> dict[str, Any]:
    """The whole response of `imageGenerate` (width and height default to 128)."""
    return await gql.execute(GENERATE, {"i": {"width": 128, "height": 128, **fields}}, token=token)


async def cover(
    gql: GraphQLClient, token: str | None, play_type: str, work_id: str, prompt: str
) -> dict[str, Any]:
    """The whole response of `workCoverGenerate`."""
    return await gql.execute(COVER, {"p": play_type, "w": work_id, "t": prompt}, token=token)


async def finish(
    client: httpx.AsyncClient, token: str, task_id: str, timeout: float = 15
) -> list[dict[str, Any]]:
    """The task's events from the first to its end (COMPLETED, FAILED or CANCELLED), read
    from `aiTaskEvents` with a deadline."""
    events: list[dict[str, Any]] = []
    async with graphql_socket(client, token) as ws, asyncio.timeout(timeout):
        await ws.subscribe(EVENTS, {"t": task_id})
        while not events or events[-1]["kind"] not in FINISHED_KINDS:
            (payload,) = await ws.next_payloads(1, timeout=timeout)
            assert "errors" not in payload, payload
            events.append(payload["data"]["aiTaskEvents"])
    return events


async def task(gql: GraphQLClient, token: str, task_id: str) -> dict[str, Any]:
    result = await gql.execute(TASK, {"t": task_id}, token=token)
    assert "errors" not in result, result
    found: dict[str, Any] = result["data"]["aiTask"]
    return found


async def stored_object(gql: GraphQLClient, token: str, asset_object_id: str) -> dict[str, Any]:
    result = await gql.execute(OBJECT, {"a": asset_object_id}, token=token)
    assert "errors" not in result, result
    found: dict[str, Any] = result["data"]["assetObject"]
    return {**found, "assetObjectId": asset_object_id}


async def read_bytes(client: httpx.AsyncClient, url: str) -> bytes:
    """The bytes behind a signed read URL (anonymous: the URL is the permission)."""
    response = await client.get(url)
    assert response.status_code == 200, response.text
    return response.content


def size_of(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        size: tuple[int, int] = image.size
        return size


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


async def image_rows() -> dict[str, int]:
    """Rows of every table an image request or its task writes (refusals write none)."""
    tables = (AiTask, AiTasksImageQuota, AssetObject, AssetEntityBinding, AssetEvent)
    counts = {table._meta.tablename: await table.count() for table in tables}
    counts["ai_result_reference"] = await AiResultReference.count()
    return counts


def png(width: int = 8, height: int = 6) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass
class FakeImagesProvider:
    """An OpenAI-compatible `/images/generations` endpoint. `answer` is what it does next:
    `ok` (a PNG as b64_json), `refusal` (400 content_policy_violation), `server_error`
    (500 with an error object), `rate_limited` (429), `url_only` (a URL, no b64_json),
    `not_an_image` (b64_json of text), `hang` (never answers: a timeout)."""

    base_url: str = ""
    answer: str = "ok"
    image: bytes = field(default_factory=png)
    requests: list[dict[str, Any]] = field(default_factory=list)
    release: asyncio.Event = field(default_factory=asyncio.Event)

    async def endpoint(self, request: Request) -> Response:
        self.requests.append(
            {"body": await request.json(), "authorization": request.headers.get("authorization")}
        )
        if self.answer == "ok":
            encoded = base64.b64encode(self.image).decode()
            return JSONResponse({"created": 1, "data": [{"b64_json": encoded}]})
        if self.answer == "refusal":
            return JSONResponse(
                {
                    "error": {
                        "message": "Your request was rejected by the safety system.",
                        "type": "image_generation_user_error",
                        "param": None,
                        "code": "content_policy_violation",
                    }
                },
                status_code=400,
            )
        if self.answer == "server_error":
            error = {"message": "The server had an error.", "type": "server_error", "code": None}
            return JSONResponse({"error": error}, status_code=500)
        if self.answer == "rate_limited":
            error = {"message": "Rate limit reached.", "type": "requests", "code": "rate_limit"}
            return JSONResponse({"error": error}, status_code=429)
        if self.answer == "url_only":
            return JSONResponse({"created": 1, "data": [{"url": "http://169.254.169.254/x"}]})
        if self.answer == "not_an_image":
            encoded = base64.b64encode(b"<html>not an image</html>").decode()
            return JSONResponse({"created": 1, "data": [{"b64_json": encoded}]})
        await self.release.wait()  # "hang": answers only once the test is over
        return JSONResponse({"created": 1, "data": []})


@contextlib.asynccontextmanager
async def fake_images_provider() -> AsyncIterator[FakeImagesProvider]:
    """The fake provider on a free local port (real HTTP, uvicorn), for the test's span."""
    provider = FakeImagesProvider()
    app = Starlette(routes=[Route("/v1/images/generations", provider.endpoint, methods=["POST"])])
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    # Listening already: connections wait in the backlog until uvicorn accepts them.
    listener.listen(64)
    serving = asyncio.create_task(server.serve(sockets=[listener]))
    provider.base_url = f"http://127.0.0.1:{port}/v1"
    try:
        yield provider
    finally:
        provider.release.set()
        server.should_exit = True
        await serving
        listener.close()
