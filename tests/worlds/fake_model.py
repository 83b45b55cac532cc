"""An OpenAI-compatible streaming server on loopback that answers every request with the
reply a test sets (`FakeModel.reply`), in three chunks."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from tests.waiting import eventually

API_KEY = "worlds-test-key"


@dataclass
class FakeModel:
    base_url: str = ""
    reply: str = ""
    prompts: list[str] = field(default_factory=list)


def _event(content: str) -> str:
    delta = {"choices": [{"index": 0, "delta": {"content": content}, "finish_reason": None}]}
    return f"data: {json.dumps(delta)}\n\n"


def _app(state: FakeModel) -> Starlette:
    async def completions(request: Request) -> Response:
        body = await request.json()
        state.prompts.append(body["messages"][-1]["content"])
        text = state.reply
        third = max(1, len(text) // 3)

        async def events() -> AsyncIterator[str]:
            for start in range(0, len(text), third):
                yield _event(text[start : start + third])
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    return Starlette(routes=[Route("/v1/chat/completions", completions, methods=["POST"])])


@contextlib.asynccontextmanager
async def running_model() -> AsyncIterator[FakeModel]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    state = FakeModel(base_url=f"http://127.0.0.1:{port}/v1")
    server = uvicorn.Server(
        uvicorn.Config(_app(state), host="127.0.0.1", port=port, log_level="error", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    try:
        await eventually(lambda: server.started)
        yield state
    finally:
        server.should_exit = True
        await task
