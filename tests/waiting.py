"""Waiting in tests: until a condition holds (`eventually`) or until the hub has a
subscriber (`subscribed`). Never a fixed sleep standing in for synchronisation."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")

POLL_SECONDS = 0.01


async def eventually(
    probe: Callable[[], T | Awaitable[T]],
    done: Callable[[T], object] = bool,
    *,
    timeout: float = 10,
) -> T:
    """Call `probe()` (a function or a coroutine function) until `done(value)` holds, and
    return that value; TimeoutError after `timeout` seconds. For state that announces no
    change (a row, a gauge, a server's flag); an event that can be awaited is awaited."""
    async with asyncio.timeout(timeout):
        while True:
            value = probe()
            if inspect.isawaitable(value):
                value = await value
            if done(value):  # type: ignore[arg-type]
                return value  # type: ignore[return-value]
            await asyncio.sleep(POLL_SECONDS)


async def subscribed(channel: str, count: int = 1, timeout: float = 5) -> None:
    """Until this process's hub has `count` subscribers on `channel` (the WebSocket and SSE
    protocols never confirm a subscription)."""
    from subscriptions.bus import current_hub

    hub = current_hub()
    assert hub is not None
    async with asyncio.timeout(timeout):
        await hub.subscribed(channel, count)
