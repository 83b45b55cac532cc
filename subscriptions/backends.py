"""Bus backends: broadcaster's `BroadcastBackend` interface, implemented for supervision.

broadcaster's own backends cannot be supervised: a dropped connection leaves
`next_published()` waiting forever (upstream #144), and its PostgreSQL backend shares one
connection between LISTEN and NOTIFY without a lock (upstream #22). These backends raise
`BackendDisconnected` from `next_published()` when their connection is lost, so the hub can
reconnect, subscribe again and tell its subscribers to resume from their cursors.

- `memory://`: one process.
- `redis://…`: redis-py (pinned below 8) pub/sub; one pub/sub connection, publishes through
  the client's pool.
- `postgres://…`: LISTEN on one dedicated asyncpg connection whose commands are serialised
  by a lock; NOTIFY through a small pool. Payloads stay under 8000 bytes, channel names under
  64 bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from typing import Any
from urllib.parse import urlparse

import asyncpg
from broadcaster import BroadcastBackend, Event
from redis import asyncio as aioredis
from redis.exceptions import ConnectionError as RedisConnectionError


class BackendDisconnected(Exception):
    """The backend lost its connection; reconnect and resubscribe."""


class MemoryBackend(BroadcastBackend):
    def __init__(self, url: str = "memory://") -> None:
        self._channels: set[str] = set()
        self._queue: asyncio.Queue[Event] = asyncio.Queue()

    async def connect(self) -> None:
        self._queue = asyncio.Queue()

    async def disconnect(self) -> None:
        self._channels.clear()

    async def subscribe(self, channel: str) -> None:
        self._channels.add(channel)

    async def unsubscribe(self, channel: str) -> None:
        self._channels.discard(channel)

    async def publish(self, channel: str, message: Any) -> None:
        if channel in self._channels:
            self._queue.put_nowait(Event(channel=channel, message=message))

    async def next_published(self) -> Event:
        return await self._queue.get()


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


class RedisBackend(BroadcastBackend):
    def __init__(self, url: str, *, client_name: str = "genarrative-bus") -> None:
        self._url = url
        self._client_name = client_name
        self._client: aioredis.Redis | None = None
        self._pubsub: Any = None
        self._queue: asyncio.Queue[Event | _Failure] = asyncio.Queue()
        self._reader: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()

    async def connect(self) -> None:
        self._client = aioredis.Redis.from_url(self._url, client_name=self._client_name)
        await self._client.execute_command("PING")  # type: ignore[no-untyped-call]
        self._pubsub = self._client.pubsub()
        self._queue = asyncio.Queue()
        self._subscribed = asyncio.Event()
        self._reader = asyncio.create_task(self._read())

    async def disconnect(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(BaseException):
                await self._reader
        with contextlib.suppress(Exception):
            if self._pubsub is not None:
                await self._pubsub.aclose()
        with contextlib.suppress(Exception):
            if self._client is not None:
                await self._client.aclose()

    async def subscribe(self, channel: str) -> None:
        await self._pubsub.subscribe(channel)
        self._subscribed.set()

    async def unsubscribe(self, channel: str) -> None:
        await self._pubsub.unsubscribe(channel)

    async def publish(self, channel: str, message: Any) -> None:
        assert self._client is not None
        await self._client.publish(channel, message)

    async def next_published(self) -> Event:
        item = await self._queue.get()
        if isinstance(item, _Failure):
            raise BackendDisconnected(str(item.error)) from item.error
        return item

    async def _read(self) -> None:
        # redis-py reads nothing until a channel is subscribed.
        await self._subscribed.wait()
        try:
            while True:
                message = await self._pubsub.get_message(
                    ignore_subscribe_messages=True, timeout=1.0
                )
                if message is not None and message["type"] == "message":
                    self._queue.put_nowait(
                        Event(channel=message["channel"].decode(), message=message["data"].decode())
                    )
        except asyncio.CancelledError:
            raise
        except (RedisConnectionError, OSError, Exception) as error:
            self._queue.put_nowait(_Failure(error))


class PostgresBackend(BroadcastBackend):
    def __init__(self, url: str, *, pool_size: int = 4) -> None:
        self._url = url
        self._pool_size = pool_size
        self._listener: asyncpg.Connection | None = None
        self._pool: asyncpg.Pool | None = None
        # LISTEN/UNLISTEN share the listening connection: one command at a time (#22).
        self._lock = asyncio.Lock()
        self._queue: asyncio.Queue[Event | _Failure] = asyncio.Queue()

    async def connect(self) -> None:
        self._queue = asyncio.Queue()
        self._listener = await asyncpg.connect(self._url)
        self._listener.add_termination_listener(self._on_terminated)
        self._pool = await asyncpg.create_pool(self._url, min_size=1, max_size=self._pool_size)

    async def disconnect(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.remove_termination_listener(self._on_terminated)
            try:
                # After a LISTEN/UNLISTEN in flight: closing under it breaks the protocol.
                async with asyncio.timeout(2), self._lock:
                    await listener.close(timeout=2)
            except Exception:
                listener.terminate()
        if self._pool is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._pool.close(), timeout=2)

    async def subscribe(self, channel: str) -> None:
        async with self._lock:
            if self._listener is None:
                raise BackendDisconnected("the LISTEN connection is closed")
            await self._listener.add_listener(channel, self._on_notification)

    async def unsubscribe(self, channel: str) -> None:
        async with self._lock:
            if self._listener is None:
                return  # disconnected: nothing is listened to any more
            with contextlib.suppress(asyncpg.InterfaceError):
                await self._listener.remove_listener(channel, self._on_notification)

    async def publish(self, channel: str, message: Any) -> None:
        assert self._pool is not None
        async with self._pool.acquire() as connection:
            await connection.execute("SELECT pg_notify($1, $2)", channel, message)

    async def next_published(self) -> Event:
        item = await self._queue.get()
        if isinstance(item, _Failure):
            raise BackendDisconnected(str(item.error)) from item.error
        return item

    def _on_notification(self, connection: Any, pid: int, channel: str, payload: str) -> None:
        self._queue.put_nowait(Event(channel=channel, message=payload))

    def _on_terminated(self, connection: Any) -> None:
        self._queue.put_nowait(_Failure(ConnectionError("LISTEN connection lost")))


def unreachable(url: str, error: BaseException, timeout: float) -> str:
    """Why the backend at `url` did not connect, in words (never the URL's password):
    `cannot connect to Redis at host:6379 (connection refused)`."""
    parsed = urlparse(url)
    kind, port = ("Redis", 6379) if parsed.scheme.startswith("redis") else ("PostgreSQL", 5432)
    reason = str(error) or type(error).__name__
    # redis-py wraps the socket's error (as its context); asyncpg raises it as it is.
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ConnectionRefusedError):
            reason = "connection refused"
            break
        if isinstance(cause, socket.gaierror):
            reason = "unknown host"
            break
        if isinstance(cause, TimeoutError):
            reason = f"no answer within {timeout:g} s"
            break
        cause = cause.__cause__ or cause.__context__
    where = f"{parsed.hostname or 'localhost'}:{parsed.port or port}"
    return f"cannot connect to {kind} at {where} ({reason})"


def backend_for(url: str) -> BroadcastBackend:
    """The backend for BROADCAST_URL."""
    scheme = urlparse(url).scheme
    if scheme == "memory":
        return MemoryBackend(url)
    if scheme in ("redis", "rediss"):
        return RedisBackend(url)
    if scheme in ("postgres", "postgresql"):
        return PostgresBackend(url)
    raise ValueError(f"BROADCAST_URL must be memory://, redis://… or postgres://…, got {scheme!r}")
