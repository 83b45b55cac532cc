"""GraphQL over Server-Sent Events (graphql-sse, distinct connections mode) on /graphql.

Strawberry's SSE transport (`text/event-stream` in `Accept`, POST or GET) runs the
operation and writes `event: next` / `event: complete`; this module adds what the
WebSocket side has (schema/websocket.py):
- a limit: at most `MAX_SSE_STREAMS_PER_USER` open streams per signed-in user in this
  process (anonymous callers: per client address); one more is refused with 429
  `TOO_MANY_STREAMS` before anything runs;
- the token's watch: a stream opened with a bearer token ends within a second when the
  token expires or is revoked (logout, logout-all, refresh reuse, on every process through
  the bus): a `next` event with an UNAUTHENTICATED error, then `complete`;
- the client going away ends the operation at once (the response listens for
  `http.disconnect`), so no follower or task outlives it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime

import anyio
from starlette.requests import Request
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send
from strawberry.http.streaming import SSETransport

from observability import metrics
from resolvers import clock
from schema.context import Context
from subscriptions.revocations import Watch, current_registry

TOKEN_ENDED = "Your token expired or was revoked: subscribe again with a fresh token."


class StreamLimitReached(Exception):
    """The caller already has as many SSE streams open as allowed."""


@dataclass(eq=False)
class SseStream:
    """One open SSE stream: its slot in the limit and its token's watch."""

    streams: SseStreams
    key: str
    watch: Watch | None
    released: bool = field(default=False)

    def release(self) -> None:
        """Give the slot back and forget the watch (idempotent)."""
        if self.released:
            return
        self.released = True
        self.streams._close(self.key)
        metrics.SSE_STREAMS_OPEN.dec()
        registry = current_registry()
        if registry is not None and self.watch is not None:
            registry.unwatch(self.watch)


class SseStreams:
    """The open SSE streams of this process, counted per user (or client address)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._open: dict[str, int] = {}

    def count(self, key: str) -> int:
        return self._open.get(key, 0)

    def open(self, request: Request, context: Context) -> SseStream:
        principal = context.principal
        if principal.user_id is not None:
            key = f"user:{principal.user_id}"
        elif principal.credential_id is not None:
            key = f"service:{principal.credential_id}"
        else:
            key = f"anonymous:{request.client.host if request.client else ''}"
        if self._open.get(key, 0) >= self.limit:
            raise StreamLimitReached()
        self._open[key] = self._open.get(key, 0) + 1
        metrics.SSE_STREAMS_OPEN.inc()
        watch = None
        if principal.is_authenticated:
            watch = Watch(
                user_id=principal.user_id,
                session_id=principal.session_id,
                token_version=principal.token_version,
                expires_at=principal.expires_at,
            )
            registry = current_registry()
            if registry is not None:
                registry.watch(watch)
            context.watch = watch
        return SseStream(streams=self, key=key, watch=watch)

    def _close(self, key: str) -> None:
        remaining = self._open.get(key, 0) - 1
        if remaining > 0:
            self._open[key] = remaining
        else:
            self._open.pop(key, None)


def _seconds_until(moment: datetime | None) -> float | None:
    if moment is None:
        return None
    return max((moment - clock.now()).total_seconds(), 0.0)


async def _until_token_ends(watch: Watch) -> None:
    """Return once the watch is revoked or its token expires."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(watch.revoked.wait(), timeout=_seconds_until(watch.expires_at))
    watch.revoked.set()  # expiry counts as revocation for the per-event checks


def guarded(
    stream: Callable[[], AsyncIterator[str]],
    handle: SseStream,
    transport: SSETransport,
    encode_json: Callable[[object], str],
    request_id: str,
) -> Callable[[], AsyncGenerator[str, None]]:
    """The transport's stream, ended early (UNAUTHENTICATED, then complete) when the token
    stops being valid; the slot is given back whatever way it ends."""

    async def run() -> AsyncGenerator[str, None]:
        source = stream()
        ended = (
            asyncio.ensure_future(_until_token_ends(handle.watch))
            if handle.watch is not None
            else None
        )
        step: asyncio.Future[str] | None = None
        try:
            while True:
                step = asyncio.ensure_future(anext(source))
                waiting: set[asyncio.Future[object]] = {step}  # type: ignore[arg-type]
                if ended is not None:
                    waiting.add(ended)  # type: ignore[arg-type]
                await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
                if not step.done():
                    error = {
                        "message": TOKEN_ENDED,
                        "extensions": {"code": "UNAUTHENTICATED", "requestId": request_id},
                    }
                    yield transport.encode_next({"data": None, "errors": [error]}, encode_json)
                    yield transport.encode_complete()
                    return
                try:
                    chunk = step.result()
                except StopAsyncIteration:
                    return
                step = None
                yield chunk
        finally:
            if ended is not None:
                ended.cancel()
            if step is not None and not step.done():
                step.cancel()
                with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                    await step
            close = getattr(source, "aclose", None)
            if close is not None:
                await close()
            handle.release()

    return run


class SseResponse(StreamingResponse):
    """An event stream that stops as soon as the client disconnects (whatever the ASGI
    spec version), and gives its slot back however it ends, even unstarted."""

    def __init__(self, *args: object, handle: SseStream, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.handle = handle

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            async with anyio.create_task_group() as group:

                async def respond() -> None:
                    await self.stream_response(send)
                    group.cancel_scope.cancel()

                group.start_soon(respond)
                await self.listen_for_disconnect(receive)
                group.cancel_scope.cancel()
        finally:
            self.handle.release()
