"""Watching channels for a local cache: every message handed to a callback as it arrives.

A watch subscribes its channels on the process's hub with a callback (`Hub.subscribe(…,
on_offer=…)`): messages, the resync marker the hub sends after it reconnected, the markers
it sends every poll period while the bus is down, and `{"closed": true}` when the hub stops
all reach the callback in the hub's listener task, before any other task runs. `start`
returns once every channel is live, so whatever is published from then on reaches it;
`add` watches one more channel the same way (the holder task enters every subscription, so
they all end together at `stop`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from typing import Any

from subscriptions.bus import Hub
from subscriptions.subscriber import CLOSED

logger = logging.getLogger("genarrative.bus")


class ChannelWatch:
    def __init__(
        self, hub: Hub, channels: Sequence[str], on_message: Callable[[dict[str, Any]], None]
    ) -> None:
        self.hub = hub
        self.channels = tuple(channels)
        self.on_message = on_message
        self.live: set[str] = set()  # the channels subscribed
        self._task: asyncio.Task[None] | None = None
        self._more: asyncio.Queue[tuple[str, asyncio.Future[None]]] = asyncio.Queue()

    def _offer(self, message: dict[str, Any]) -> None:
        try:
            self.on_message(message)
        except Exception:  # never into the hub's listener
            logger.exception("a channel watch failed on %r", message)

    async def start(self) -> None:
        live: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._task = asyncio.create_task(self._hold(live))
        await live

    async def add(self, channel: str) -> None:
        """Watch one more channel (until stopped); returns once it is live."""
        if channel in self.live or self._task is None:
            return
        added: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._more.put_nowait((channel, added))
        await added

    async def _hold(self, live: asyncio.Future[None]) -> None:
        try:
            async with contextlib.AsyncExitStack() as stack:
                for channel in self.channels:
                    await stack.enter_async_context(
                        self.hub.subscribe(channel, on_offer=self._offer)
                    )
                    self.live.add(channel)
                live.set_result(None)
                while True:  # until stopped: channels added meanwhile, in this task
                    channel, added = await self._more.get()
                    if channel not in self.live:
                        await stack.enter_async_context(
                            self.hub.subscribe(channel, on_offer=self._offer)
                        )
                        self.live.add(channel)
                    if not added.done():
                        added.set_result(None)
        except BaseException as error:
            if not live.done():
                live.set_exception(error)
            raise
        finally:
            self.live.clear()
            self._offer(CLOSED)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
