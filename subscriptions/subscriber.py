"""One local subscriber of the event bus: a bounded queue of decoded messages that marks
itself overflowed, rather than blocking the hub, when its reader falls behind."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

CLOSED: dict[str, Any] = {"closed": True}


class SubscriberOverflow(Exception):
    """The subscriber fell more than its queue size behind and must resume from a cursor."""


class Subscription:
    """One local subscriber's bounded queue of decoded messages."""

    def __init__(
        self,
        channel: str,
        size: int,
        on_offer: Callable[[dict[str, Any]], None] | None = None,
    ) -> None:
        self.channel = channel
        self._queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=size)
        self.overflowed = False
        # A watcher's callback runs as the message arrives (nothing is queued): the
        # public-response cache drops stale results before any other task runs.
        self._on_offer = on_offer

    def offer(self, message: dict[str, Any]) -> None:
        if self._on_offer is not None:
            self._on_offer(message)
            return
        if self.overflowed:
            return
        try:
            self._queue.put_nowait(message)
        except asyncio.QueueFull:
            self.overflowed = True
            # Wake a reader blocked in get() so it notices at once.
            self._queue.get_nowait()
            self._queue.put_nowait({})

    def nudge(self, message: dict[str, Any]) -> None:
        """Offer `message` unless something is already queued (a poll while the bus is
        down: one pending marker is enough)."""
        if self._queue.empty():
            self.offer(message)

    def fail(self) -> None:
        """The channel is gone: the next read raises `SubscriberOverflow` (a watcher's
        callback gets `{"closed": true}`)."""
        if self._on_offer is not None:
            self._on_offer(CLOSED)
            return
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
