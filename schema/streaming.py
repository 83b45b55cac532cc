"""Stream subscriptions for every domain: cursor checks, replay-then-live delivery, closing.

A subscription field authorizes at subscribe time, then returns `deliver(...)` with a loader
of its domain's event rows (one query per batch) and a converter to its GraphQL type.
For every event the connection's watch (schema/websocket.py) must still be valid: once it
is revoked or expired, delivery stops and the socket closes with 4401 (in memory, no query
per event). A subscriber that falls more than REALTIME_QUEUE_SIZE messages behind is closed
with 4008 and resumes with its last `sequence` as `after`. Over SSE (no socket,
schema/sse.py) the stream's guard ends the response instead of the 4401 close, and falling
behind is a FELL_BEHIND error that ends the stream.

A server-side failure while following (the database still unavailable after the
follower's retries, a loader that fails) never ends the operation with an error and
`complete`, which would leave the client without its rest: the socket closes with 4500
("resubscribe with your last sequence"); over SSE it is a STREAM_INTERRUPTED error that
says the same, then `complete`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

from starlette.websockets import WebSocket, WebSocketState

from db.faults import is_unavailable
from resolvers.errors import AccessError, BadUserInput
from schema.context import Context
from settings import get_settings
from subscriptions import following, streams
from subscriptions.subscriber import SubscriberOverflow

logger = logging.getLogger("genarrative.streaming")

FELL_BEHIND = 4008
STREAM_INTERRUPTED = 4500
RESUBSCRIBE = "Stream interrupted: resubscribe with your last sequence."
EventType = TypeVar("EventType")
RowType = TypeVar("RowType")
LoadRows = Callable[[list[str]], Awaitable[dict[str, RowType]]]


class FellBehind(AccessError):
    """An SSE subscriber fell behind (a socket is closed with 4008 instead)."""

    code = "FELL_BEHIND"
    default_message = "Fell behind: subscribe again with your last sequence as `after`."


class StreamInterrupted(AccessError):
    """An SSE stream failed on the server (a socket is closed with 4500 instead)."""

    code = "STREAM_INTERRUPTED"
    default_message = "Stream interrupted: subscribe again with your last sequence as `after`."


async def check_cursor(stream_key: str, after: int | None) -> None:
    """`after` must be a sequence of the stream (0 … its end) or None (live only)."""
    if after is None:
        return
    if after < 0:
        raise BadUserInput("`after` is a sequence: 0 or more.")
    if after > await streams.current_sequence(stream_key):
        raise BadUserInput("`after` is beyond the end of this stream.")


async def park(context: Context | None = None) -> None:
    """Wait to be cancelled: the socket is closing and the server ends the operation.

    Over SSE (no socket) return at once: the stream's own guard (schema/sse.py) has ended
    or is ending the response."""
    if context is not None and not isinstance(context.request, WebSocket):
        return
    await asyncio.Event().wait()


async def close_socket(context: Context, code: int, reason: str) -> None:
    websocket = context.request
    if isinstance(websocket, WebSocket) and (
        websocket.application_state == WebSocketState.CONNECTED
    ):
        with contextlib.suppress(RuntimeError):
            await websocket.close(code=code, reason=reason)


async def deliver(
    context: Context,
    stream_key: str,
    after: int | None,
    *,
    load_rows: LoadRows[RowType],
    convert: Callable[[RowType, int], EventType],
) -> AsyncIterator[EventType]:
    """Every event of the stream after `after`, then live ones, each once and in order."""
    settings = get_settings()
    watch = context.watch
    follow = following.follow(
        stream_key,
        after=after,
        page_size=settings.realtime_replay_page_size,
        resync_seconds=settings.realtime_resync_seconds,
    )
    try:
        async with contextlib.aclosing(follow) as batches:
            async for batch in batches:
                rows = await load_rows([entry.event_id for entry in batch])
                for entry in batch:
                    if watch is not None and watch.revoked.is_set():
                        await park(context)  # the guard closes the socket with 4401
                        return
                    row = rows.get(entry.event_id)
                    if row is None:
                        logger.error("stream %s#%s names no event", stream_key, entry.sequence)
                        continue
                    yield convert(row, entry.sequence)
    except SubscriberOverflow:
        if not isinstance(context.request, WebSocket):
            raise FellBehind() from None
        await close_socket(
            context, FELL_BEHIND, "Fell behind: resubscribe with your last sequence."
        )
        await park()
    except Exception as error:
        if is_unavailable(error):
            logger.warning(
                "stream %s interrupted (request %s): database unavailable: %r",
                stream_key,
                context.request_id,
                error,
            )
        else:
            logger.exception("stream %s failed (request %s)", stream_key, context.request_id)
        if not isinstance(context.request, WebSocket):
            raise StreamInterrupted() from None
        await close_socket(context, STREAM_INTERRUPTED, RESUBSCRIBE)
        await park()
