"""The hub survives a dropped backend connection: it reconnects, resubscribes, and stream
followers read what they missed from the log, so nothing is lost."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import asyncpg
import redis.asyncio as aioredis

from db.transactions import write_transaction
from resolvers import clock
from subscriptions import following, streams
from subscriptions.backends import PostgresBackend, RedisBackend
from subscriptions.bus import Hub
from subscriptions.channels import stream_channel
from tests.waiting import eventually


async def _append(stream: str, number: int) -> list[streams.StreamEntry]:
    async with write_transaction():
        return await streams.append(
            [stream], kind="test", event_id=f"e{number}", occurred_at=clock.now()
        )


async def _follow_through_a_drop(
    listening: Hub, publishing: Hub, stream: str, drop: Callable[[], Awaitable[None]]
) -> None:
    received: list[int] = []
    total = 30
    channel = stream_channel(stream)

    async def write(number: int) -> None:
        for entry in await _append(stream, number):
            await publishing.publish(channel, entry.message())

    async def follow() -> None:
        async for batch in following.follow(stream, after=0, hub=listening):
            received.extend(entry.sequence for entry in batch)
            if len(received) >= total:
                return

    # given a follower that has received 10 events
    follower = asyncio.create_task(follow())
    await eventually(lambda: listening.subscriber_count(channel) == 1)
    for number in range(1, 11):
        await write(number)
    await eventually(lambda: len(received) >= 10)
    # when the listening connection drops, and events keep coming meanwhile
    await drop()
    for number in range(11, total + 1):
        await write(number)
    async with asyncio.timeout(10):
        await follower
    # then every sequence arrived exactly once, in order, and the hub reconnected
    assert received == list(range(1, total + 1))
    assert listening.reconnections == 1


async def test_a_postgres_hub_reconnects_and_nothing_is_lost(
    postgres_bus_url: str, channel: str
) -> None:
    listening = Hub(postgres_bus_url, backend=PostgresBackend(postgres_bus_url))
    publishing = Hub(postgres_bus_url, backend=PostgresBackend(postgres_bus_url))
    await listening.start()
    await publishing.start()

    async def drop() -> None:
        backend = listening._backend
        assert isinstance(backend, PostgresBackend) and backend._listener is not None
        pid = backend._listener.get_server_pid()
        admin = await asyncpg.connect(postgres_bus_url)
        try:
            await admin.execute("SELECT pg_terminate_backend($1)", pid)
        finally:
            await admin.close()

    try:
        await _follow_through_a_drop(listening, publishing, channel, drop)
    finally:
        await listening.stop()
        await publishing.stop()


async def test_a_redis_hub_reconnects_and_nothing_is_lost(redis_url: str, channel: str) -> None:
    name = f"hub-test-{channel}"
    listening = Hub(redis_url, backend=RedisBackend(redis_url, client_name=name))
    publishing = Hub(redis_url)
    await listening.start()
    await publishing.start()

    async def drop() -> None:
        admin = aioredis.Redis.from_url(redis_url)
        try:
            for client in await admin.client_list():
                if client.get("name") == name:
                    await admin.client_kill_filter(_id=client["id"])
        finally:
            await admin.aclose()

    try:
        await _follow_through_a_drop(listening, publishing, channel, drop)
    finally:
        await listening.stop()
        await publishing.stop()
