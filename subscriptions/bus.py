"""The process's event bus over a broadcaster backend, with the fixes docs/stack.md lists.

- The hub drives a `BroadcastBackend` (subscriptions/backends.py: memory, Redis, PostgreSQL)
  with one listener task of its own instead of broadcaster's `Broadcast`, whose listener
  dies silently when a connection drops (#144) and whose subscribe bookkeeping races (#142).
- Subscribe/unsubscribe bookkeeping is serialised by a lock; the backend subscribes a
  channel once, for its first local subscriber, and unsubscribes when the last one leaves.
- Each local subscriber (subscriptions/subscriber.py) has a bounded queue (256 by default).
  A subscriber that falls behind is marked overflowed and told so on its next read
  (`SubscriberOverflow`): the socket layer closes it with 4008 and the client resumes from
  its cursor.
- A dropped backend connection is supervised: the listener reconnects (with backoff),
  subscribes every live channel again, and sends each subscriber a `{"resync": true}`
  marker; stream followers then read what they missed from the log. Nothing is lost.
- An outage degrades, never silences (subscriptions/outage.py): subscribing never waits
  for the backend (a new follower replays from the database at once, its channel is
  subscribed when the bus is back), subscribers are nudged to read their logs every
  REALTIME_OUTAGE_POLL_SECONDS meanwhile, and publishing fails quietly (one warning).
- Messages are small JSON objects (ids and sequences); subscribers load what they render.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import orjson
from broadcaster import BroadcastBackend

from observability import metrics
from settings import ConfigurationError
from subscriptions.backends import backend_for, unreachable
from subscriptions.outage import DEFAULT_POLL_SECONDS, Outage
from subscriptions.subscriber import Subscription

logger = logging.getLogger("genarrative.bus")

DEFAULT_QUEUE_SIZE = 256
NOTIFY_PAYLOAD_LIMIT = 7900
RESYNC: dict[str, Any] = {"resync": True}
RECONNECT_FIRST_DELAY = 0.05
RECONNECT_MAX_DELAY = 2.0
# A backend call (subscribe, publish) that takes longer is treated as an outage: a writer
# must not hang after its commit, nor a new follower before its replay.
BACKEND_CALL_SECONDS = 2.0
# Seconds the first connection may take before start-up gives up (BROADCAST_URL).
CONNECT_TIMEOUT = 5
SENT_AT = "_sentAt"  # the publisher's time.time(), added to every message on the wire


class Hub:
    """Publish and subscribe on named channels across every process sharing the backend."""

    def __init__(
        self,
        url: str,
        *,
        queue_size: int = DEFAULT_QUEUE_SIZE,
        backend: BroadcastBackend | None = None,
        outage_poll_seconds: float = DEFAULT_POLL_SECONDS,
    ) -> None:
        self.url = url
        self.queue_size = queue_size
        self._backend = backend or backend_for(url)
        self._channels: dict[str, set[Subscription]] = {}
        self._lock = asyncio.Lock()
        self._listener: asyncio.Task[None] | None = None
        self.reconnections = 0
        self.outage = Outage(self._subscriptions, poll_seconds=outage_poll_seconds)
        self._awaiting: set[tuple[str, int, asyncio.Future[None]]] = set()

    def _subscriptions(self) -> list[Subscription]:
        return [each for subscriptions in self._channels.values() for each in subscriptions]

    async def start(self) -> None:
        """Connect; a backend that does not answer fails start-up with one line naming
        BROADCAST_URL (ConfigurationError) instead of the driver's traceback."""
        try:
            async with asyncio.timeout(CONNECT_TIMEOUT):
                await self._backend.connect()
        except Exception as error:
            with contextlib.suppress(Exception):
                await self._backend.disconnect()
            raise ConfigurationError(
                f"BROADCAST_URL: {unreachable(self.url, error, CONNECT_TIMEOUT)}; "
                "start it or set BROADCAST_URL"
            ) from None
        self._listener = asyncio.create_task(self._listen())

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        await self.outage.close()
        for subscriptions in self._channels.values():
            for subscription in subscriptions:
                subscription.fail()
        self._channels.clear()
        await self._backend.disconnect()

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        # The publish time rides along for the delivery-lag metric; `_listen` takes it off,
        # so subscribers see the message as published (and messages without it still work).
        payload = orjson.dumps({**message, SENT_AT: time.time()}).decode()
        if len(payload) > NOTIFY_PAYLOAD_LIMIT:
            raise ValueError(f"bus message on {channel} is {len(payload)} bytes; keep it small")
        if not self.outage.should_try_publish():
            return
        try:
            async with asyncio.timeout(BACKEND_CALL_SECONDS):
                await self._backend.publish(channel, payload)
        except Exception as error:
            # Lost nothing that matters: stream entries are in their logs, and followers
            # poll them while the bus is down. One warning, not a traceback per publish.
            self.outage.publish_failed(error)
            return
        self.outage.published()

    def subscriber_count(self, channel: str) -> int:
        return len(self._channels.get(channel, ()))

    async def subscribed(self, channel: str, count: int = 1) -> None:
        """Return once `channel` has at least `count` subscribers in this process (tests
        and tools: the subscription protocols never confirm a subscription)."""
        if self.subscriber_count(channel) >= count:
            return
        entry = (channel, count, asyncio.get_running_loop().create_future())
        self._awaiting.add(entry)
        try:
            await entry[2]
        finally:
            self._awaiting.discard(entry)

    def _announce(self, channel: str) -> None:
        for awaited, count, future in self._awaiting:
            if awaited == channel and self.subscriber_count(channel) >= count and not future.done():
                future.set_result(None)

    @contextlib.asynccontextmanager
    async def subscribe(
        self, channel: str, *, on_offer: Callable[[dict[str, Any]], None] | None = None
    ) -> AsyncIterator[Subscription]:
        """Receive every message published on `channel` from the moment this returns.
        With `on_offer`, each message (and each resync or outage-poll marker) is handed to
        it at once, in the listener's task, instead of being queued; it must not raise."""
        subscription = Subscription(channel, self.queue_size, on_offer)
        async with self._lock:
            subscribers = self._channels.get(channel)
            if subscribers is None:
                # While the bus is down the channel is only recorded: the reconnection
                # subscribes every recorded channel, and the outage poll nudges meanwhile.
                if self.outage.listening:
                    try:
                        async with asyncio.timeout(BACKEND_CALL_SECONDS):
                            await self._backend.subscribe(channel)
                    except Exception as error:
                        # Reconnect now (it subscribes this channel too) rather than
                        # wait for the listener to notice: polling covers the meantime.
                        self.outage.listener_lost(error)
                        self._restart_listener()
                subscribers = self._channels[channel] = set()
            subscribers.add(subscription)
            self._announce(channel)
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
            if not self.outage.listening:
                return  # the reconnection subscribes only the channels still recorded
            try:
                await self._backend.unsubscribe(channel)
            except Exception as error:
                logger.debug("unsubscribing %s failed: %r", channel, error)

    def _restart_listener(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
        self._listener = asyncio.create_task(self._listen(reconnect_first=True))

    async def _listen(self, *, reconnect_first: bool = False) -> None:
        if reconnect_first:
            await self._reconnect()
        while True:
            try:
                event = await self._backend.next_published()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                self.outage.listener_lost(error)  # one warning, then polling
                await self._reconnect()
                continue
            try:
                message = orjson.loads(event.message)
            except orjson.JSONDecodeError:
                logger.warning("dropped a malformed message on %s", event.channel)
                continue
            if isinstance(message, dict):
                metrics.record_bus_delivery(message.pop(SENT_AT, None))
            for subscription in list(self._channels.get(event.channel, ())):
                subscription.offer(message)

    async def _reconnect(self) -> None:
        delay = RECONNECT_FIRST_DELAY
        while True:
            # The lock is held per attempt, never across the backoff: subscribing must not
            # wait for the bus (followers replay from the database meanwhile).
            async with self._lock:
                try:
                    with contextlib.suppress(Exception):
                        await self._backend.disconnect()
                    await self._backend.connect()
                    for channel in list(self._channels):
                        await self._backend.subscribe(channel)
                except Exception as error:
                    logger.debug("bus reconnection failed (%r); retrying in %.2fs", error, delay)
                else:
                    self.outage.listener_back()
                    break
            await asyncio.sleep(delay)
            delay = min(delay * 2, RECONNECT_MAX_DELAY)
        async with self._lock:
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
