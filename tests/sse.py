"""A GraphQL-over-SSE client for tests: a streaming ASGI transport and an event reader.

httpx's ASGITransport buffers the whole response, which never ends for a subscription;
`streaming_client(app)` hands the response over as soon as its headers are sent, streams
its body as the app writes it, and tells the app `http.disconnect` when the response is
closed (as a browser or `curl` going away does).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx

URL = "http://testserver/graphql"


class _Body(httpx.AsyncByteStream):
    def __init__(self, chunks: asyncio.Queue[bytes | None], close: Any) -> None:
        self._chunks = chunks
        self._close = close

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while (chunk := await self._chunks.get()) is not None:
            yield chunk

    async def aclose(self) -> None:
        await self._close()


class StreamingASGITransport(httpx.AsyncBaseTransport):
    def __init__(self, app: Any) -> None:
        self.app = app
        self.tasks: set[asyncio.Task[None]] = set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = b"".join([part async for part in request.stream])  # type: ignore[union-attr]
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": request.method,
            "headers": [(k.lower(), v) for (k, v) in request.headers.raw],
            "scheme": request.url.scheme,
            "path": request.url.path,
            "raw_path": request.url.raw_path.split(b"?")[0],
            "query_string": request.url.query,
            "server": (request.url.host, request.url.port),
            "client": ("127.0.0.1", 123),
            "root_path": "",
        }
        sent_body = False
        disconnected = asyncio.Event()
        started: asyncio.Future[tuple[int, list[tuple[bytes, bytes]]]] = (
            asyncio.get_running_loop().create_future()
        )
        chunks: asyncio.Queue[bytes | None] = asyncio.Queue()

        async def receive() -> dict[str, Any]:
            nonlocal sent_body
            if not sent_body:
                sent_body = True
                return {"type": "http.request", "body": body, "more_body": False}
            await disconnected.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                started.set_result((message["status"], message.get("headers", [])))
            elif message["type"] == "http.response.body":
                if message.get("body"):
                    chunks.put_nowait(message["body"])
                if not message.get("more_body", False):
                    chunks.put_nowait(None)

        async def run() -> None:
            try:
                await self.app(scope, receive, send)
            finally:
                chunks.put_nowait(None)

        task = asyncio.create_task(run())
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        await asyncio.wait({started, task}, return_when=asyncio.FIRST_COMPLETED)
        if not started.done():
            task.result()  # raises what the app raised
        status, headers = started.result()

        async def close() -> None:
            disconnected.set()
            async with asyncio.timeout(5):
                with contextlib.suppress(asyncio.CancelledError):
                    await task

        return httpx.Response(status, headers=headers, stream=_Body(chunks, close))


@contextlib.asynccontextmanager
async def streaming_client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=StreamingASGITransport(app), base_url="http://testserver"
    ) as client:
        yield client


class EventStream:
    """The events of one `text/event-stream` response, read as they arrive."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self._lines = response.aiter_lines()

    async def event(self, timeout: float = 5) -> tuple[str, Any]:
        """The next event (comments skipped): its name and its data (JSON, or None)."""
        name, data = "message", ""
        async with asyncio.timeout(timeout):
            async for line in self._lines:
                if line == "":
                    if data or name != "message":
                        return name, json.loads(data) if data else None
                    continue
                if line.startswith(":"):
                    continue
                field, _, value = line.partition(":")
                value = value.removeprefix(" ")
                if field == "event":
                    name = value
                elif field == "data":
                    data += value
        raise EOFError("the stream ended")

    async def payloads(self, count: int, timeout: float = 5) -> list[dict[str, Any]]:
        """The data of the next `count` `next` events."""
        found: list[dict[str, Any]] = []
        async with asyncio.timeout(timeout):
            while len(found) < count:
                name, data = await self.event(timeout=timeout)
                assert name == "next", (name, data)
                found.append(data)
        return found


@contextlib.asynccontextmanager
async def subscribe_sse(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    token: str | None = None,
) -> AsyncIterator[EventStream]:
    headers = {"accept": "text/event-stream"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    async with client.stream(
        "POST", "/graphql", headers=headers, json={"query": query, "variables": variables or {}}
    ) as response:
        assert response.status_code == 200, await response.aread()
        assert response.headers["content-type"].startswith("text/event-stream")
        yield EventStream(response)
