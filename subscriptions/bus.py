"""The process's event bus over a broadcaster backend, with the fixes docs/stack.md lists.

- The hub drives a `BroadcastBackend` (subscriptions/backends.py: memory, Redis, PostgreSQL)
  with one listener task of its own instead of broadcaster's `Broadcast`, whose listener
  dies silently when a connection drops (#144) and whose subscribe bookkeeping races (#142).
- Subscribe/unsubscribe bookkeeping is serialised by a lock; the backend subscribes a
  channel once, for its first local subscriber, and unsubscribes when the last one leaves.
- Each local subscriber has a bounded queue (256 by default). A subscriber that falls
  behind is marked overflowed and told so on its next read (`SubscriberOverflow`): the
  socket layer closes it with 4008 and the client resumes from its cursor.
- A dropped backend connection is supervised: the listener reconnects (with backoff),
  subscribes every live channel again, and sends each subscriber a `{"resync": true}`
  marker; stream followers then read what they missed from the log. Nothing is lost.
- Messages are small JSON objects (ids and sequences); subscribers load what they render.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import orjson
from broadcaster import BroadcastBackend

from subscriptions.backends import backend_for

logger = logging.getLogger("genarrative.bus")

DEFAULT_QUEUE_SIZE = 256
NOTIFY_PAYLOAD_LIMIT = 7900
RESYNC: dict[str, Any] = {"resync": True}
RECONNECT_FIRST_DELAY = 0.05
RECONNECT_MAX_DELAY = 2.0


class SubscriberOverflow(Exception):
    """The subscriber fell more than its queue size behind and must resume from a cursor."""


class Subscription:
    """One local subscriber's bounded queue of decoded messages."""

    def __init__(self, channel: str, size: int) -> None:
        self.channel = channel
        self._queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=size)
        self.overflowed = False

    def offer(self, message: dict[str, Any]) -> None:
        if self.overflowed:
            return
        try:
            self._queue.put_nowait(message)
        except asyncio.QueueFull:
            self.overflowed = True
            # Wake a reader blocked in get() so it notices at once.
            self._queue.get_nowait()
            self._queue.put_nowait({})

    def fail(self) -> None:
        """The channel is gone: the next read raises `SubscriberOverflow`."""
        if self.overflowed:
            return
        self.overflowed = True
        with contextlib.suppress(asyncio.QueueFull):
            self._queue.put_nowait({})

    async def get(self) -> dict[str, Any]:
        message = await self._queue.get()
        if self.overflowed:
            raise SubscriberOverflow(self.channel)
        return message

    async def get_many(
        self, *, limit: int, wait_seconds: float | None = None
    ) -> list[dict[str, Any]]:
        """Wait for one message (at most `wait_seconds`: then []), then take whatever else
        is already queued, up to `limit` messages in all."""
        if not self._queue.empty():
            first = self._queue.get_nowait()
        elif wait_seconds is None:
            first = await self._queue.get()
        else:
            try:
                async with asyncio.timeout(wait_seconds):
                    first = await self._queue.get()
            except TimeoutError:
                return []
        messages = [first]
        while len(messages) < limit and not self._queue.empty():
            messages.append(self._queue.get_nowait())
        if self.overflowed:
            raise SubscriberOverflow(self.channel)
        return messages

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> dict[str, Any]:
        return await self.get()


class Hub:
    """Publish and subscribe on named channels across every process sharing the backend."""

    def __init__(
        self,
        url: str,
        *,
        queue_size: int = DEFAULT_QUEUE_SIZE,
        backend: BroadcastBackend | None = None,
    ) -> None:
        self.url = url
        self.queue_size = queue_size
        self._backend = backend or backend_for(url)
        self._channels: dict[str, set[Subscription]] = {}
        self._lock = asyncio.Lock()
        self._listener: asyncio.Task[None] | None = None
        self.reconnections = 0

    async def start(self) -> None:
        await self._backend.connect()
        self._listener = asyncio.create_task(self._listen())

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        for subscriptions in self._channels.values():
            for subscription in subscriptions:
                subscription.fail()
        self._channels.clear()
        await self._backend.disconnect()

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        payload = orjson.dumps(message).decode()
        if len(payload) > NOTIFY_PAYLOAD_LIMIT:
            raise ValueError(f"bus message on {channel} is {len(payload)} bytes; keep it small")
        await self._backend.publish(channel, payload)

    def subscriber_count(self, channel: str) -> int:
        return len(self._channels.get(channel, ()))

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[Subscription]:
        """Receive every message published on `channel` from the moment this returns."""
        subscription = Subscription(channel, self.queue_size)
        async with self._lock:
            subscribers = self._channels.get(channel)
            if subscribers is None:
                await self._backend.subscribe(channel)
                subscribers = self._channels[channel] = set()
            subscribers.add(subscription)
        try:
            yield subscription
        finally:
            # Bookkeeping first, with no await before it: a second cancellation must not
            # cut it short. The backend unsubscribes later, under the lock.
            subscribers.discard(subscription)
            if not subscribers and self._channels.get(channel) is subscribers:
                del self._channels[channel]
                asyncio.get_running_loop().create_task(self._unsubscribe(channel))

    async def _unsubscribe(self, channel: str) -> None:
        async with self._lock:
            if channel in self._channels:
                return  # someone subscribed again meanwhile
            try:
                await self._backend.unsubscribe(channel)
            except Exception:
                logger.warning("unsubscribing %s failed", channel, exc_info=True)

    async def _listen(self) -> None:
        while True:
            try:
                event = await self._backend.next_published()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("bus connection lost; reconnecting", exc_info=True)
                await self._reconnect()
                continue
            try:
                message = orjson.loads(event.message)
            except orjson.JSONDecodeError:
                logger.warning("dropped a malformed message on %s", event.channel)
                continue
            for subscription in list(self._channels.get(event.channel, ())):
                subscription.offer(message)

    async def _reconnect(self) -> None:
        delay = RECONNECT_FIRST_DELAY
        async with self._lock:
            while True:
                try:
                    with contextlib.suppress(Exception):
                        await self._backend.disconnect()
                    await self._backend.connect()
                    for channel in self._channels:
                        await self._backend.subscribe(channel)
                    break
                except Exception:
                    logger.warning("bus reconnection failed; retrying in %.2fs", delay)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, RECONNECT_MAX_DELAY)
            self.reconnections += 1
            # Whatever was published while we were away is in the streams' logs.
            for subscriptions in self._channels.values():
                for subscription in subscriptions:
                    subscription.offer(RESYNC)


_hub: Hub | None = None


def current_hub() -> Hub | None:
    """The running hub of this process, if the app (or a test) started one."""
    return _hub


def install_hub(hub: Hub | None) -> None:
    global _hub
    _hub = hub


async def publish(channel: str, message: dict[str, Any]) -> None:
    """Publish after commit. Without a running hub (scripts) there is nobody to tell."""
    if _hub is not None:
        await _hub.publish(channel, message)
