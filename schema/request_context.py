"""ASGI middleware: every HTTP request and WebSocket gets its request id before any route.

The id (the client's well-formed `X-Request-ID`, else a new one) is kept in the scope's
state, where the view and the error barrier read it, and bound for logging
(observability/logs.py): every record logged while the request runs carries it, and so
do records of the tasks it starts (a WebSocket's operations, an SSE stream). With tracing
on, an HTTP request is also the current span, so its log lines carry the trace id and the
GraphQL operation's spans are its children.
"""

from __future__ import annotations

from opentelemetry.sdk.trace import TracerProvider
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from observability.logs import bound_request_id
from observability.tracing import http_server_span, record_status
from schema.failures import scope_request_id


class RequestContext:
    def __init__(self, app: ASGIApp, tracer_provider: TracerProvider | None = None) -> None:
        self.app = app
        self.tracer_provider = tracer_provider

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        request_id = scope_request_id(scope)
        scope["state"]["request_id"] = request_id
        with bound_request_id(request_id):
            # A WebSocket lives for hours: its operations are traced one by one instead.
            if self.tracer_provider is None or scope["type"] != "http":
                await self.app(scope, receive, send)
                return
            with http_server_span(
                self.tracer_provider,
                method=scope["method"],
                path=scope["path"],
                request_id=request_id,
            ) as span:

                async def noting_status(message: Message) -> None:
                    if message["type"] == "http.response.start":
                        record_status(span, message["status"])
                    await send(message)

                await self.app(scope, receive, noting_status)
