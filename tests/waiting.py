"""Waiting in tests: until a condition holds (`eventually`) or until the hub has a
subscriber (`subscribed`, `subscribing`) or has lost one (`unsubscribed`). Never a fixed
sleep standing in for synchronisation.

The app subscribes on its own too: the public-response cache watches the gallery's stream
(and leaderboards once read), so a wait on such a channel counts from the subscribers
already there (`subscribing`, `subscriber_count`), never from zero."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from subscriptions.bus import Hub

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


def _hub() -> Hub:
    from subscriptions.bus import current_hub

    hub = current_hub()
    assert hub is not None
    return hub


def subscriber_count(channel: str) -> int:
    """How many subscribers `channel` has in this process now (the app's own included)."""
    return _hub().subscriber_count(channel)


async def subscribed(channel: str, count: int = 1, timeout: float = 5) -> None:
    """Until this process's hub has `count` subscribers on `channel` (the WebSocket and SSE
    protocols never confirm a subscription)."""
    async with asyncio.timeout(timeout):
        await _hub().subscribed(channel, count)


@contextlib.asynccontextmanager
async def subscribing(channel: str, count: int = 1, timeout: float = 5) -> AsyncIterator[None]:
    """Around the subscribing: on leaving, waits until `channel` has `count` subscribers
    more than on entering (whatever the app itself follows stays counted out)."""
    before = subscriber_count(channel)
    yield
    await subscribed(channel, before + count, timeout)


async def unsubscribed(channel: str, remaining: int, timeout: float = 5) -> None:
    """Until `channel` is down to `remaining` subscribers in this process (the hub announces
    no departure, so this polls)."""
    await eventually(
        lambda: subscriber_count(channel), lambda count: count == remaining, timeout=timeout
    )
