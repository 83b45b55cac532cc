"""The bus backends: delivery between two instances (two processes), concurrency, and loud
failure when the connection drops (so the hub can reconnect)."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
import redis.asyncio as aioredis
from broadcaster import BroadcastBackend

from subscriptions.backends import (
    BackendDisconnected,
    MemoryBackend,
    PostgresBackend,
    RedisBackend,
    backend_for,
)


async def _next(backend: BroadcastBackend, timeout: float = 5) -> tuple[str, str]:
    async with asyncio.timeout(timeout):
        event = await backend.next_published()
    return event.channel, event.message


def test_the_url_picks_the_backend() -> None:
    assert isinstance(backend_for("memory://"), MemoryBackend)
    assert isinstance(backend_for("redis://127.0.0.1:6379/0"), RedisBackend)
    assert isinstance(backend_for("postgres://u@h/db"), PostgresBackend)
    with pytest.raises(ValueError):
        backend_for("kafka://x")


async def test_memory_delivers_only_subscribed_channels(channel: str) -> None:
    backend = MemoryBackend()
    await backend.connect()
    await backend.publish(channel, "before")
    await backend.subscribe(channel)
    await backend.publish("other", "elsewhere")
    await backend.publish(channel, "after")
    assert await _next(backend) == (channel, "after")


async def _two_instances(backend_type: type, url: str, channel: str) -> None:
    listener, publisher = backend_type(url), backend_type(url)
    await listener.connect()
    await publisher.connect()
    try:
        await listener.subscribe(channel)
        # concurrent subscribes and publishes must not trip over each other
        extra = [f"{channel}.{n}" for n in range(10)]
        await asyncio.gather(*[listener.subscribe(name) for name in extra])
        await asyncio.gather(*[publisher.publish(channel, str(n)) for n in range(20)])
        received = sorted([int((await _next(listener))[1]) for _ in range(20)])
        assert received == list(range(20))
        await asyncio.gather(*[listener.unsubscribe(name) for name in extra])
    finally:
        await listener.disconnect()
        await publisher.disconnect()


async def test_redis_delivers_between_instances(redis_url: str, channel: str) -> None:
    await _two_instances(RedisBackend, redis_url, channel)


async def test_postgres_delivers_between_instances(postgres_bus_url: str, channel: str) -> None:
    await _two_instances(PostgresBackend, postgres_bus_url, channel)


async def test_postgres_reports_a_dropped_listen_connection(
    postgres_bus_url: str, channel: str
) -> None:
    backend = PostgresBackend(postgres_bus_url)
    await backend.connect()
    try:
        await backend.subscribe(channel)
        assert backend._listener is not None
        pid = backend._listener.get_server_pid()
        admin = await asyncpg.connect(postgres_bus_url)
        try:
            await admin.execute("SELECT pg_terminate_backend($1)", pid)
        finally:
            await admin.close()
        with pytest.raises(BackendDisconnected):
            await _next(backend)
    finally:
        await backend.disconnect()


async def test_postgres_disconnects_cleanly_under_listens_in_flight(
    postgres_bus_url: str, channel: str
) -> None:
    # given a listening backend with several channels
    backend = PostgresBackend(postgres_bus_url)
    await backend.connect()
    channels = [f"{channel}-{n}" for n in range(8)]
    for name in channels:
        await backend.subscribe(name)
    # when UNLISTENs race the shutdown
    outcomes = await asyncio.gather(
        *(backend.unsubscribe(name) for name in channels),
        backend.disconnect(),
        return_exceptions=True,
    )
    # then everything ended without an error, later unsubscribes are no-ops, and a
    # subscribe says the connection is gone
    assert outcomes == [None] * 9
    await backend.unsubscribe(channels[0])
    with pytest.raises(BackendDisconnected):
        await backend.subscribe(channel)


async def test_redis_reports_a_dropped_connection(redis_url: str, channel: str) -> None:
    name = f"bus-test-{channel}"
    backend = RedisBackend(redis_url, client_name=name)
    await backend.connect()
    try:
        await backend.subscribe(channel)
        admin = aioredis.Redis.from_url(redis_url)
        try:
            ours = [client for client in await admin.client_list() if client.get("name") == name]
            assert ours
            for client in ours:
                await admin.client_kill_filter(_id=client["id"])
        finally:
            await admin.aclose()
        with pytest.raises(BackendDisconnected):
            await _next(backend)
    finally:
        await backend.disconnect()
