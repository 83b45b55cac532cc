"""`next` frames of shared subscription results, written straight to the WebSocket.

At fan-out (25 subscribers of a task, 1,500 sockets in one process) every subscriber's
event went through graphql-core's per-event executor, Strawberry's result stream and the
transport's message building before its one `write`, although the result had already
been computed for another subscriber with the same execution key
(schema/shared_events.py). That bookkeeping cost more per delivery than the frame
(docs/realtime.md, "Fan-out benchmark").

So, for graphql-transport-ws:
- the transport (schema/websocket.py) runs each operation with a `FrameSink` in a context
  variable: the operation's `next` frame prefix (its id) and its socket;
- the extension runner (schema/extension_runner.py) accepts direct frames for the
  operation only when no extension hooks streamed results (tracing, a test's extension)
  or adds result extensions: with any, every event takes Strawberry's stream;
- the subscription's executor (`SharedEventExecutor`) puts `relay` between the source
  stream (after its per-event 4401 check, schema/streaming.py) and graphql-core. An event
  whose result for this execution key is already there without errors is written as
  `{"id":…,"type":"next","payload":…}`, the payload encoded once per key; any other event
  (the first of its key, a result still being computed, one with errors: masking adds the
  connection's request id) and any frame the socket refused take the normal stream, which
  sends them, or fails, exactly as before.

The frames are the bytes the normal stream writes (the view's encoder, whose compact
output keeps key order: tests/realtime/test_direct_frames.py compares them). They stay in
order: the stream is pulled one event at a time, only after the previous one was sent.
The legacy graphql-ws protocol and SSE open no sink: their events take the normal stream.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterator
from contextvars import ContextVar
from typing import TypeVar

from starlette.websockets import WebSocket
from strawberry.types import ExecutionContext

T = TypeVar("T")
Encode = Callable[[object], str | bytes]  # the view's encode_json

_current: ContextVar[FrameSink | None] = ContextVar("genarrative_frame_sink", default=None)


class FrameSink:
    """One WebSocket operation's `next` frames, for events sent without the stream."""

    __slots__ = ("_prefix", "_websocket", "encode", "execution")

    def __init__(self, encoded_id: str, websocket: WebSocket, encode: Encode) -> None:
        # The view's message is {"id", "type", "payload"} in this order (Strawberry's
        # Operation.send_next): its text up to the payload depends on the id alone.
        self._prefix = '{"id":' + encoded_id + ',"type":"next","payload":'
        self._websocket = websocket
        self.encode = encode
        # Set by the extension runner when no extension needs to see streamed results.
        self.execution: ExecutionContext | None = None

    async def send(self, payload: str) -> bool:
        """Write one `next` frame; False when it must take the normal stream instead."""
        execution = self.execution
        if execution is None or execution.extensions_results:
            return False  # an extension put results on the operation: they go in payloads
        try:
            await self._websocket.send_text(self._prefix + payload + "}")
        except Exception:
            # Nothing was written: the normal stream sends the event again and meets the
            # failure (a closed socket) where Strawberry handles it.
            return False
        return True


def current_sink() -> FrameSink | None:
    return _current.get()


@contextlib.contextmanager
def frame_sink(operation_id: object, websocket: WebSocket, encode: Encode) -> Iterator[None]:
    """Direct frames possible for the operation run inside (its own task)."""
    encoded_id = encode(operation_id)
    if not isinstance(encoded_id, str):  # binary frames: the normal stream sends them
        yield
        return
    token = _current.set(FrameSink(encoded_id, websocket, encode))
    try:
        yield
    finally:
        _current.reset(token)


def accept(execution: ExecutionContext) -> None:
    """The extension runner's consent: none of the operation's extensions sees results."""
    sink = _current.get()
    if sink is not None and sink.execution is None:
        sink.execution = execution


async def relay(
    source: AsyncIterable[T], sink: FrameSink, payload_of: Callable[[T], str | None]
) -> AsyncIterator[T]:
    """The source's events, less those sent as frames (`payload_of`: their payload text,
    or None when the event needs executing or has errors)."""
    events = aiter(source)
    try:
        async for event in events:
            payload = payload_of(event)
            if payload is None or not await sink.send(payload):
                yield event
    finally:
        # graphql-core closes what it iterates: pass that on to the source (its follower).
        aclose = getattr(events, "aclose", None)
        if aclose is not None:
            await aclose()
