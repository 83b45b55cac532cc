"""A small OpenAI-compatible streaming server for tests, run on loopback.

The user message picks the behaviour: `normal` streams a reply and `[DONE]`; `cut` sends two
chunks then drops the connection; `slow` sends a chunk every 0.2 s for a minute; `error`
answers 500; any request without the right key gets 401. Any other message is answered with
the next of `FakeProvider.scripted` (streamed in pieces of 7 characters, then `[DONE]`), and
that message is kept in `FakeProvider.prompts`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.waiting import eventually

API_KEY = "test-key"
NORMAL_REPLY = ["Hello", ", brave", " new", " world", "."]


@dataclass
class FakeProvider:
    base_url: str = ""
    requests: list[dict[str, object]] = field(default_factory=list)
    stream_closed_at: float | None = None
    stream_closed: asyncio.Event = field(default_factory=asyncio.Event)
    # Replies to messages that name no behaviour, in order (creation agents ask for JSON).
    scripted: list[str] = field(default_factory=list)
    prompts: list[str] = field(default_factory=list)


def _event(content: str | None = None, finish: str | None = None) -> str:
    delta = {"content": content} if content is not None else {}
    return (
        "data: "
        + json.dumps({"choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})
        + "\n\n"
    )


def build_app(state: FakeProvider) -> Starlette:
    async def completions(request: Request) -> Response:
        if request.headers.get("authorization") != f"Bearer {API_KEY}":
            return JSONResponse({"error": {"message": "invalid api key"}}, status_code=401)
        body = await request.json()
        state.requests.append(body)
        prompt = body["messages"][-1]["content"]
        if prompt == "error":
            return JSONResponse({"error": {"message": "model overloaded"}}, status_code=500)

        async def events() -> AsyncIterator[str]:
            try:
                if prompt == "normal":
                    for word in NORMAL_REPLY:
                        yield _event(word)
                    yield _event(finish="stop")
                    yield "data: [DONE]\n\n"
                elif prompt == "cut":
                    yield _event("partial")
                    yield _event(" text")
                    raise ConnectionResetError("the provider went away")
                elif prompt == "slow":
                    for number in range(300):
                        yield _event(f"w{number} ")
                        await asyncio.sleep(0.2)
                    yield "data: [DONE]\n\n"
                elif state.scripted:
                    state.prompts.append(prompt)
                    reply = state.scripted.pop(0)
                    for start in range(0, len(reply), 7):
                        yield _event(reply[start : start + 7])
                    yield _event(finish="stop")
                    yield "data: [DONE]\n\n"
            finally:
                state.stream_closed_at = time.monotonic()
                state.stream_closed.set()

        return StreamingResponse(events(), media_type="text/event-stream")

    return Starlette(routes=[Route("/v1/chat/completions", completions, methods=["POST"])])


@contextlib.asynccontextmanager
async def running_provider() -> AsyncIterator[FakeProvider]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    state = FakeProvider(base_url=f"http://127.0.0.1:{port}/v1")
    server = uvicorn.Server(
        uvicorn.Config(
            build_app(state), host="127.0.0.1", port=port, log_level="error", lifespan="off"
        )
    )
    task = asyncio.create_task(server.serve())
    try:
        await eventually(lambda: server.started)
        yield state
    finally:
        server.should_exit = True
        await task
